package structura.api.backend;

/** Whether a routine reads an operand as stored ({@link #N}) or transposed ({@link #T}). */
public enum Transpose {
  /** op(X) = X. */
  N,
  /** op(X) = Xᵀ. */
  T;

  /** True for {@link #T}. */
  public boolean transposed() {
    return this == T;
  }
}
