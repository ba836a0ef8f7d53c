package structura.algorithms.iterative;

import java.util.Objects;
import java.util.function.IntFunction;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.PivotedCholesky;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.algorithms.linalg.PivotedCholeskyResult;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Low-rank-plus-diagonal preconditioner P = L·Lᵀ + D for A = K + D, with L (n×r) the partial
 * pivoted Cholesky factor of K and D a positive diagonal (the noise σ²I of a Gaussian process).
 *
 * <p><b>Method.</b> L from {@link PivotedCholesky} on K, reading only diag(K) and r columns of K
 * (r matrix-vector products with unit vectors). With C = I + Lᵀ·D⁻¹·L (r×r, always ≥ I, so its
 * Cholesky factor is well conditioned), Woodbury gives
 * P⁻¹v = D⁻¹v − D⁻¹L·C⁻¹·Lᵀ·D⁻¹v, and the determinant lemma log|P| = Σ log d_i + log|C|.
 *
 * <p><b>Source.</b> Gardner, Pleiss, Bindel, Weinberger and Wilson, "GPyTorch: Blackbox
 * matrix-matrix Gaussian process inference with GPU acceleration" (NeurIPS 2018), §4;
 * {@code linear_operator}'s {@code AddedDiagLinearOperator._preconditioner} (rank 15 and trace
 * tolerance 1e-3 by default there; here the caller's {@link PivotedCholeskyOptions}).
 *
 * <p><b>Cost.</b> Set-up: r products with K, O(nr²) for the factor and for C. Each P⁻¹ on an n×k
 * block: two n×r×k GEMMs and O(r²k). Memory: L (n×r) in double.
 *
 * <p><b>Deviations.</b> GPyTorch forms the QR of [D^{-1/2}L; I]; the Cholesky factor of C is the
 * same R up to signs (C = RᵀR) and costs less.
 */
public final class PivotedCholeskyPreconditioner implements Preconditioner {
  private final Matrix l;
  private final double[] rows;  // L row-major, n×r
  private final double[] noise;
  private final double[] cFactor;
  private final int rank;
  private final double logDet;
  private final long setupProducts;
  private final Compute compute = Compute.reference();

  private PivotedCholeskyPreconditioner(Matrix l, double[] noise, long setupProducts) {
    this.l = l;
    this.noise = noise;
    this.rank = l.cols();
    this.setupProducts = setupProducts;
    int n = l.rows();
    this.rows = l.toDType(DType.F64).copy().f64();
    // C = I + Lᵀ·D⁻¹·L as a sum of row outer products: contiguous rows of L, lower triangle only
    double[] lower = new double[rank * rank];
    for (int i = 0; i < n; i++) {
      int row = i * rank;
      double invD = 1 / noise[i];
      for (int a = 0; a < rank; a++) {
        double w = rows[row + a] * invD;
        int ca = a * rank;
        for (int b = 0; b <= a; b++) {
          lower[ca + b] += w * rows[row + b];
        }
      }
    }
    Matrix c = Matrix.zeros(DType.F64, rank, rank);
    for (int a = 0; a < rank; a++) {
      for (int b = 0; b <= a; b++) {
        c.set(a, b, lower[a * rank + b] + (a == b ? 1 : 0));
        c.set(b, a, lower[a * rank + b] + (a == b ? 1 : 0));
      }
    }
    double logC = 0;
    double[] factor = new double[rank * rank];
    if (rank > 0) {
      Matrix cl = new Cholesky(compute, CholeskyOptions.defaults()).factor(c);
      for (int i = 0; i < rank; i++) {
        for (int j = 0; j <= i; j++) {
          factor[i * rank + j] = cl.get(i, j);
        }
        logC += 2 * Math.log(cl.get(i, i));
      }
    }
    this.cFactor = factor;
    double s = logC;
    for (double d : noise) {
      s += Math.log(d);
    }
    this.logDet = s;
  }

