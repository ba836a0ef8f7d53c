package structura.algorithms.linalg;

import structura.api.Matrix;

/**
 * A (truncated) singular value decomposition A ≈ U·diag(s)·Vᵀ with U m×k and V n×k having
 * orthonormal columns and s non-increasing. Accessors return copies.
 */
public final class SvdResult {
  private final Matrix u;
  private final double[] s;
  private final Matrix vt;

  SvdResult(Matrix u, double[] s, Matrix vt) {
    this.u = u;
    this.s = s;
    this.vt = vt;
  }

  /** Rank k of the decomposition. */
  public int rank() {
    return s.length;
  }

  /** U, m×k. */
  public Matrix u() {
    return u.copy();
  }

  /** Singular values, non-increasing. */
  public double[] singularValues() {
    return s.clone();
  }

  /** Vᵀ, k×n. */
  public Matrix vt() {
    return vt.copy();
  }
}
