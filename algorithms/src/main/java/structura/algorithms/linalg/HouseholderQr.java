package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Blocked Householder QR, A = Q·R, with compact-WY trailing updates (LAPACK dgeqrf/dgeqr2,
 * dlarft, dlarfb).
 *
 * <p><b>Method.</b> Panels of {@code blockSize} columns are factored recursively (halves, as
 * dgeqrt3, with the left half's reflectors applied to the right half by GEMMs; unblocked dgeqr2
 * below 8 columns); the panel's reflectors are aggregated as I − V·T·Vᵀ (dlarft) and applied to
 * the trailing columns with three GEMMs through the {@link Compute} backend (dlarfb), so the
 * O(mn²) part of the work runs at level 3. The two long GEMMs of each update are cut into
 * independent single-threaded items along their long dimension ({@code QrShapedGemm}). As an
 * option ({@link HouseholderQrOptions#lookAhead}, off by default), on a backend with two or more
 * host threads the next panel is factored on a second thread while the rest of the update runs
 * ({@code PanelLookAhead}).
 * Results are bit-identical for any thread count and with or without the look-ahead.
 *
 * <p><b>Source.</b> G. H. Golub and C. F. Van Loan, <i>Matrix Computations</i>, 4th ed., 2013,
 * Alg. 5.2.1 (Householder QR) and §5.2.3 (block WY); R. Schreiber and C. Van Loan, "A
 * storage-efficient WY representation for products of Householder transformations", SIAM J. Sci.
 * Stat. Comput. 10(1), 1989 (compact WY); LAPACK 3.12 dgeqrf/dlarft/dlarfb.
 *
 * <p><b>Cost.</b> 2mn² − 2n³/3 flops for m ≥ n; Q on demand another 2mk² − 2k³/3. Memory: one
 * column-major double copy of A plus O((m + n)·blockSize) workspace (F32: a float copy during
 * the factorization, widened to double at the end); with the look-ahead one more panel's
 * workspace and one extra thread for the duration of the call.
 *
 * <p><b>Deviations.</b> The input is copied to a column-major double array (our {@link Matrix} is
 * row-major), whose leading dimension is padded by a cache line when m is a multiple of 64
 * ({@link Householder#paddedLeadingDimension}). F32 inputs are stored in float and their trailing
 * updates are F32 GEMMs, while each panel is factored in double ({@code SinglePrecisionQr}); Q and
 * the solves then work in double on the float-rounded reflectors and are rounded back to F32 (the
 * F32 path has no look-ahead). The explicit Vᵀ of each panel is written once, into a reused
 * buffer, by the panel factorization (our GEMM forbids aliased operands).
 */
public final class HouseholderQr {
  private final Compute compute;
  private final HouseholderQrOptions options;


  /**
   * @param compute backend for the level-3 updates
   * @param options block size
   */
  public HouseholderQr(Compute compute, HouseholderQrOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Factors {@code a} (m×n, any shape). The input is not modified.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} if {@code a} is empty or
   *     holds NaN or infinite values
   */
  public QrFactorization factor(Matrix a) {
    Checks.input("HouseholderQr.factor", "a", a);
    int m = a.rows();
    int n = a.cols();
    int lda = Householder.paddedLeadingDimension(m);
    double[] tau = new double[Math.min(m, n)];
    double[] w;
    if (a.dtype() == structura.api.DType.F32) {
      w = SinglePrecisionQr.factor(compute, a, lda, tau, options.blockSize());
    } else {
      w = Householder.toColumnMajor(a, lda);
      factorInPlace(compute, w, lda, m, n, tau, options.blockSize(), options.lookAhead());
    }
    return new QrFactorization(compute, w, lda, m, n, tau, options.blockSize(), a.dtype());
  }

  /** Blocked QR of the column-major m×n array {@code w} (leading dimension m) in place. */
  static void factorInPlace(Compute compute, double[] w, int m, int n, double[] tau, int nb) {
    factorInPlace(compute, w, m, m, n, tau, nb);
  }

  /**
   * Blocked QR of the column-major m×n array {@code w} with leading dimension {@code lda} ≥ m in
   * place: R on and above the diagonal, the reflectors below it, their scalars in {@code tau}.
   * With the look-ahead as {@link HouseholderQrOptions#defaults()} has it.
   */
  static void factorInPlace(Compute compute, double[] w, int lda, int m, int n, double[] tau, int nb) {
    factorInPlace(compute, w, lda, m, n, tau, nb, HouseholderQrOptions.defaults().lookAhead());
  }

  /**
   * As {@link #factorInPlace(Compute, double[], int, int, int, double[], int)}; {@code lookAhead}
   * false keeps the plain loop on any backend. Both give bit-identical results.
   */
  static void factorInPlace(Compute compute, double[] w, int lda, int m, int n, double[] tau, int nb,
      boolean lookAhead) {
    int k = Math.min(m, n);
    if (lookAhead && compute.backend().hostThreads() >= 2 && k > nb) {
      PanelLookAhead.factorInPlace(compute, w, lda, m, n, tau, nb);
      return;
    }
    // One Vᵀ buffer for all panels (Householder#panelQr fills it; the update reads it).
    double[] vtBuffer = new double[Math.multiplyExact(Math.min(nb, k), m)];
    for (int j = 0; j < k; j += nb) {
      int jb = Math.min(nb, k - j);
      Matrix t = Householder.panelQr(compute, w, lda, m, j, jb, tau, vtBuffer);
      if (j + jb < n) {
        Matrix vt = Matrix.wrap(vtBuffer, 0, jb, m - j, m - j);
        Householder.applyBlock(compute, vt, t, true, w, lda, j, j + jb, n - j - jb);
      }
    }
  }
}
