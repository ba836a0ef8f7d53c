package structura.algorithms.linalg;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Randomized blocked column-pivoted QR (HQRRP): pivots chosen a block at a time from a small
 * Gaussian sketch, so every update of A is level 3.
 *
 * <p><b>Method.</b> Y = G·A with G (b+p)×m Gaussian. For each block of b columns: a pivoted QR of
 * the sketch's remaining columns ({@link PivotedQr}, cheap: b+p rows) picks b pivots; the columns
 * of A and Y are permuted; the panel is factored by unpivoted Householder QR and its compact-WY
 * reflector applied to the trailing matrix with GEMMs ({@link Compute}); the sketch is downdated
 * without touching A again: Y2 ← Y2 − Y1·R11⁻¹·R12 (the paper's update, §4: with G·Q = [Ĝ1 Ĝ2],
 * Y1 = Ĝ1R11 and Y2 = Ĝ1R12 + Ĝ2R22, so the new Y2 = Ĝ2·R22 sketches the trailing matrix).
 *
 * <p><b>Source.</b> P.-G. Martinsson, G. Quintana-Ortí, N. Heavner and R. van de Geijn,
 * "Householder QR factorization with randomization for column pivoting (HQRRP)", SIAM J. Sci.
 * Comput. 39(2):C96–C115, 2017, Alg. 3 (arXiv:1512.02671); P. G. Martinsson, "Blocked rank-revealing
 * QR factorizations: how randomized sampling can be used to avoid single-vector pivoting", 2015.
 *
 * <p><b>Cost.</b> Like unpivoted blocked QR, 2mn² − 2n³/3 (level 3), plus the sketch 2(b+p)mn and
 * O((b+p)n²) for the small pivoted QRs and downdates. Memory: a double copy of A plus the
 * (b+p)×n sketch.
 *
 * <p><b>Deviations.</b> Rank-revealing quality is probabilistic: pivots differ from LAPACK's
 * dgeqp3, and the truncation error is close to (not equal to) that of greedy pivoting. The
 * R11⁻¹R12 solve of the downdate uses the guarded back-substitution. Stops at a rank or tolerance
 * like {@link PivotedQr}; the tolerance is checked on R's diagonal after each panel. With
 * {@link QrPreprocessing} (by default for tall A, as {@link PivotedQr}) the blocks run on the
 * triangular factor R₁ of A = Q₁·R₁ rather than on A.
 */
public final class RandomizedPivotedQr {
  private final Compute compute;
  private final RandomizedPivotedQrOptions options;

