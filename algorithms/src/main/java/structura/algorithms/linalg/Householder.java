package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Householder kernels on column-major {@code double[]} storage (LAPACK layout), package-private.
 *
 * <p>Why column-major: QR works on columns (reflector generation, norm downdates, pivot swaps).
 * Our {@link Matrix} is row-major, so the factorizations copy the input once into a column-major
 * work array, where a column is contiguous. A column-major m×n block is, read row-major, its
 * n×m transpose; {@link #tview} builds that view so level-3 updates still go through
 * {@link Compute#gemm} with the transposes arranged accordingly.
 */
final class Householder {
  private static final double SAFMIN = Double.MIN_NORMAL / Math.ulp(1.0);

  private Householder() {}

  /**
   * Column-major copy (leading dimension m) of {@code a}, widened to double: the row-major data of
   * Aᵀ, so {@link Matrix#transposeCopy} (cache-tiled) does the work.
   */
  static double[] toColumnMajor(Matrix a) {
    Matrix t = a.transposeCopy();
    if (t.dtype() == DType.F64) {
      return t.f64();
    }
    float[] src = t.f32();
    double[] out = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = src[i];
    }
    return out;
  }

  /**
   * Leading dimension of a column-major work array with m rows: m, or m + 8 (one 64-byte cache
   * line more) when m is a multiple of 64 and at least 512. Why: with a column stride that is a
   * multiple of 512 bytes the columns of a trailing block map to a few cache sets (at m = 8192,
   * a 64 KiB stride, every column to the same L1 and L2 set), and the GEMMs of the trailing
   * update, which walk C across columns (our GEMM is row-major: a column of C is a row of the
   * view Cᵀ), evict their own lines. The extra line per column shifts each column by one set.
   * At 8192×512 the update C −= W·Vᵀ took 7–10 % less time with the padding (1 thread).
   */
  static int paddedLeadingDimension(int m) {
    return m >= 512 && m % 64 == 0 ? m + 8 : m;
  }

  /**
   * Column-major copy of {@code a} widened to double, leading dimension {@code lda} ≥ m (rows m..lda−1
   * of each column are zero padding). With lda = m this is {@link #toColumnMajor(Matrix)}.
   */
  static double[] toColumnMajor(Matrix a, int lda) {
    int m = a.rows();
    int n = a.cols();
    if (a.dtype() == DType.F64) {
      double[] out = new double[Math.multiplyExact(lda, n)];
      copyColumnMajor(a.f64(), a.index(0, 0), a.ld(), m, n, out, lda);
      return out;
    }
    if (lda == m) {
      return toColumnMajor(a);
    }
    double[] out = new double[Math.multiplyExact(lda, n)];
    // Tiled as Matrix.transposeCopy: each tile's source rows stay in L1 while its columns are written.
    int tile = 32;
    float[] src = a.f32();
    for (int i0 = 0; i0 < m; i0 += tile) {
      int i1 = Math.min(m, i0 + tile);
      for (int j0 = 0; j0 < n; j0 += tile) {
        int j1 = Math.min(n, j0 + tile);
        for (int j = j0; j < j1; j++) {
          int d = j * lda;
          for (int i = i0, s = a.index(i0, j); i < i1; i++, s += a.ld()) {
            out[d + i] = src[s];
          }
        }
      }
    }
    return out;
  }

  /**
   * Writes the row-major m×n {@code src} (from {@code off}, leading dimension {@code ld}) column-major
   * into {@code out} (leading dimension {@code lda}). Blocks of 64 rows, four columns at a time:
   * each source row contributes 32 contiguous bytes per step and each of the four destination
   * columns receives 64 consecutive doubles, about 20 % less time than 32×32 tiles at 8192×1024.
   */
  private static void copyColumnMajor(double[] src, int off, int ld, int m, int n, double[] out, int lda) {
    for (int i0 = 0; i0 < m; i0 += 64) {
      int i1 = Math.min(m, i0 + 64);
      int j = 0;
      for (; j + 3 < n; j += 4) {
        int d0 = j * lda;
        int d1 = d0 + lda;
        int d2 = d1 + lda;
        int d3 = d2 + lda;
        for (int i = i0, s = off + i0 * ld + j; i < i1; i++, s += ld) {
          out[d0 + i] = src[s];
          out[d1 + i] = src[s + 1];
          out[d2 + i] = src[s + 2];
          out[d3 + i] = src[s + 3];
        }
      }
      for (; j < n; j++) {
        int d = j * lda;
        for (int i = i0, s = off + i0 * ld + j; i < i1; i++, s += ld) {
          out[d + i] = src[s];
        }
      }
    }
  }

  /** Column-major copy (leading dimension n) of {@code aᵀ}: the row-major data of {@code a}, widened. */
  static double[] transposeToColumnMajor(Matrix a) {
    int m = a.rows();
    int n = a.cols();
    double[] out = new double[Math.multiplyExact(m, n)];
    for (int i = 0; i < m; i++) {
      int base = a.index(i, 0);
      if (a.dtype() == DType.F64) {
        System.arraycopy(a.f64(), base, out, i * n, n);
      } else {
        float[] src = a.f32();
        for (int j = 0; j < n; j++) {
          out[i * n + j] = src[base + j];
        }
      }
    }
    return out;
  }

  /**
   * A new row-major {@code rows×cols} matrix of {@code dtype} from the column-major block at
   * (i0, j0): the transpose of {@link #tview}, copied by {@link Matrix#transposeCopy}.
   */
  static Matrix fromColumnMajor(double[] a, int lda, int i0, int j0, int rows, int cols, DType dtype) {
    if (rows == 0 || cols == 0) {
      return Matrix.zeros(dtype, rows, cols);
    }
    Matrix out = tview(a, lda, i0, j0, rows, cols).transposeCopy();
    return dtype == DType.F64 ? out : out.toDType(dtype);
  }

  /** The row-major view of the transpose of the column-major {@code rows×cols} block at (i0, j0). */
  static Matrix tview(double[] a, int lda, int i0, int j0, int rows, int cols) {
    return Matrix.wrap(a, j0 * lda + i0, cols, rows, lda);
  }

  /** {@link #tview(double[], int, int, int, int, int)} over float storage. */
  static Matrix tview(float[] a, int lda, int i0, int j0, int rows, int cols) {
    return Matrix.wrap(a, j0 * lda + i0, cols, rows, lda);
  }

  /**
   * Euclidean norm of {@code n} entries from {@code off} with stride 1, safe against overflow and
   * underflow. Fast path: the plain sum of squares in four partial sums, accepted when it lies in
   * [2⁻⁹⁰⁰, ∞), where no square overflowed and the squares that underflowed (each below
   * 2⁻¹⁰²²) change it by at most n·2⁻¹²² relative. Otherwise the scaled one-pass loop of the
   * reference dnrm2, whose division per element made it a sixth of a tall-skinny QR's time.
   */
  static double norm2(double[] x, int off, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    int end = off + n;
    for (; i + 3 < end; i += 4) {
      s0 += x[i] * x[i];
      s1 += x[i + 1] * x[i + 1];
      s2 += x[i + 2] * x[i + 2];
      s3 += x[i + 3] * x[i + 3];
    }
    for (; i < end; i++) {
      s0 += x[i] * x[i];
    }
    double ss = (s0 + s1) + (s2 + s3);
    if (ss >= 0x1p-900 && ss < Double.POSITIVE_INFINITY) {
      return Math.sqrt(ss);
    }
    return scaledNorm2(x, off, n);
  }

  private static double scaledNorm2(double[] x, int off, int n) {
    double scale = 0;
    double ssq = 1;
    for (int i = off; i < off + n; i++) {
      double v = x[i];
      if (v != 0) {
        double av = Math.abs(v);
        if (scale < av) {
          double r = scale / av;
          ssq = 1 + ssq * r * r;
          scale = av;
        } else {
          double r = av / scale;
          ssq += r * r;
        }
      }
    }
    return scale * Math.sqrt(ssq);
  }

  /**
   * Σ x[xo+i]·y[yo+i] for i < len with four partial sums: the JIT does not reorder a single
   * floating-point accumulation, so splitting it lets the four chains run in parallel (about 3×
   * on the memory-resident level-2 loops of the QR panels).
   */
  static double dot(double[] x, int xo, double[] y, int yo, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += x[xo + i] * y[yo + i];
      s1 += x[xo + i + 1] * y[yo + i + 1];
      s2 += x[xo + i + 2] * y[yo + i + 2];
      s3 += x[xo + i + 3] * y[yo + i + 3];
    }
    for (; i < len; i++) {
      s0 += x[xo + i] * y[yo + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * LAPACK dlarfg: generates H = I − tau·v·vᵀ with v(0) = 1 such that H·[alpha; x] = [beta; 0].
   * {@code a[alphaIdx]} becomes beta and {@code a[xIdx .. xIdx+n-2]} becomes v(1:). Returns tau.
   */
  static double larfg(int n, double[] a, int alphaIdx, int xIdx) {
    if (n <= 1) {
      return 0;
    }
    double xnorm = norm2(a, xIdx, n - 1);
    if (xnorm == 0) {
      return 0;
    }
    double alpha = a[alphaIdx];
    double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
    int knt = 0;
    if (Math.abs(beta) < SAFMIN) {
      // Rescale tiny vectors as dlarfg does so that 1/(alpha-beta) stays representable.
      double rsafmn = 1 / SAFMIN;
      do {
        knt++;
        for (int i = xIdx; i < xIdx + n - 1; i++) {
          a[i] *= rsafmn;
        }
        beta *= rsafmn;
        alpha *= rsafmn;
      } while (Math.abs(beta) < SAFMIN && knt < 20);
      xnorm = norm2(a, xIdx, n - 1);
      beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
    }
    double tau = (beta - alpha) / beta;
    double s = 1 / (alpha - beta);
    for (int i = xIdx; i < xIdx + n - 1; i++) {
      a[i] *= s;
    }
    for (int j = 0; j < knt; j++) {
      beta *= SAFMIN;
    }
    a[alphaIdx] = beta;
    return tau;
  }

  /**
   * Applies H = I − tau·v·vᵀ from the left to columns {@code c0..c0+nc-1}, rows
   * {@code r0..r0+len-1}; v has implicit v(0) = 1 and v(1:) in column {@code vc} below row r0.
   */
  static void applyLeft(double[] a, int lda, int r0, int len, int vc, double tau, int c0, int nc) {
    if (tau == 0) {
      return;
    }
    int v = vc * lda + r0;
    for (int c = c0; c < c0 + nc; c++) {
      int col = c * lda + r0;
      double w = (a[col] + dot(a, v + 1, a, col + 1, len - 1)) * tau;
      a[col] -= w;
      for (int i = 1; i < len; i++) {
        a[col + i] -= w * a[v + i];
      }
    }
  }

  /**
   * {@link #applyLeft} with the products Cᵀv as one backend GEMV (SIMD), as dlarf does with
   * dgemv and dger: the reflector's leading entry is set to 1 for the call and restored. Why: the
   * panel's unblocked base runs this for every column, and the scalar dot products were the
   * slower half of it (the 16 panels of an 8192×1024 QR: 218–228 ms of CPU time against
   * 229–234 ms with {@link #applyLeft}, 1 thread). {@code y} is scratch of at least {@code nc}
   * entries.
   */
  static void applyLeftByGemv(Compute compute, double[] a, int lda, int r0, int len, double tau, int c0, int nc,
      double[] y) {
    if (tau == 0 || nc == 0) {
      return;
    }
    int v = r0 * lda + r0;
    double beta = a[v];
    a[v] = 1;
    Matrix yv = Matrix.wrap(y, 0, 1, nc, nc);
    compute.gemv(Transpose.N, 1.0, tview(a, lda, r0, c0, len, nc), Matrix.wrap(a, v, 1, len, len), 0.0, yv);
    for (int c = 0; c < nc; c++) {
      int col = (c0 + c) * lda + r0;
      double w = tau * y[c];
      for (int i = 0; i < len; i++) {
        a[col + i] -= w * a[v + i];
      }
    }
    a[v] = beta;
  }

  /** Panel width at or below which {@link #panelQr} stops recursing and factors with scalar loops. */
  private static final int PANEL_BASE = 8;

  /**
   * Householder QR of the column-major panel of columns {@code j0..j0+jb-1}, rows from the
   * diagonal down (requires j0 + jb ≤ m), in place; {@code tau[j0..j0+jb-1]} receives the
   * reflector scalars. Returns the jb×jb upper triangular T (row-major) of the panel's compact-WY
   * form H(j0)…H(j0+jb−1) = I − V·T·Vᵀ, as dlarft would compute it.
   *
   * <p>Recursive as Elmroth and Gustavson's RGEQR / LAPACK dgeqrt3: factor the left half, apply
   * its compact-WY reflector to the right half with {@link #applyBlock}, factor the right half,
   * and join the two T factors, T = [T₁, −T₁·(V₁ᵀV₂)·T₂; 0, T₂], with one GEMM for V₁ᵀV₂. Why:
   * the unblocked dgeqr2 loop ({@link #applyLeft}) is scalar, single-threaded level-2 work of
   * about m·jb² flops per panel, which was a third to two fifths of the caller's time in the
   * 8192×1024 QRs on the vector backend; recursing moves all but m·{@value #PANEL_BASE}·jb of it
   * into the backend's (SIMD, multithreaded) GEMMs, and joining the T factors replaces a Gram of
   * the whole panel per recursion level (dlarft). The reflectors are the same as dgeqr2's up to
   * rounding.
   */
  static Matrix panelQr(Compute compute, double[] a, int m, int j0, int jb, double[] tau) {
    return panelQr(compute, a, m, m, j0, jb, tau);
  }

  /** As {@link #panelQr(Compute, double[], int, int, int, double[])} for leading dimension {@code lda} ≥ m. */
  static Matrix panelQr(Compute compute, double[] a, int lda, int m, int j0, int jb, double[] tau) {
    return panelQr(compute, a, lda, m, j0, jb, tau, new double[Math.multiplyExact(jb, Math.max(m - j0, 1))]);
  }

  /**
   * As {@link #panelQr(Compute, double[], int, int, int, double[])} for leading dimension
   * {@code lda} ≥ m, writing the panel's reflectors as the explicit row-major jb×(m − j0) Vᵀ (unit
   * diagonal, zeros above it, leading dimension m − j0) into {@code vt} from index 0, as
   * {@link #explicitVt} would return them. Why: the recursion reads the reflectors of each half as
   * a block of that one array, so each reflector is copied once per panel instead of once per
   * recursion level, and a caller that reuses {@code vt} across panels allocates nothing for V.
   * {@code vt} must hold jb·(m − j0) elements; its old contents are ignored.
   */
  static Matrix panelQr(Compute compute, double[] a, int lda, int m, int j0, int jb, double[] tau, double[] vt) {
    int len = m - j0;
    for (int p = 0; p < jb; p++) {
      java.util.Arrays.fill(vt, p * len, p * len + Math.min(p, len), 0.0);
    }
    return panel(compute, a, lda, m, j0, jb, tau, vt, 0, len);
  }

  /**
   * The recursion of {@link #panelQr}: factors columns j0..j0+jb−1 and fills, from {@code vo} in
   * {@code vt} (leading dimension {@code vld}), the jb×(m − j0) block of Vᵀ on and right of its
   * diagonal (the entries left of the diagonal were zeroed by the caller).
   */
  private static Matrix panel(Compute compute, double[] a, int lda, int m, int j0, int jb, double[] tau,
      double[] vt, int vo, int vld) {
    int len = m - j0;
    if (jb <= PANEL_BASE) {
      double[] y = new double[jb];
      for (int i = j0; i < j0 + jb; i++) {
        tau[i] = larfg(m - i, a, i * lda + i, i * lda + i + 1);
        applyLeftByGemv(compute, a, lda, i, m - i, tau[i], i + 1, j0 + jb - i - 1, y);
      }
      for (int r = 0; r < jb; r++) {
        int row = vo + r * vld;
        java.util.Arrays.fill(vt, row, row + r, 0.0);
        vt[row + r] = 1;
        System.arraycopy(a, (j0 + r) * lda + j0 + r + 1, vt, row + r + 1, len - r - 1);
      }
      return larft(compute, Matrix.wrap(vt, vo, jb, Math.max(len, 1), vld), tau, j0, jb);
    }
    int n1 = jb / 2;
    int n2 = jb - n1;
    Matrix t1 = panel(compute, a, lda, m, j0, n1, tau, vt, vo, vld);
    Matrix vt1 = Matrix.wrap(vt, vo, n1, len, vld);
    applyBlock(compute, vt1, t1, true, a, lda, j0, j0 + n1, n2);
    int vo2 = vo + n1 * vld + n1;
    Matrix t2 = panel(compute, a, lda, m, j0 + n1, n2, tau, vt, vo2, vld);
    // V₁ᵀV₂ over rows j0+n1.. (V₂ is zero above them): V₁'s tail is columns n1.. of Vᵀ₁.
    Matrix vt2 = Matrix.wrap(vt, vo2, n2, len - n1, vld);
    Matrix v1tail = Matrix.wrap(vt, vo + n1, n1, len - n1, vld);
    Matrix g = Matrix.zeros(DType.F64, n1, n2);
    compute.gemm(Transpose.N, Transpose.T, 1.0, v1tail, vt2, 0.0, g);
    double[] t = new double[jb * jb];
    double[] t1d = t1.f64();
    double[] t2d = t2.f64();
    double[] gd = g.f64();
    // T₁₂ = −T₁·(G·T₂), both factors upper triangular: O(n1·n2·(n1 + n2)) scalar flops.
    double[] gt2 = new double[n1 * n2];
    for (int i = 0; i < n1; i++) {
      for (int j = 0; j < n2; j++) {
        double sum = 0;
        for (int p = 0; p <= j; p++) {
          sum += gd[i * n2 + p] * t2d[p * n2 + j];
        }
        gt2[i * n2 + j] = sum;
      }
    }
    for (int i = 0; i < n1; i++) {
      System.arraycopy(t1d, i * n1 + i, t, i * jb + i, n1 - i);
      for (int j = 0; j < n2; j++) {
        double sum = 0;
        for (int p = i; p < n1; p++) {
          sum += t1d[i * n1 + p] * gt2[p * n2 + j];
        }
        t[i * jb + n1 + j] = -sum;
      }
    }
    for (int i = 0; i < n2; i++) {
      System.arraycopy(t2d, i * n2 + i, t, (n1 + i) * jb + n1 + i, n2 - i);
    }
    return Matrix.wrap(t, jb, jb);
  }

  /**
   * The reflectors of columns {@code j0..j0+kb-1} (rows from the diagonal down) as an explicit
   * row-major {@code kb × (m-j0)} matrix Vᵀ with the unit diagonal and zeros above it.
   */
  static Matrix explicitVt(double[] a, int lda, int m, int j0, int kb) {
    int len = m - j0;
    double[] vt = new double[kb * len];
    for (int r = 0; r < kb; r++) {
      int src = (j0 + r) * lda + j0;
      vt[r * len + r] = 1;
      System.arraycopy(a, src + r + 1, vt, r * len + r + 1, len - r - 1);
    }
    return Matrix.wrap(vt, kb, Math.max(len, 1));
  }

  /**
   * LAPACK dlarft (forward, columnwise): the kb×kb upper triangular T with
   * H(0)…H(kb-1) = I − V·T·Vᵀ. Returned row-major. Cost about kb²·len flops (the Gram VᵀV on
   * {@code compute}) plus O(kb³).
   */
  static Matrix larft(Compute compute, Matrix vt, double[] tau, int tau0, int kb) {
    double[] t = new double[kb * kb];
    double[] w = new double[kb];
    // g(p, i) = V(:, p)ᵀ v_i. Vᵀ holds explicit zeros above the unit diagonal, so the full Gram
    // Vᵀ·V equals dlarft's sums over rows ≥ i. Why on the backend: once the recursive panel
    // (panelQr) moved the reflector applications into GEMMs, these kb²·len/2 scalar dot products
    // were as many flops as the whole unblocked panel had been, on one thread.
    Matrix gm = Matrix.zeros(DType.F64, kb, kb);
    compute.gram(Transpose.N, 1.0, vt, 0.0, gm);
    double[] g = gm.f64();
    for (int i = 0; i < kb; i++) {
      double ti = tau[tau0 + i];
      for (int p = 0; p < i; p++) {
        w[p] = -ti * g[p * kb + i];
      }
      for (int p = 0; p < i; p++) {
        double s = 0;
        for (int q = p; q < i; q++) {
          s += t[p * kb + q] * w[q];
        }
        t[p * kb + i] = s;
      }
      t[i * kb + i] = ti;
    }
    return Matrix.wrap(t, kb, kb);
  }

  /**
   * C ← H·C ({@code transposeH == false}) or C ← Hᵀ·C, H = I − V·T·Vᵀ, for the column-major
   * {@code len × nc} block C at rows {@code r0..}, columns {@code c0..} of {@code c}. Three GEMMs
   * on {@code compute}: W = Cᵀ·V, W ← W·T (or W·Tᵀ), Cᵀ ← Cᵀ − W·Vᵀ, the first and last cut into
   * independent items by {@link QrShapedGemm}.
   */
  static void applyBlock(Compute compute, Matrix vt, Matrix t, boolean transposeH,
      double[] c, int ldc, int r0, int c0, int nc) {
    int kb = vt.rows();
    int len = vt.cols();
    if (nc == 0 || kb == 0 || len == 0) {
      return;
    }
    applyBlock(compute, vt, t, transposeH, tview(c, ldc, r0, c0, len, nc));
  }

  /**
   * {@link #applyBlock(Compute, Matrix, Matrix, boolean, double[], int, int, int, int)} on the
   * row-major view Cᵀ ({@code nc × len}) of the block, in the dtype of {@code vt}, {@code t} and
   * {@code ct} (all three the same): the F32 trailing update of {@link HouseholderQr} runs here
   * on float storage.
   */
  static void applyBlock(Compute compute, Matrix vt, Matrix t, boolean transposeH, Matrix ct) {
    int kb = vt.rows();
    int nc = ct.rows();
    if (nc == 0 || kb == 0 || vt.cols() == 0) {
      return;
    }
    Matrix w = Matrix.zeros(vt.dtype(), nc, kb);
    QrShapedGemm.cross(compute, ct, vt, w);
    Matrix w2 = Matrix.zeros(vt.dtype(), nc, kb);
    // (Hᵀ C)ᵀ = Cᵀ − Cᵀ V T Vᵀ; (H C)ᵀ = Cᵀ − Cᵀ V Tᵀ Vᵀ.
    compute.gemm(Transpose.N, transposeH ? Transpose.N : Transpose.T, 1.0, w, t, 0.0, w2);
    // Vᵀ read as it is (transB = N): the backend's packing takes either layout, so V needs no
    // transposed copy (an m×kb copy per update before).
    QrShapedGemm.update(compute, -1.0, w2, vt, ct);
  }

  /**
   * Thin Q (column-major m×k, leading dimension m) from k reflectors stored below the diagonal of
   * the column-major m×? array {@code a}, blocked backward as LAPACK dorgqr.
   */
  static double[] formQ(Compute compute, double[] a, int lda, int m, int k, double[] tau, int nb) {
    double[] q = new double[Math.multiplyExact(m, Math.max(k, 0))];
    for (int i = 0; i < k; i++) {
      q[i * m + i] = 1;
    }
    int last = ((k - 1) / nb) * nb;
    for (int j = last; j >= 0 && k > 0; j -= nb) {
      int kb = Math.min(nb, k - j);
      Matrix vt = explicitVt(a, lda, m, j, kb);
      Matrix t = larft(compute, vt, tau, j, kb);
      applyBlock(compute, vt, t, false, q, m, j, j, k - j);
    }
    return q;
  }

  /**
   * B ← Q·B for column-major B (m × nrhs, leading dimension m), Q = H(0)…H(k−1) from k stored
   * reflectors, blocked backward as LAPACK dormqr (left, no transpose).
   */
  static void applyQ(Compute compute, double[] a, int lda, int m, int k, double[] tau, int nb,
      double[] b, int nrhs) {
    int last = ((k - 1) / nb) * nb;
    for (int j = last; j >= 0 && k > 0; j -= nb) {
      int kb = Math.min(nb, k - j);
      Matrix vt = explicitVt(a, lda, m, j, kb);
      Matrix t = larft(compute, vt, tau, j, kb);
      applyBlock(compute, vt, t, false, b, m, j, 0, nrhs);
    }
  }

  /** B ← Qᵀ·B for column-major B (m × nrhs, leading dimension m), Q from k stored reflectors. */
  static void applyQt(Compute compute, double[] a, int lda, int m, int k, double[] tau, int nb,
      double[] b, int nrhs) {
    for (int j = 0; j < k; j += nb) {
      int kb = Math.min(nb, k - j);
      Matrix vt = explicitVt(a, lda, m, j, kb);
      Matrix t = larft(compute, vt, tau, j, kb);
      applyBlock(compute, vt, t, true, b, m, j, 0, nrhs);
    }
  }

  /**
   * Solves R·X = B in place for upper triangular R (the leading k×k of column-major {@code r},
   * leading dimension ldr) and column-major B (k × nrhs, leading dimension ldb).
   * Entries with |R(i,i)| ≤ guard are treated as zero: the corresponding unknowns are set to 0
   * (the basic solution of the truncated system), which keeps the solve bounded when R is
   * numerically singular. Returns the number of such guarded pivots.
   */
  static int upperSolve(double[] r, int ldr, int k, double[] b, int boff, int ldb, int nrhs, double guard) {
    int guarded = 0;
    for (int i = 0; i < k; i++) {
      if (!(Math.abs(r[i * ldr + i]) > guard)) {
        guarded++;
      }
    }
    for (int c = 0; c < nrhs; c++) {
      int col = boff + c * ldb;
      for (int i = k - 1; i >= 0; i--) {
        double d = r[i * ldr + i];
        if (!(Math.abs(d) > guard)) {
          b[col + i] = 0;
          continue;
        }
        double x = b[col + i] / d;
        b[col + i] = x;
        if (x != 0) {
          int ri = i * ldr;
          for (int p = 0; p < i; p++) {
            b[col + p] -= x * r[ri + p];
          }
        }
      }
    }
    return guarded;
  }
}
