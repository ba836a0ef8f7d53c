package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The result of {@link PivotedQr}: A(:, P) ≈ Q·R with Q m×k (orthonormal columns), R k×n upper
 * trapezoidal, k = {@link #rank()}; P = {@link #pivots()}. The residual is ‖A(:,P) − QR‖ = ‖R22‖,
 * the block not factored. Q is formed on demand. Accessors return new matrices.
 *
 * <p>Storage: R and the pivoting reflectors in LAPACK's packed column-major form with leading
 * dimension {@code ldr}; after {@link QrPreprocessing} that is the factorization of the
 * min(m, n)×n triangular factor R₁ of A, and the reflectors of A = Q₁·R₁ are kept beside it, so
 * that Q = Q₁·Q₂.
 */
public final class PivotedQrFactorization {
  private final Compute compute;
  private final double[] packed;
  private final int ldr;
  private final double[] outer;
  /** Leading dimension of {@code outer} (≥ m: the reduction's array may be padded). */
  private final int outerLd;
  private final double[] outerTau;
  private final int m;
  private final int n;
  private final double[] tau;
  private final int[] pivots;
  private final int rank;
  private final int nb;
  private final DType dtype;

  PivotedQrFactorization(Compute compute, double[] packed, int m, int n, double[] tau, int[] pivots, int rank,
      int nb, DType dtype) {
    this(compute, packed, m, null, 0, null, m, n, tau, pivots, rank, nb, dtype);
  }

  /**
   * After the QR preprocessing: {@code packed} (leading dimension {@code ldr} = min(m, n)) holds the
   * pivoted factorization of R₁, {@code outer} (leading dimension {@code outerLd} ≥ m) the
   * reflectors of A = Q₁·R₁, blocked by {@link PivotedQr#REDUCTION_BLOCK}.
   */
  PivotedQrFactorization(Compute compute, double[] packed, int ldr, double[] outer, int outerLd, double[] outerTau,
      int m, int n, double[] tau, int[] pivots, int rank, int nb, DType dtype) {
    this.compute = compute;
    this.packed = packed;
    this.ldr = ldr;
    this.outer = outer;
    this.outerLd = outerLd;
    this.outerTau = outerTau;
    this.m = m;
    this.n = n;
    this.tau = tau;
    this.pivots = pivots;
    this.rank = rank;
    this.nb = nb;
    this.dtype = dtype;
  }

  /** Number of factored columns k (the rank at which the factorization stopped). */
  public int rank() {
    return rank;
  }

  /** Rows of A. */
  public int rows() {
    return m;
  }

  /** Columns of A. */
  public int cols() {
    return n;
  }

  /**
   * The column permutation: column j of A·P is column {@code pivots()[j]} of A. The first
   * {@link #rank()} entries are the selected columns in pivot order; the rest are in the order
   * the factorization left them.
   */
  public int[] pivots() {
    return pivots.clone();
  }

  /** |R(i,i)| for i &lt; rank, non-increasing up to rounding. */
  public double[] rDiagonalAbs() {
    double[] d = new double[rank];
    for (int i = 0; i < rank; i++) {
      d[i] = Math.abs(packed[i * ldr + i]);
    }
    return d;
  }

  /** The k×n upper trapezoidal R in pivoted column order, in the input dtype. */
  public Matrix r() {
    Matrix r = Householder.fromColumnMajor(packed, ldr, 0, 0, rank, n, dtype);
    for (int i = 1; i < rank; i++) {
      for (int j = 0; j < i; j++) {
        r.set(i, j, 0);
      }
    }
    return r;
  }

  /**
   * The thin m×k Q, formed now: 2mk² − 2k³/3 flops, or after the QR preprocessing Q₂ (r×k, r =
   * min(m, n)) and then Q₁·[Q₂; 0], 4mrk − 2r²k more.
   */
  public Matrix q() {
    if (outer == null) {
      double[] q = Householder.formQ(compute, packed, m, m, rank, tau, nb);
      return Householder.fromColumnMajor(q, m, 0, 0, m, rank, dtype);
    }
    double[] q2 = Householder.formQ(compute, packed, ldr, ldr, rank, tau, nb);
    double[] q = new double[Math.multiplyExact(m, Math.max(rank, 0))];
    for (int j = 0; j < rank; j++) {
      System.arraycopy(q2, j * ldr, q, j * m, ldr);
    }
    Householder.applyQ(compute, outer, outerLd, m, Math.min(m, n), outerTau, PivotedQr.REDUCTION_BLOCK, q, rank);
    return Householder.fromColumnMajor(q, m, 0, 0, m, rank, dtype);
  }

  /**
   * This factorization of R₁ as one of A = Q₁·R₁ (m rows), Q₁ from the packed reflectors
   * {@code outer} of leading dimension {@code outerLd}.
   */
  PivotedQrFactorization withOuter(double[] outer, int outerLd, double[] outerTau, int rowsOfA) {
    return new PivotedQrFactorization(compute, packed, ldr, outer, outerLd, outerTau, rowsOfA, n, tau, pivots, rank,
        nb, dtype);
  }

  /** Whether A was reduced by unpivoted QR before pivoting ({@link QrPreprocessing}). */
  public boolean preprocessed() {
    return outer != null;
  }

  int[] pivotsRef() {
    return pivots;
  }

  DType dtype() {
    return dtype;
  }

  /**
   * X = R11⁻¹·R12 (k×(n−k), column-major, leading dimension k) with the guarded
   * back-substitution of {@link Householder#upperSolve}. Returns the number of guarded pivots
   * through {@code guardedOut[0]}.
   */
  double[] solveR11R12(double guardRelative, int[] guardedOut) {
    int k = rank;
    int nk = n - k;
    double[] x = new double[Math.max(1, k * nk)];
    for (int j = 0; j < nk; j++) {
      System.arraycopy(packed, (k + j) * ldr, x, j * k, k);
    }
    double r00 = k > 0 ? Math.abs(packed[0]) : 0;
    int g = Householder.upperSolve(packed, ldr, k, x, 0, k, nk, guardRelative * r00);
    guardedOut[0] = g;
    return x;
  }
}
