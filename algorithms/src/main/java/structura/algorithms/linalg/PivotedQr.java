package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Column-pivoted Householder QR, A·P = Q·R, blocked as LAPACK dgeqp3/dlaqps, stopping at a rank
 * or a relative tolerance (a truncated rank-revealing QR).
 *
 * <p><b>Method.</b> Businger–Golub pivoting: at step k the column with the largest residual norm
 * is moved to position k. The blocked form (Quintana-Ortí, Sun and Bischof) defers the update of
 * the trailing matrix: within a panel it maintains F with A_trail ← A_trail − V·Fᵀ and updates only
 * the current row (dlaqps), then applies one GEMM through {@link Compute} at the end of the panel.
 * Residual column norms are downdated, vn1(j) ← vn1(j)·√(1 − (|R(k,j)|/vn1(j))²), and a column
 * whose downdated norm has lost too much accuracy ((vn1/vn2)²·(1−…) ≤ tol3z = √ε, the LAPACK 3.x
 * safeguard of Drmač and Bujanović) ends the panel early and is recomputed from the updated
 * matrix. The pivot is the first index of the largest downdated norm (idamax), so the sequence
 * matches LAPACK's wherever the norms are not near ties.
 *
 * <p>With {@link QrPreprocessing} (by default when A is tall, m ≥ 2n, and the factorization goes
 * to at least n/4 columns) A is first reduced to its triangular factor R₁ by {@link HouseholderQr}, and
 * the pivoting above runs on the min(m, n)×n matrix R₁: same pivots and R in exact arithmetic, but
 * the memory-bound level-2 half of the work shrinks from m·n to n·n per step.
 *
 * <p><b>Source.</b> P. Businger and G. H. Golub, "Linear least squares solutions by Householder
 * transformations", Numer. Math. 7, 1965; G. Quintana-Ortí, X. Sun and C. H. Bischof, "A BLAS-3
 * version of the QR factorization with column pivoting", SIAM J. Sci. Comput. 19(5), 1998;
 * Z. Drmač and Z. Bujanović, "On the failure of rank-revealing QR factorization software — a case
 * study", ACM TOMS 35(2), 2008 (the tol3z safeguard); LAPACK 3.12 dgeqp3, dlaqps, dlaqp2.
 *
 * <p><b>Cost.</b> 4mnk − 2k²(m + n) + 4k³/3 flops for k steps: about half in the trailing GEMMs
 * and half in the level-2 F-column products (inherent to dgeqp3), which also go to the backend
 * ({@link Compute#gemv}); Q on demand 2mk² more. With the preprocessing: 2mn² − 2n³/3 (level 3)
 * for A = Q₁R₁ plus the above with m = n. Memory: a column-major double copy of A plus an
 * n×blockSize F, and an n×n copy of R₁ with the preprocessing.
 *
 * <p><b>Deviations.</b> Stops early at {@code maxRank} or when |R(k,k)| ≤ tol·|R(0,0)| (dgeqp3
 * always completes). The unblocked tail starts when fewer than {@code blockSize} columns remain
 * (dgeqp3 uses a crossover of 128). No fixed (pre-pivoted) columns. F32 inputs are pivoted in
 * double and the results rounded to F32, so F32 pivots can differ from sgeqp3 at near ties; with
 * the preprocessing their reduction A = Q₁R₁ runs in F32 as {@link HouseholderQr}'s does (float
 * storage, SGEMM updates), the pivoting on R₁ in double.
 */
public final class PivotedQr {
  private static final double TOL3Z = Math.sqrt(Math.ulp(1.0));

  private final Compute compute;
  private final PivotedQrOptions options;


  /**
   * @param compute backend for the level-3 trailing updates
   * @param options stopping rank and tolerance, block size
   */
  public PivotedQr(Compute compute, PivotedQrOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Factors {@code a}; the input is not modified.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} if {@code a} is empty,
   *     holds NaN/Inf, or {@code maxRank > min(m, n)}
   */
  public PivotedQrFactorization factor(Matrix a) {
    Checks.input("PivotedQr.factor", "a", a);
    Checks.rank("PivotedQr.factor", "maxRank", options.maxRank(), Math.min(a.rows(), a.cols()), true);
    int m = a.rows();
    int n = a.cols();
    if (reducesFirst(options.preprocessing(), options.maxRank(), m, n)) {
      int r = Math.min(m, n);
      int lda = Householder.paddedLeadingDimension(m);
      double[] tau1 = new double[r];
      double[] w = reduce(compute, a, lda, tau1);
      return factorDirect(compute, options, upperTrapezoid(w, lda, m, n), r, n, a.dtype()).withOuter(w, lda, tau1, m);
    }
    return factorDirect(compute, options, Householder.toColumnMajor(a), m, n, a.dtype());
  }

  /** Pivoted QR of the column-major m×n array {@code w} (overwritten). */
  static PivotedQrFactorization factorColumnMajor(Compute compute, PivotedQrOptions options, double[] w,
      int m, int n, structura.api.DType dtype) {
    if (reducesFirst(options.preprocessing(), options.maxRank(), m, n)) {
      return factorAfterQr(compute, options, w, m, m, n, dtype);
    }
    return factorDirect(compute, options, w, m, n, dtype);
  }

  /** The {@link QrPreprocessing} decision for an m×n A and a stopping rank (0: full); AUTO's rule is documented there. */
  static boolean reducesFirst(QrPreprocessing preprocessing, int maxRank, int m, int n) {
    return switch (preprocessing) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> m >= 2L * n && (maxRank == 0 || 4L * maxRank >= n);
    };
  }

  /**
   * A = Q₁·R₁ by blocked Householder QR in place, then the direct pivoted QR of a copy of the
   * r×n upper trapezoid R₁ (r = min(m, n)); {@code w} keeps Q₁'s reflectors for Q on demand.
   */
  private static PivotedQrFactorization factorAfterQr(Compute compute, PivotedQrOptions options, double[] w,
      int lda, int m, int n, structura.api.DType dtype) {
    int r = Math.min(m, n);
    double[] tau1 = new double[r];
    double[] r1 = reduceToTriangle(compute, w, lda, m, n, tau1);
    return factorDirect(compute, options, r1, r, n, dtype).withOuter(w, lda, tau1, m);
  }

  /** Block size of the {@link QrPreprocessing} reduction: {@link HouseholderQr}'s default. */
  static final int REDUCTION_BLOCK = HouseholderQrOptions.defaults().blockSize();

  /**
   * A = Q₁·R₁ in place in the column-major m×n {@code w} of leading dimension {@code lda} ≥ m
   * (reflectors below the diagonal, scalars into {@code tau1}, length min(m, n)); returns a compact
   * column-major copy of the min(m, n)×n upper trapezoid R₁ with zeros below the diagonal.
   */
  static double[] reduceToTriangle(Compute compute, double[] w, int lda, int m, int n, double[] tau1) {
    HouseholderQr.factorInPlace(compute, w, lda, m, n, tau1, REDUCTION_BLOCK);
    return upperTrapezoid(w, lda, m, n);
  }

  /**
   * The {@link QrPreprocessing} reduction A = Q₁·R₁ of the row-major {@code a} as
   * {@link HouseholderQr} computes it: a new column-major array of leading dimension {@code lda}
   * (padded, {@link Householder#paddedLeadingDimension}; only this reduction walks all m rows)
   * holding R₁ and the reflectors, scalars into {@code tau1}. F32 inputs take the F32 path
   * (float storage and SGEMM updates, {@code SinglePrecisionQr}), so R₁ carries F32 rounding, as
   * the rest of an F32 factorization does.
   */
  static double[] reduce(Compute compute, Matrix a, int lda, double[] tau1) {
    if (a.dtype() == structura.api.DType.F32) {
      return SinglePrecisionQr.factor(compute, a, lda, tau1, REDUCTION_BLOCK);
    }
    double[] w = Householder.toColumnMajor(a, lda);
    HouseholderQr.factorInPlace(compute, w, lda, a.rows(), a.cols(), tau1, REDUCTION_BLOCK);
    return w;
  }

  /** Compact column-major copy of the min(m, n)×n upper trapezoid of {@code w} (leading dimension lda), zeros below the diagonal. */
  static double[] upperTrapezoid(double[] w, int lda, int m, int n) {
    int r = Math.min(m, n);
    double[] r1 = new double[Math.multiplyExact(r, n)];
    for (int j = 0; j < n; j++) {
      System.arraycopy(w, j * lda, r1, j * r, Math.min(j + 1, r));
    }
    return r1;
  }

  private static PivotedQrFactorization factorDirect(Compute compute, PivotedQrOptions options, double[] w,
      int m, int n, structura.api.DType dtype) {
    int minmn = Math.min(m, n);
    int kmax = options.maxRank() == 0 ? minmn : options.maxRank();
    int nb = options.blockSize();
    int[] jpvt = new int[n];
    double[] vn1 = new double[n];
    double[] vn2 = new double[n];
    double[] tau = new double[minmn];
    for (int j = 0; j < n; j++) {
      jpvt[j] = j;
      vn1[j] = Householder.norm2(w, j * m, m);
      vn2[j] = vn1[j];
    }
    State s = new State(w, m, n, jpvt, vn1, vn2, tau, options.relativeTolerance(), kmax);
    int j = 0;
    if (nb > 1 && nb < kmax) {
      double[] f = new double[n * nb];
      double[] auxv = new double[nb];
      while (j < kmax - nb && !s.stopped) {
        j += laqps(compute, s, j, nb, f, auxv);
      }
    }
    if (!s.stopped && j < kmax) {
      laqp2(s, j);
    }
    int rank = s.stopped ? s.rank : kmax;
    return new PivotedQrFactorization(compute, w, m, n, tau, jpvt, rank, nb, dtype);
  }

  /** Mutable factorization state; {@code rank}/{@code stopped} record an early stop. */
  private static final class State {
    final double[] a;
    final int m;
    final int n;
    final int[] jpvt;
    final double[] vn1;
    final double[] vn2;
    final double[] tau;
    final double tol;
    final int kmax;
    double r00 = -1;
    boolean stopped;
    int rank;

    State(double[] a, int m, int n, int[] jpvt, double[] vn1, double[] vn2, double[] tau, double tol, int kmax) {
      this.a = a;
      this.m = m;
      this.n = n;
      this.jpvt = jpvt;
      this.vn1 = vn1;
      this.vn2 = vn2;
      this.tau = tau;
      this.tol = tol;
      this.kmax = kmax;
    }

    /** Records |R(c,c)|; true when step c falls below the tolerance (rank = c). */
    boolean belowTolerance(int c) {
      double d = Math.abs(a[c * m + c]);
      if (c == 0) {
        r00 = d;
        return false;
      }
      if (d <= tol * r00) {
        stopped = true;
        rank = c;
        return true;
      }
      return false;
    }

    int idamax(int from) {
      int best = from;
      double v = vn1[from];
      for (int j = from + 1; j < n; j++) {
        if (vn1[j] > v) {
          v = vn1[j];
          best = j;
        }
      }
      return best;
    }

    void swap(int p, int k) {
      if (p == k) {
        return;
      }
      int pp = p * m;
      int kk = k * m;
      for (int i = 0; i < m; i++) {
        double t = a[pp + i];
        a[pp + i] = a[kk + i];
        a[kk + i] = t;
      }
      int t = jpvt[p];
      jpvt[p] = jpvt[k];
      jpvt[k] = t;
      vn1[p] = vn1[k];
      vn2[p] = vn2[k];
    }
  }

  /**
   * One dlaqps panel starting at column (and row) {@code off}: at most {@code nb} steps. Returns
   * the number of columns factored. F is stored row-major with leading dimension nb, row r for
   * column off + r.
   */
  private static int laqps(Compute compute, State s, int off, int nb, double[] f, double[] auxv) {
    double[] a = s.a;
    int m = s.m;
    int n = s.n;
    int ncols = n - off;
    int lastrk = Math.min(m, n);
    int lsticc = -1;
    int k = 0;
    java.util.Arrays.fill(f, 0, ncols * nb, 0.0);
    while (k < nb && lsticc < 0) {
      int c = off + k;
      int rk = c;
      int pvt = s.idamax(c);
      if (pvt != c) {
        s.swap(pvt, c);
        int fp = (pvt - off) * nb;
        int fk = (c - off) * nb;
        for (int q = 0; q < k; q++) {
          double t = f[fp + q];
          f[fp + q] = f[fk + q];
          f[fk + q] = t;
        }
      }
      // A(rk:m, c) -= A(rk:m, off:c) · F(c, 0:k)ᵀ
      int colc = c * m;
      int fc = (c - off) * nb;
      for (int q = 0; q < k; q++) {
        double fq = f[fc + q];
        if (fq != 0) {
          int colq = (off + q) * m;
          for (int i = rk; i < m; i++) {
            a[colc + i] -= a[colq + i] * fq;
          }
        }
      }
      s.tau[c] = Householder.larfg(m - rk, a, colc + rk, colc + rk + 1);
      if (s.belowTolerance(c)) {
        return k;
      }
      double akk = a[colc + rk];
      a[colc + rk] = 1;
      double tauk = s.tau[c];
      // F(k+1:, k) = tau · A(rk:m, c+1:n)ᵀ · v: the one large level-2 product of each step
      // (2(m−rk)(n−c) flops, half of dgeqp3's work), so it goes to the backend's GEMV too.
      if (c + 1 < n) {
        Matrix at = Householder.tview(a, m, rk, c + 1, m - rk, n - c - 1);
        Matrix v = Matrix.wrap(a, colc + rk, 1, m - rk, m - rk);
        Matrix fcol = Matrix.wrap(f, (c + 1 - off) * nb + k, n - c - 1, 1, nb);
        compute.gemv(Transpose.N, tauk, at, v, 0.0, fcol);
      }
      for (int jj = off; jj <= c; jj++) {
        f[(jj - off) * nb + k] = 0;
      }
      // F(:, k) -= tau · F(:, 0:k) · (A(rk:m, off:c)ᵀ · v)
      if (k > 0) {
        for (int q = 0; q < k; q++) {
          auxv[q] = -tauk * Householder.dot(a, (off + q) * m + rk, a, colc + rk, m - rk);
        }
        for (int r = 0; r < ncols; r++) {
          int fr = r * nb;
          double sum = 0;
          for (int q = 0; q < k; q++) {
            sum += f[fr + q] * auxv[q];
          }
          f[fr + k] += sum;
        }
      }
      // Row rk of the trailing columns: A(rk, c+1:n) -= A(rk, off:c+1) · F(c+1:n, 0:k+1)ᵀ
      for (int jj = c + 1; jj < n; jj++) {
        int fr = (jj - off) * nb;
        double sum = 0;
        for (int q = 0; q <= k; q++) {
          sum += a[(off + q) * m + rk] * f[fr + q];
        }
        a[jj * m + rk] -= sum;
      }
      // Downdate the partial column norms; flag the ones that lost accuracy (linked via vn2).
      if (rk < lastrk - 1) {
        for (int jj = c + 1; jj < n; jj++) {
          if (s.vn1[jj] != 0) {
            double temp = Math.abs(a[jj * m + rk]) / s.vn1[jj];
            temp = Math.max(0, (1 + temp) * (1 - temp));
            double ratio = s.vn1[jj] / s.vn2[jj];
            double temp2 = temp * ratio * ratio;
            if (temp2 <= TOL3Z) {
              s.vn2[jj] = lsticc;
              lsticc = jj;
            } else {
              s.vn1[jj] *= Math.sqrt(temp);
            }
          }
        }
      }
      a[colc + rk] = akk;
      k++;
      if (c + 1 >= s.kmax) {
        s.stopped = true;
        s.rank = s.kmax;
        return k;
      }
    }
    int kb = k;
    int rk = off + kb;
    // Trailing update A(rk:m, off+kb:n) -= A(rk:m, off:off+kb) · F(kb:, 0:kb)ᵀ, as a GEMM on the
    // transposed (row-major) views: Aᵀ_22 -= F_2 · Aᵀ_21.
    if (kb < Math.min(n - off, m - off) && rk < m) {
      Matrix f2 = Matrix.wrap(f, kb * nb, ncols - kb, kb, nb);
      // A21 copied to a compact (m−rk)×kb matrix so that both GEMM operands are read along rows.
      Matrix a21 = Householder.tview(a, m, rk, off, m - rk, kb).transposeCopy();
      Matrix at22 = Householder.tview(a, m, rk, off + kb, m - rk, n - off - kb);
      compute.gemm(Transpose.N, Transpose.T, -1.0, f2, a21, 1.0, at22);
    }
    // Recompute the flagged norms from the updated matrix.
    while (lsticc >= 0) {
      int next = (int) s.vn2[lsticc];
      s.vn1[lsticc] = Householder.norm2(a, lsticc * m + rk, m - rk);
      s.vn2[lsticc] = s.vn1[lsticc];
      lsticc = next;
    }
    return kb;
  }

  /** dlaqp2: unblocked pivoted QR of columns {@code off..} (rows from {@code off}). */
  private static void laqp2(State s, int off) {
    double[] a = s.a;
    int m = s.m;
    int n = s.n;
    for (int c = off; c < s.kmax; c++) {
      int pvt = s.idamax(c);
      s.swap(pvt, c);
      int colc = c * m;
      s.tau[c] = Householder.larfg(m - c, a, colc + c, colc + c + 1);
      if (s.belowTolerance(c)) {
        return;
      }
      Householder.applyLeft(a, m, c, m - c, c, s.tau[c], c + 1, n - c - 1);
      for (int jj = c + 1; jj < n; jj++) {
        if (s.vn1[jj] != 0) {
          double temp = Math.abs(a[jj * m + c]) / s.vn1[jj];
          temp = Math.max(0, 1 - temp * temp);
          double ratio = s.vn1[jj] / s.vn2[jj];
          double temp2 = temp * ratio * ratio;
          if (temp2 <= TOL3Z) {
            if (c + 1 < m) {
              s.vn1[jj] = Householder.norm2(a, jj * m + c + 1, m - c - 1);
              s.vn2[jj] = s.vn1[jj];
            } else {
              s.vn1[jj] = 0;
              s.vn2[jj] = 0;
            }
          } else {
            s.vn1[jj] *= Math.sqrt(temp);
          }
        }
      }
    }
  }
}
