package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;

/**
 * Result of {@link PivotedCholesky}: A ≈ L·Lᵀ with L n×k (rows in A's order), the pivots in the
 * order chosen, and the residual trace trace(A − L·Lᵀ).
 */
public final class PivotedCholeskyResult {
  private final int[] pivots;
  private final DType dtype;
  private final int n;
  private final double residualTrace;
  private final double trace;
  private final double[] columns;
  private final double[] pivotDiagonals;

  /**
   * @param dtype of {@link #l()}
   * @param n rows of L
   * @param columns L column-major (column j at {@code j·n}), k·n doubles
   */
  PivotedCholeskyResult(int[] pivots, DType dtype, int n, double residualTrace, double trace, double[] columns,
      double[] pivotDiagonals) {
    this.pivots = pivots;
    this.dtype = dtype;
    this.n = n;
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

  /**
   * The n×k factor L (a new matrix), in the input dtype. L(pivots, :) is lower triangular. Built
   * on each call from the column-major factor: callers that read Lᵀ ({@link #lTransposedF64})
   * skip the transpose (k·n elements, 1 % of the README's STAT job when it was always built).
   */
  public Matrix l() {
    int k = pivots.length;
    Matrix out = Matrix.zeros(dtype, n, k);
    if (dtype == DType.F32) {
      float[] dst = out.f32();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          dst[i * k + j] = (float) columns[j * n + i];
        }
      }
    } else {
      double[] dst = out.f64();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          dst[i * k + j] = columns[j * n + i];
        }
      }
    }
    return out;
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
    return Matrix.wrap(columns.clone(), pivots.length, n);
  }

  /** L in double, column-major n×k. Package-private, not copied. */
  double[] columnsF64() {
    return columns;
  }
}