  /**
   * @param compute backend for the sketch and the trailing updates
   * @param options rank or tolerance, block size, oversampling, seed
   */
  public RandomizedPivotedQr(Compute compute, RandomizedPivotedQrOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Factors {@code a} (not modified). The result has the same form as {@link PivotedQr}'s, so
   * {@link InterpolativeDecomposition#fromPivotedQr} reads an ID off it.
   */
  public PivotedQrFactorization factor(Matrix a) {
    Checks.input("RandomizedPivotedQr.factor", "a", a);
    int m = a.rows();
    int n = a.cols();
    int minmn = Math.min(m, n);
    Checks.rank("RandomizedPivotedQr.factor", "maxRank", options.maxRank(), minmn, true);
    if (PivotedQr.reducesFirst(options.preprocessing(), options.maxRank(), m, n)) {
      // Sketching R₁ instead of A: G·A = (G·Q₁)·R₁ and G·Q₁ is again Gaussian (Q₁ has orthonormal
      // columns), so the sketch, and with it the pivoting, has the same distribution.
      int lda = Householder.paddedLeadingDimension(m);
      double[] tau1 = new double[minmn];
      double[] w = PivotedQr.reduce(compute, a, lda, tau1);
      return factorColumnMajor(PivotedQr.upperTrapezoid(w, lda, m, n), minmn, n, a.dtype()).withOuter(w, lda, tau1, m);
    }
    return factorColumnMajor(Householder.toColumnMajor(a), m, n, a.dtype());
  }

  /** HQRRP of the column-major m×n array {@code w} (overwritten). */
  private PivotedQrFactorization factorColumnMajor(double[] w, int m, int n, structura.api.DType dtype) {
    int minmn = Math.min(m, n);
    int kmax = options.maxRank() == 0 ? minmn : options.maxRank();
    int b = options.blockSize();
    int l = b + options.oversampling();
    // Sketch Y = G·A, kept column-major (l × n, leading dimension l): Yᵀ = Aᵀ·Gᵀ as a row-major GEMM.
    Matrix g = Sketches.gaussian(structura.api.DType.F64, l, m, new SplittableRandom(options.seed()), 1.0);
    double[] y = new double[l * n];
    compute.gemm(Transpose.N, Transpose.T, 1.0, Householder.tview(w, m, 0, 0, m, n), g, 0.0,
        Householder.tview(y, l, 0, 0, l, n));
    int[] jpvt = new int[n];
    for (int j = 0; j < n; j++) {
      jpvt[j] = j;
    }
    double[] tau = new double[minmn];
    int rank = kmax;
    double r00 = -1;
    for (int j = 0; j < kmax; j += b) {
      int bb = Math.min(b, kmax - j);
      int nr = n - j;
      // 1. Pivots of the sketch's trailing columns.
      double[] ys = java.util.Arrays.copyOfRange(y, j * l, n * l);
      PivotedQrFactorization fs = PivotedQr.factorColumnMajor(compute,
          new PivotedQrOptions(Math.min(bb, Math.min(l, nr)), 0, 1), ys, l, nr, structura.api.DType.F64);
      int[] p = fs.pivotsRef();
      // 2. Permute columns j.. of A, Y and jpvt.
      permute(w, m, j, p);
      permute(y, l, j, p);
      int[] jp = new int[nr];
      for (int c = 0; c < nr; c++) {
        jp[c] = jpvt[j + p[c]];
      }
      System.arraycopy(jp, 0, jpvt, j, nr);
      // 3. Unpivoted Householder QR of the panel, compact-WY update of the trailing columns.
      Matrix t = Householder.panelQr(compute, w, m, j, bb, tau);
      if (j + bb < n) {
        Matrix vt = Householder.explicitVt(w, m, m, j, bb);
        Householder.applyBlock(compute, vt, t, true, w, m, j, j + bb, n - j - bb);
      }
      if (r00 < 0) {
        r00 = Math.abs(w[0]);
      }
      int stop = -1;
      for (int i = Math.max(j, 1); i < j + bb && options.relativeTolerance() > 0; i++) {
        if (Math.abs(w[i * m + i]) <= options.relativeTolerance() * r00) {
          stop = i;
          break;
        }
      }
      if (stop >= 0) {
        rank = stop;
        break;
      }
      // 4. Downdate the sketch: Y2 ← Y2 − Y1·(R11⁻¹R12).
      int n2 = n - j - bb;
      if (n2 > 0 && j + bb < kmax) {
        double[] x = new double[bb * n2];
        for (int c = 0; c < n2; c++) {
          System.arraycopy(w, (j + bb + c) * m + j, x, c * bb, bb);
        }
        double[] r11 = new double[bb * bb];
        for (int c = 0; c < bb; c++) {
          System.arraycopy(w, (j + c) * m + j, r11, c * bb, c + 1);
        }
        Householder.upperSolve(r11, bb, bb, x, 0, bb, n2, 10.0 * Math.max(m, n) * Math.ulp(1.0) / 2 * r00);
        Matrix xt = Matrix.wrap(x, 0, n2, bb, bb);
        Matrix y1t = Householder.tview(y, l, 0, j, l, bb);
        Matrix y2t = Householder.tview(y, l, 0, j + bb, l, n2);
        compute.gemm(Transpose.N, Transpose.N, -1.0, xt, y1t, 1.0, y2t);
      }
    }
    return new PivotedQrFactorization(compute, w, m, n, tau, jpvt, rank, 32, dtype);
  }

  /**
   * Reorders columns j.. of the column-major array (leading dimension ld): new column c = old
   * column j + p[c]. Only the columns that move are copied: the sketch's pivoted QR stops after b
   * interchanges, so at most 2b of the n − j columns move, and copying the whole trailing matrix
   * (up to 64 MiB at 8192×1024, once per block) was pure memory traffic.
   */
  private static void permute(double[] a, int ld, int j, int[] p) {
    int nr = p.length;
    int moved = 0;
    for (int c = 0; c < nr; c++) {
      if (p[c] != c) {
        moved++;
      }
    }
    if (moved == 0) {
      return;
    }
    // Save every column that is a source of a move before any is overwritten.
    double[] saved = new double[Math.multiplyExact(moved, ld)];
    int[] slot = new int[nr];
    int s = 0;
    for (int c = 0; c < nr; c++) {
      if (p[c] != c) {
        slot[p[c]] = s;
        System.arraycopy(a, (j + p[c]) * ld, saved, s * ld, ld);
        s++;
      }
    }
    for (int c = 0; c < nr; c++) {
      if (p[c] != c) {
        System.arraycopy(saved, slot[p[c]] * ld, a, (j + c) * ld, ld);
      }
    }
  }
}
