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

  PivotedCholeskyResult(int[] pivots, Matrix l, double residualTrace, double trace, double[] columns) {
    this.pivots = pivots;
    this.l = l;
    this.residualTrace = residualTrace;
    this.trace = trace;
    this.columns = columns;
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

  /** L in double, column-major n×k. Package-private, not copied. */
  double[] columnsF64() {
    return columns;
  }
}
