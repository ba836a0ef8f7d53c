package structura.algorithms.linalg;

import structura.api.Matrix;

/**
 * Result of {@link PivotedCholesky}: A ≈ L·Lᵀ with L n×k (rows in A's order), the pivots in the
 * order chosen, and the residual trace trace(A − L·Lᵀ).
 */
public final class PivotedCholeskyResult {
  private final int[] pivots;
  private final Matrix l;
  private final double residualTrace;
  private final double trace;
  private final double[] columns;
  private final double[] pivotDiagonals;

  PivotedCholeskyResult(int[] pivots, Matrix l, double residualTrace, double trace, double[] columns,
      double[] pivotDiagonals) {
    this.pivots = pivots;
    this.l = l;
    this.residualTrace = residualTrace;
    this.trace = trace;
    this.columns = columns;
    this.pivotDiagonals = pivotDiagonals;
  }

  /** Number of pivots k. */
  public int rank() {
    return pivots.length;
  }

  /** Selected indices in pivot order. */
  public int[] pivots() {
    return pivots.clone();
  }

  /** The n×k factor L (a copy), in the input dtype. L(pivots, :) is lower triangular. */
  public Matrix l() {
    return l.copy();
  }

  /** trace(A − L·Lᵀ) at the stop, from the updated diagonal. */
  public double residualTrace() {
    return residualTrace;
  }

  /** trace(A). */
  public double trace() {
    return trace;
  }

  /**
   * The residual diagonal entry d(p_j) at which each pivot p_j was chosen (L(p_j, j)²), in pivot
   * order: √(d(p_j)/max A(i,i)) is the usual error indicator |R(j,j)/R(0,0)| of the Gram route.
   */
  public double[] pivotDiagonals() {
    return pivotDiagonals.clone();
  }

  /** Lᵀ (k×n, F64): row j is column j of L. A copy. */
  public Matrix lTransposedF64() {
    return Matrix.wrap(columns.clone(), pivots.length, l.rows());
  }

  /** L in double, column-major n×k. Package-private, not copied. */
  double[] columnsF64() {
    return columns;
  }
}
