package structura.algorithms.structured;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * A⁻¹ of a dense square A through LU with partial pivoting (EJML's Crout LU, LAPACK dgetrf's
 * factorization): 2n³/3 flops once, then 2n²k per apply. {@code applyTranspose} reuses the factors
 * (Aᵀ = Uᵀ·Lᵀ·P). A pivot below n·ε·max|u_jj| is reported as singularity rather than returning
 * a solution swamped by rounding.
 */
final class DenseLuInverse implements LinearOperator {
  private final double[] lu;
  private final int[] pivot;
  private final int n;
  private final DType dtype;

  private DenseLuInverse(LUDecompositionAlt_DDRM factors, int n, DType dtype) {
    this.lu = factors.getLU().data.clone();
    this.pivot = factors.getPivot().clone();
    this.n = n;
    this.dtype = dtype;
  }

  /** Factors {@code a} (a dense F64 copy is taken) for inputs of {@code dtype}; {@code argument} is named when it is singular. */
  static DenseLuInverse of(Matrix a, DType dtype, String argument) {
    DMatrixRMaj m = DMatrixRMaj.wrap(a.rows(), a.cols(), a.toDType(DType.F64).f64());
    return new DenseLuInverse(factor(m, argument), a.rows(), dtype);
  }

  /** The LU factorization of {@code m} (not modified), after a relative singularity check. */
  static LUDecompositionAlt_DDRM factor(DMatrixRMaj m, String argument) {
    LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
    if (!lu.decompose(m.copy())) {
      throw new NumericalFailureException("LU of argument '" + argument + "' failed.", "Check that it is finite.");
    }
    int n = m.numRows;
    DMatrixRMaj f = lu.getLU();
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(f.get(i, i)));
    }
    for (int i = 0; i < n; i++) {
      if (!(Math.abs(f.get(i, i)) > n * Math.ulp(1.0) * max)) {
        throw new NumericalFailureException("argument '" + argument + "' is singular: LU pivot " + i + " is "
            + f.get(i, i) + " (largest pivot " + max + ").",
            "Solve a regularized system (add a multiple of the identity) or use a least-squares method.");
      }
    }
    return lu;
  }

  /** sign and log|det| from the LU factors: Π u_ii times the parity of the row pivots. */
  static LogDeterminant logdet(Matrix a) {
    LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
    lu.decompose(DMatrixRMaj.wrap(a.rows(), a.cols(), a.toDType(DType.F64).f64().clone()));
    DMatrixRMaj f = lu.getLU();
    int n = a.rows();
    double sign = parity(lu.getPivot(), n);
    double logAbs = 0;
    for (int i = 0; i < n; i++) {
      double u = f.get(i, i);
      if (u == 0) {
        return new LogDeterminant(0, Double.NEGATIVE_INFINITY);
      }
      sign *= Math.signum(u);
      logAbs += Math.log(Math.abs(u));
    }
    return new LogDeterminant(sign, logAbs);
  }

  /** +1 for an even permutation, −1 for an odd one (cycle decomposition). */
  private static double parity(int[] pivot, int n) {
    boolean[] seen = new boolean[n];
    int swaps = 0;
    for (int i = 0; i < n; i++) {
      int len = 0;
      for (int j = i; !seen[j]; j = pivot[j]) {
        seen[j] = true;
        len++;
      }
      swaps += Math.max(0, len - 1);
    }
    return swaps % 2 == 0 ? 1 : -1;
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

  /** A(pivot, :) = L·U with unit lower L (JAMA's convention, which EJML keeps): x = U⁻¹L⁻¹·b(pivot, :). */
  @Override
  public Matrix apply(Matrix x) {
    double[] z = input(x);
    int k = x.cols();
    double[] y = new double[n * k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(z, pivot[i] * k, y, i * k, k);
    }
    for (int i = 0; i < n; i++) { // L unit lower
      for (int j = 0; j < i; j++) {
        axpy(-lu[i * n + j], y, j * k, y, i * k, k);
      }
    }
    for (int i = n - 1; i >= 0; i--) { // U upper
      for (int j = i + 1; j < n; j++) {
        axpy(-lu[i * n + j], y, j * k, y, i * k, k);
      }
      scale(1 / lu[i * n + i], y, i * k, k);
    }
    return output(y, k);
  }

  /** Aᵀ = Uᵀ·Lᵀ·P: solve with Uᵀ (lower), then Lᵀ (unit upper), then undo the row pivots. */
  @Override
  public Matrix applyTranspose(Matrix y) {
    double[] w = input(y);
    int k = y.cols();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        axpy(-lu[j * n + i], w, j * k, w, i * k, k);
      }
      scale(1 / lu[i * n + i], w, i * k, k);
    }
    for (int i = n - 1; i >= 0; i--) {
      for (int j = i + 1; j < n; j++) {
        axpy(-lu[j * n + i], w, j * k, w, i * k, k);
      }
    }
    double[] out = new double[n * k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(w, i * k, out, pivot[i] * k, k);
    }
    return output(out, k);
  }

  private static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int k) {
    if (alpha != 0) {
      for (int c = 0; c < k; c++) {
        y[yo + c] += alpha * x[xo + c];
      }
    }
  }

  private static void scale(double alpha, double[] x, int xo, int k) {
    for (int c = 0; c < k; c++) {
      x[xo + c] *= alpha;
    }
  }

  private double[] input(Matrix x) {
    if (x.rows() != n || x.dtype() != dtype) {
      throw new InvalidArgumentException(x.dtype() != dtype ? ErrorCode.DTYPE_MISMATCH : ErrorCode.DIMENSION_MISMATCH,
          this + ": the input is " + x.rows() + "x" + x.cols() + " " + x.dtype() + " but " + n + " rows of "
              + dtype + " are needed.", "Pass an n x k matrix in the operator's dtype.");
    }
    return x.toDType(DType.F64).f64().clone();
  }

  private Matrix output(double[] z, int k) {
    Matrix out = Matrix.zeros(dtype, n, k);
    out.copyFrom(Matrix.wrap(z, n, k));
    return out;
  }

  @Override
  public String toString() {
    return "LuInverse(" + rows() + ")";
  }
}
