package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Blocked Cholesky factorization A = L·Lᵀ of a symmetric positive definite matrix, and solves
 * with it.
 *
 * <p><b>Method.</b> Right-looking blocked Cholesky (LAPACK dpotrf, lower): factor the diagonal
 * block, solve the panel below it against L11ᵀ, and update the trailing matrix
 * A22 ← A22 − L21·L21ᵀ with the backend's Gram routine ({@link Compute#gram}). Only the lower
 * triangle of the input is read.
 *
 * <p><b>Source.</b> Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., Alg. 4.2.1 and
 * §4.2.9 (block Cholesky); LAPACK 3.12 dpotrf/dpotrf2.
 *
 * <p><b>Cost.</b> n³/3 flops in the factorization (the Gram update computes both triangles of
 * each trailing block, so the level-3 part is up to 2× that); a solve with r right-hand sides
 * 2n²r. Memory: a double copy of A.
 *
 * <p><b>Deviations.</b> F32 input is factored in double and L rounded to F32.
 *
 * <p><b>Failure.</b> A non-positive (or NaN) pivot throws {@link NumericalFailureException}
 * ({@code STRUCTURA-N001}) naming the step, rather than returning a status flag that is easy to
 * ignore.
 */
public final class Cholesky {
  private final Compute compute;
  private final int blockSize;


  /**
   * @param compute backend for the trailing Gram updates
   * @param options block size
   */
  public Cholesky(Compute compute, CholeskyOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.blockSize = Objects.requireNonNull(options, "options").blockSize();
  }

  /**
   * The lower triangular L (zeros above the diagonal) with A = L·Lᵀ, in A's dtype.
   *
   * @throws NumericalFailureException if A is not numerically positive definite
   * @throws structura.api.InvalidArgumentException if A is empty, not square, or not finite
   */
  public Matrix factor(Matrix a) {
    double[] l = factorF64(a);
    int n = a.rows();
    Matrix out = Matrix.zeros(a.dtype(), n, n);
    out.copyFrom(Matrix.wrap(l, n, n));
    return out;
  }

  /** Solves A·X = B with A symmetric positive definite (factor, then two triangular solves). */
  public Matrix solve(Matrix a, Matrix b) {
    Checks.input("Cholesky.solve", "b", b);
    if (b.rows() != a.rows()) {
      throw Checks.mismatch("Cholesky.solve: A is " + a.rows() + "x" + a.cols() + " but B has " + b.rows() + " rows.",
          "Pass B with as many rows as A.");
    }
    double[] l = factorF64(a);
    double[] x = b.toDType(DType.F64).f64();
    solveInPlace(l, a.rows(), x, b.cols());
    Matrix out = Matrix.zeros(b.dtype(), b.rows(), b.cols());
    out.copyFrom(Matrix.wrap(x, b.rows(), b.cols()));
    return out;
  }

  /** Row-major n×n L in double. */
  double[] factorF64(Matrix a) {
    Checks.input("Cholesky.factor", "a", a);
    Checks.square("Cholesky.factor", "a", a);
    int n = a.rows();
    double[] w = a.toDType(DType.F64).f64();
    for (int k = 0; k < n; k += blockSize) {
      int kb = Math.min(blockSize, n - k);
      // Diagonal block, unblocked (lower, row-major).
      for (int j = k; j < k + kb; j++) {
        double d = w[j * n + j];
        for (int p = k; p < j; p++) {
          d -= w[j * n + p] * w[j * n + p];
        }
        if (!(d > 0)) {
          throw new NumericalFailureException("Cholesky: argument 'a' is not positive definite: pivot " + j
              + " is " + d + " after elimination.",
              "Add a ridge (a small multiple of the identity), or use PivotedCholesky for a low-rank PSD factor.");
        }
        d = Math.sqrt(d);
        w[j * n + j] = d;
        for (int i = j + 1; i < k + kb; i++) {
          double s = w[i * n + j];
          for (int p = k; p < j; p++) {
            s -= w[i * n + p] * w[j * n + p];
          }
          w[i * n + j] = s / d;
        }
      }
      int rest = n - k - kb;
      if (rest == 0) {
        continue;
      }
      // Panel L21 = A21·L11⁻ᵀ: forward substitution on each row.
      double[] panel = new double[rest * kb];
      for (int i = k + kb; i < n; i++) {
        int r = (i - k - kb) * kb;
        for (int j = k; j < k + kb; j++) {
          double s = w[i * n + j];
          for (int p = k; p < j; p++) {
            s -= w[i * n + p] * w[j * n + p];
          }
          s /= w[j * n + j];
          w[i * n + j] = s;
          panel[r + j - k] = s;
        }
      }
      // A22 -= L21·L21ᵀ on the backend (L21 copied: GEMM/Gram operands must not alias the output).
      Matrix l21 = Matrix.wrap(panel, rest, kb);
      Matrix a22 = Matrix.wrap(w, (k + kb) * n + k + kb, rest, rest, n);
      compute.gram(Transpose.N, -1.0, l21, 1.0, a22);
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        w[i * n + j] = 0;
      }
    }
    return w;
  }

  /** X ← L⁻ᵀ·L⁻¹·X for row-major L (n×n) and X (n×r). */
  static void solveInPlace(double[] l, int n, double[] x, int r) {
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        if (lip != 0) {
          for (int c = 0; c < r; c++) {
            x[i * r + c] -= lip * x[p * r + c];
          }
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < r; c++) {
        x[i * r + c] /= d;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      double d = l[i * n + i];
      for (int c = 0; c < r; c++) {
        x[i * r + c] /= d;
      }
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        if (lip != 0) {
          for (int c = 0; c < r; c++) {
            x[p * r + c] -= lip * x[i * r + c];
          }
        }
      }
    }
  }
}