  /**
   * P = L·Lᵀ + σ²I for A = K + σ²I, L the rank-{@code rank} pivoted Cholesky factor of K.
   *
   * @param kernel K, symmetric positive semidefinite (without the noise term)
   * @param noise σ² > 0
   * @param rank r ≥ 0 (0 gives P = σ²I)
   */
  public static PivotedCholeskyPreconditioner of(LinearOperator kernel, double noise, int rank) {
    IterativeChecks.square("PivotedCholeskyPreconditioner", kernel);
    IterativeChecks.positive("PivotedCholeskyPreconditioner", "noise", noise);
    double[] d = new double[kernel.rows()];
    java.util.Arrays.fill(d, noise);
    return of(kernel, d, PivotedCholeskyOptions.ofRank(Math.min(rank, kernel.rows())));
  }

  /**
   * P = L·Lᵀ + D for A = K + D.
   *
   * @param kernel K, symmetric positive semidefinite; its diagonal is read directly when dense or
   *     diagonal, otherwise it costs n products (see {@link JacobiPreconditioner#of(LinearOperator)})
   * @param noiseDiagonal the n entries of D, positive (copied)
   * @param options rank and trace tolerance of the pivoted Cholesky factorization of K
   * @throws InvalidArgumentException for a non-positive noise entry or a bad diagonal of K
   */
  public static PivotedCholeskyPreconditioner of(LinearOperator kernel, double[] noiseDiagonal,
      PivotedCholeskyOptions options) {
    IterativeChecks.square("PivotedCholeskyPreconditioner", kernel);
    Objects.requireNonNull(noiseDiagonal, "noiseDiagonal");
    Objects.requireNonNull(options, "options");
    int n = kernel.rows();
    if (noiseDiagonal.length != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "PivotedCholeskyPreconditioner: noiseDiagonal has " + noiseDiagonal.length + " entries, n = " + n + ".",
          "Pass n diagonal entries.");
    }
    for (int i = 0; i < n; i++) {
      IterativeChecks.positive("PivotedCholeskyPreconditioner", "noiseDiagonal[" + i + "]", noiseDiagonal[i]);
    }
    long[] products = {OperatorDiagonal.isDirect(kernel) ? 0 : n};
    double[] kDiag = OperatorDiagonal.of(kernel);
    IntFunction<double[]> column = j -> {
      Matrix e = Matrix.zeros(kernel.dtype(), n, 1);
      e.set(j, 0, 1);
      products[0]++;
      Matrix col = kernel.apply(e);
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = col.get(i, 0);
      }
      return c;
    };
    Matrix l = factor(n, column, kDiag, options);
    return new PivotedCholeskyPreconditioner(l, noiseDiagonal.clone(), products[0]);
  }

  /**
   * P = L·Lᵀ + D for A = K + D, reading K through its columns instead of products: for an
   * operator whose entries are cheap to evaluate but whose products are not (a lazy kernel
   * matrix: a column costs O(n·d), a product O(n²·d)), this builds a rank-r preconditioner in
   * O(n·r·d + n·r²) instead of r products. {@link #setupProducts()} is then 0.
   *
   * @param n the order of K
   * @param kernelColumn j ↦ column j of K (n entries; called about r times, each array may be kept)
   * @param kernelDiagonal diag(K), n entries, non-negative (not modified)
   * @param noiseDiagonal the n entries of D, positive (copied)
   * @param options rank and trace tolerance of the pivoted Cholesky factorization of K
   * @throws InvalidArgumentException for a non-positive noise entry or mismatched lengths
   */
  public static PivotedCholeskyPreconditioner ofColumns(int n, IntFunction<double[]> kernelColumn,
      double[] kernelDiagonal, double[] noiseDiagonal, PivotedCholeskyOptions options) {
    Objects.requireNonNull(kernelColumn, "kernelColumn");
    Objects.requireNonNull(kernelDiagonal, "kernelDiagonal");
    Objects.requireNonNull(noiseDiagonal, "noiseDiagonal");
    Objects.requireNonNull(options, "options");
    IterativeChecks.atLeast("PivotedCholeskyPreconditioner", "n", n, 1);
    if (noiseDiagonal.length != n || kernelDiagonal.length != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "PivotedCholeskyPreconditioner: noiseDiagonal has " + noiseDiagonal.length + " and kernelDiagonal "
              + kernelDiagonal.length + " entries, n = " + n + ".",
          "Pass n entries for each diagonal.");
    }
    for (int i = 0; i < n; i++) {
      IterativeChecks.positive("PivotedCholeskyPreconditioner", "noiseDiagonal[" + i + "]", noiseDiagonal[i]);
    }
    Matrix l = factor(n, kernelColumn, kernelDiagonal.clone(), options);
    return new PivotedCholeskyPreconditioner(l, noiseDiagonal.clone(), 0);
  }

  private static Matrix factor(int n, IntFunction<double[]> column, double[] kDiag, PivotedCholeskyOptions options) {
    if (options.maxRank() == 0 && options.traceTolerance() == 0) {
      return Matrix.zeros(DType.F64, n, 0);
    }
    return new PivotedCholesky(Compute.reference(), options).factor(n, column, kDiag, DType.F64).l();
  }

  /** The rank r of the low-rank part. */
  public int rank() {
    return rank;
  }

  /** Matrix-vector products with K spent on the set-up (columns, and the diagonal when not read directly). */
  public long setupProducts() {
    return setupProducts;
  }

  /** The n×r factor L (a copy). */
  public Matrix factor() {
    return l.copy();
  }

  @Override
  public int size() {
    return l.rows();
  }

  @Override
  public Matrix applyInverse(Matrix v) {
    int n = l.rows();
    int k = v.cols();
    Matrix w = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        w.set(i, j, v.get(i, j) / noise[i]);
      }
    }
    if (rank == 0) {
      return w;
    }
    // s = Lᵀ·w (r×k), by rows of L so every access is contiguous
    double[] wd = w.f64();
    double[] s = new double[rank * k];
    for (int i = 0; i < n; i++) {
      int row = i * rank;
      for (int a = 0; a < rank; a++) {
        double la = rows[row + a];
        for (int j = 0; j < k; j++) {
          s[a * k + j] += la * wd[i * k + j];
        }
      }
    }
    choleskySolve(s, k);
    for (int i = 0; i < n; i++) {
      int row = i * rank;
      double invD = 1 / noise[i];
      for (int j = 0; j < k; j++) {
        double ls = 0;
        for (int a = 0; a < rank; a++) {
          ls += rows[row + a] * s[a * k + j];
        }
        wd[i * k + j] -= ls * invD;
      }
    }
    return w;
  }

  /** s ← C⁻¹·s for the r×k row-major block s, by the two triangular solves with C's factor. */
  private void choleskySolve(double[] s, int k) {
    int r = rank;
    for (int i = 0; i < r; i++) {
      for (int q = 0; q < i; q++) {
        double f = cFactor[i * r + q];
        for (int j = 0; j < k; j++) {
          s[i * k + j] -= f * s[q * k + j];
        }
      }
      double d = cFactor[i * r + i];
      for (int j = 0; j < k; j++) {
        s[i * k + j] /= d;
      }
    }
    for (int i = r - 1; i >= 0; i--) {
      for (int q = i + 1; q < r; q++) {
        double f = cFactor[q * r + i];
        for (int j = 0; j < k; j++) {
          s[i * k + j] -= f * s[q * k + j];
        }
      }
      double d = cFactor[i * r + i];
      for (int j = 0; j < k; j++) {
        s[i * k + j] /= d;
      }
    }
  }

  @Override
  public LinearOperator operator() {
    double[] ones = new double[rank];
    java.util.Arrays.fill(ones, 1);
    LinearOperator diag = Operators.diagonal(DType.F64, noise.clone());
    return rank == 0 ? diag : Operators.sum(Operators.lowRankOnReference(l, ones, l), diag);
  }

  @Override
  public double logDeterminant() {
    return logDet;
  }
}
