package structura.algorithms.iterative;

import java.util.Objects;
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
import structura.api.backend.Transpose;
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
    Matrix dInvL = Matrix.zeros(DType.F64, n, rank);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rank; j++) {
        dInvL.set(i, j, l.get(i, j) / noise[i]);
      }
    }
    Matrix c = rank == 0 ? Matrix.zeros(DType.F64, 0, 0) : compute.multiply(Transpose.T, l, Transpose.N, dInvL);
    for (int j = 0; j < rank; j++) {
      c.set(j, j, c.get(j, j) + 1);
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
   * P = L·Lᵀ + D for A = K + D when K's columns and diagonal are cheaper to read directly than
   * through products (a kernel matrix: one column is N kernel evaluations, while a product with a
   * unit vector through a lazy operator would cost N²).
   *
   * @param n the order of K
   * @param column returns column j of K (n values; called once per pivot)
   * @param diagonal diag(K) (n values, finite and non-negative; not modified)
   * @param noiseDiagonal the n entries of D, positive (copied)
   * @param options rank and trace tolerance of the pivoted Cholesky factorization of K
   */
  public static PivotedCholeskyPreconditioner ofColumns(int n, java.util.function.IntFunction<double[]> column,
      double[] diagonal, double[] noiseDiagonal, PivotedCholeskyOptions options) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(diagonal, "diagonal");
    Objects.requireNonNull(noiseDiagonal, "noiseDiagonal");
    Objects.requireNonNull(options, "options");
    if (noiseDiagonal.length != n || diagonal.length != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "PivotedCholeskyPreconditioner: diagonal has " + diagonal.length + " and noiseDiagonal " + noiseDiagonal.length
              + " entries, n = " + n + ".",
          "Pass n diagonal entries.");
    }
    for (int i = 0; i < n; i++) {
      IterativeChecks.positive("PivotedCholeskyPreconditioner", "noiseDiagonal[" + i + "]", noiseDiagonal[i]);
    }
    long[] products = {0};
    Matrix l;
    if (options.maxRank() == 0 && options.traceTolerance() == 0) {
      l = Matrix.zeros(DType.F64, n, 0);
    } else {
      l = new PivotedCholesky(Compute.reference(), options).factor(n, j -> {
        products[0]++;
        return column.apply(j);
      }, diagonal.clone(), DType.F64).l();
    }
    return new PivotedCholeskyPreconditioner(l, noiseDiagonal.clone(), products[0]);
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
    Matrix l;
    if (options.maxRank() == 0 && options.traceTolerance() == 0) {
      l = Matrix.zeros(DType.F64, n, 0);
    } else {
      PivotedCholeskyResult f = new PivotedCholesky(Compute.reference(), options).factor(n, j -> {
        Matrix e = Matrix.zeros(kernel.dtype(), n, 1);
        e.set(j, 0, 1);
        products[0]++;
        Matrix col = kernel.apply(e);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
          c[i] = col.get(i, 0);
        }
        return c;
      }, kDiag, DType.F64);
      l = f.l();
    }
    return new PivotedCholeskyPreconditioner(l, noiseDiagonal.clone(), products[0]);
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
    Matrix t = compute.multiply(Transpose.T, l, Transpose.N, w);
    double[] s = t.toDType(DType.F64).copy().f64();
    choleskySolve(s, k);
    Matrix ls = compute.multiply(Transpose.N, l, Transpose.N, Matrix.wrap(s, rank, k));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        w.set(i, j, w.get(i, j) - ls.get(i, j) / noise[i]);
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
