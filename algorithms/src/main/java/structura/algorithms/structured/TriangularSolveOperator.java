package structura.algorithms.structured;

import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * T⁻¹ for a lower or upper triangular T, applied by substitution (LAPACK dtrsm): n²·k/2
 * multiply-adds per apply, in double whatever the dtype, never forming T⁻¹. Its transpose is
 * the solve with Tᵀ (the opposite triangle, same entries). Singular T (a zero on the diagonal)
 * is refused at construction.
 */
final class TriangularSolveOperator implements LinearOperator {
  private final double[] t;
  private final int n;
  private final boolean lower;
  private final DType dtype;

  /**
   * @param t row-major n×n entries; only the triangle (diagonal included) is read; not copied
   * @param lower lower (forward substitution) or upper (back substitution)
   * @param dtype the dtype of inputs and outputs
   * @param argument the argument to name in the error when T is singular
   */
  TriangularSolveOperator(double[] t, int n, boolean lower, DType dtype, String argument) {
    this.t = t;
    this.n = n;
    this.lower = lower;
    this.dtype = dtype;
    for (int i = 0; i < n; i++) {
      if (t[i * n + i] == 0 || !Double.isFinite(t[i * n + i])) {
        throw new NumericalFailureException("argument '" + argument + "' is singular: the triangular factor has "
            + t[i * n + i] + " on its diagonal at position " + i + ".",
            "A triangular operator is invertible only when every diagonal entry is non-zero.");
      }
    }
  }

  @Override
  public int rows() {
    return n;
  }

  @Override
  public int cols() {
    return n;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    requireInput(x);
    return substitute(x, lower, false);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    requireInput(y);
    return substitute(y, !lower, true);
  }

  /**
   * Solves op(T)·z = x; op(T) is lower when {@code lowerOp}; entry (i, j) of op(T) is t[j][i] when
   * transposed. Either way T is read along its rows: untransposed by inner products (row i of T
   * gives z_i), transposed by axpys (once z_i is known, row i of T, which is column i of op(T), is
   * subtracted from the entries still to solve). Reading a transposed T by inner products walked
   * its columns at a stride of n: 0.3 s per solve at n = 4096.
   */
  private Matrix substitute(Matrix x, boolean lowerOp, boolean transposed) {
    int k = x.cols();
    double[] z = x.toDType(DType.F64).f64();
    if (transposed) {
      byAxpys(z, k, lowerOp);
    } else {
      byInnerProducts(z, k, lowerOp);
    }
    Matrix out = Matrix.zeros(dtype, n, k);
    out.copyFrom(Matrix.wrap(z, n, k));
    return out;
  }

  /** z ← op(T)⁻¹·z with op(T) = Tᵀ, lower when {@code lowerOp}: column i of op(T) is row i of T. */
  private void byAxpys(double[] z, int k, boolean lowerOp) {
    for (int step = 0; step < n; step++) {
      int i = lowerOp ? step : n - 1 - step;
      double d = t[i * n + i];
      for (int c = 0; c < k; c++) {
        z[i * k + c] /= d;
      }
      int from = lowerOp ? i + 1 : 0;
      int to = lowerOp ? n : i;
      for (int j = from; j < to; j++) {
        double tij = t[i * n + j];
        if (tij != 0) {
          for (int c = 0; c < k; c++) {
            z[j * k + c] -= tij * z[i * k + c];
          }
        }
      }
    }
  }

  /** z ← T⁻¹·z, T lower when {@code lowerOp}: z_i from row i of T. */
  private void byInnerProducts(double[] z, int k, boolean lowerOp) {
    for (int step = 0; step < n; step++) {
      int i = lowerOp ? step : n - 1 - step;
      int from = lowerOp ? 0 : i + 1;
      int to = lowerOp ? i : n;
      for (int j = from; j < to; j++) {
        double tij = t[i * n + j];
        if (tij != 0) {
          for (int c = 0; c < k; c++) {
            z[i * k + c] -= tij * z[j * k + c];
          }
        }
      }
      double d = t[i * n + i];
      for (int c = 0; c < k; c++) {
        z[i * k + c] /= d;
      }
    }
  }

  private void requireInput(Matrix x) {
    if (x.rows() != n || x.dtype() != dtype) {
      throw new InvalidArgumentException(x.dtype() != dtype ? ErrorCode.DTYPE_MISMATCH : ErrorCode.DIMENSION_MISMATCH,
          this + ": the input is " + x.rows() + "x" + x.cols() + " " + x.dtype() + " but " + n + " rows of " + dtype
              + " are needed.", "Pass an n x k matrix in the operator's dtype.");
    }
  }

  @Override
  public String toString() {
    return "TriangularSolve(" + n + ", " + (lower ? "lower" : "upper") + ")";
  }
}
