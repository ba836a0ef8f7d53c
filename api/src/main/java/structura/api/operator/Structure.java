package structura.api.operator;

/** Structural properties an operator can carry; algorithms dispatch on them. */
public enum Structure {
  /** A = Aᵀ (square). */
  SYMMETRIC,
  /** Symmetric positive semi-definite: xᵀAx ≥ 0 for all x. */
  PSD,
  /** AᵀA = AAᵀ = I (square). */
  ORTHOGONAL
}
