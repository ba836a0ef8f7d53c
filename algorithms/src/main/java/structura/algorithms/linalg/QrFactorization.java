package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The result of {@link HouseholderQr}: A = Q·R with Q m×k orthonormal columns and R k×n upper
 * triangular, k = min(m, n). Holds the packed reflectors; {@link #q()} forms Q on demand.
 * Immutable from the outside (every accessor returns a new matrix).
 */
public final class QrFactorization {
  private final Compute compute;
  private final double[] packed;
  /** Leading dimension of {@code packed}, ≥ m (padded, see Householder.paddedLeadingDimension). */
  private final int lda;
  private final int m;
  private final int n;
  private final double[] tau;
  private final int nb;
  private final DType dtype;

  QrFactorization(Compute compute, double[] packed, int lda, int m, int n, double[] tau, int nb, DType dtype) {
    this.compute = compute;
    this.packed = packed;
    this.lda = lda;
    this.m = m;
    this.n = n;
    this.tau = tau;
    this.nb = nb;
    this.dtype = dtype;
  }

  /** Rows of A. */
  public int rows() {
    return m;
  }

  /** Columns of A. */
  public int cols() {
    return n;
  }

  /** The k×n upper triangular factor (zeros below the diagonal), in the input dtype. */
  public Matrix r() {
    int k = Math.min(m, n);
    Matrix r = Householder.fromColumnMajor(packed, lda, 0, 0, k, n, dtype);
    for (int i = 1; i < k; i++) {
      for (int j = 0; j < Math.min(i, n); j++) {
        r.set(i, j, 0);
      }
    }
    return r;
  }

  /** The thin m×k factor Q with orthonormal columns, formed now (2mk² − 2k³/3 flops). */
  public Matrix q() {
    int k = Math.min(m, n);
    double[] q = Householder.formQ(compute, packed, lda, m, k, tau, nb);
    return Householder.fromColumnMajor(q, m, 0, 0, m, k, dtype);
  }

  /** Qᵀ·B for B with m rows (k = min(m, n) rows of the result are meaningful; all m returned). */
  public Matrix applyQt(Matrix b) {
    if (b.rows() != m) {
      throw Checks.mismatch("QrFactorization.applyQt: B has " + b.rows() + " rows, A has " + m + ".",
          "Pass B with as many rows as A.");
    }
    double[] w = Householder.toColumnMajor(b);
    Householder.applyQt(compute, packed, lda, m, Math.min(m, n), tau, nb, w, b.cols());
    return Householder.fromColumnMajor(w, m, 0, 0, m, b.cols(), b.dtype());
  }

  /**
   * Least-squares solution of min ‖A·X − B‖_F for m ≥ n and full column rank: X = R⁻¹·(QᵀB)(1:n).
   *
   * @throws NumericalFailureException if R has a zero (or sub-guard) diagonal entry
   */
  public Matrix solve(Matrix b) {
    if (m < n) {
      throw Checks.mismatch("QrFactorization.solve: A is " + m + "x" + n + " (wide); least squares needs m >= n.",
          "Use InterpolativeDecomposition or a minimum-norm solver for wide systems.");
    }
    Checks.input("QrFactorization.solve", "b", b);
    if (b.rows() != m) {
      throw Checks.mismatch("QrFactorization.solve: B has " + b.rows() + " rows, A has " + m + ".",
          "Pass B with as many rows as A.");
    }
    double[] w = Householder.toColumnMajor(b);
    Householder.applyQt(compute, packed, lda, m, n, tau, nb, w, b.cols());
    double rmax = 0;
    for (int i = 0; i < n; i++) {
      rmax = Math.max(rmax, Math.abs(packed[i * lda + i]));
    }
    double guard = rmax * Math.max(m, n) * Math.ulp(1.0);
    int bad = Householder.upperSolve(packed, lda, n, w, 0, m, b.cols(), guard);
    if (bad > 0) {
      throw new NumericalFailureException("QrFactorization.solve: R has " + bad
          + " diagonal entries below " + guard + " (A is numerically rank deficient).",
          "Use LeastSquares with a ridge parameter, or a rank-revealing PivotedQr.");
    }
    return Householder.fromColumnMajor(w, m, 0, 0, n, b.cols(), b.dtype());
  }

  /** Diagonal of R as doubles (signed). */
  public double[] rDiagonal() {
    int k = Math.min(m, n);
    double[] d = new double[k];
    for (int i = 0; i < k; i++) {
      d[i] = packed[i * lda + i];
    }
    return d;
  }
}
