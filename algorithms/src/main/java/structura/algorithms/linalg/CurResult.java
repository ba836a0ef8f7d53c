package structura.algorithms.linalg;

import structura.api.Matrix;

/** A CUR decomposition A ≈ C·U·R with C = A(:, J), R = A(I, :) and U k×k. Accessors return copies. */
public final class CurResult {
  private final int[] columns;
  private final int[] rows;
  private final Matrix c;
  private final Matrix u;
  private final Matrix r;

  CurResult(int[] columns, int[] rows, Matrix c, Matrix u, Matrix r) {
    this.columns = columns;
    this.rows = rows;
    this.c = c;
    this.u = u;
    this.r = r;
  }

  /** Column indices J. */
  public int[] columnIndices() {
    return columns.clone();
  }

  /** Row indices I. */
  public int[] rowIndices() {
    return rows.clone();
  }

  /** C = A(:, J), m×k. */
  public Matrix c() {
    return c.copy();
  }

  /** U, k×k. */
  public Matrix u() {
    return u.copy();
  }

  /** R = A(I, :), k×n. */
  public Matrix r() {
    return r.copy();
  }
}
