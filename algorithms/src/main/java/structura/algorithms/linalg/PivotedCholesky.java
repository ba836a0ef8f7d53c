package structura.algorithms.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Partial (greedy, diagonally pivoted) Cholesky of a symmetric positive semidefinite matrix:
 * A ≈ L·Lᵀ with L n×k, choosing at each step the largest residual diagonal entry, stopping at a
 * rank, when the residual trace falls below a tolerance, or when the largest residual diagonal
 * entry falls below a tolerance relative to the largest diagonal entry of A.
 *
 * <p><b>Method.</b> At step k: p = argmax of the residual diagonal d over the rows not yet
 * chosen; column l = (A(:, p) − L(:, 0:k)·L(p, 0:k)ᵀ)/√d(p), with the chosen rows pinned to zero
 * and l(p) = √d(p); d ← d − l². Since trace(A − LLᵀ) = Σd, the trace stop is exact. On a Gram
 * matrix XᵀX the pivots are those of column-pivoted QR of X (in exact arithmetic), see
 * {@link GramInterpolativeDecomposition}.
 *
 * <p><b>Blocking (explicit matrices).</b> As LAPACK's dpstrf: within a panel of
 * {@code blockSize} pivots, each new column is updated by the panel's earlier columns only
 * (level 2), and after the panel the residual matrix of the rows not yet chosen takes the panel's
 * rank-nb update through the backend's GEMM (level 3). The greedy choice needs the updated diagonal
 * after every step, and that is all it needs: the diagonal is updated column by column inside the
 * panel, so blocking does not change the pivots. Each chosen row and column is swapped to the
 * front (a symmetric permutation, as dpstrf's), so the rows not yet chosen are the trailing
 * positions: the update runs on the upper triangle of that trailing block in place, in row blocks,
 * with no gather or scatter and about half the flops of the full square. The pivot search and the
 * residual diagonal stay in A's row order, so ties break as without the permutation (the lowest
 * index first). The residual copy of A (n² doubles) is made at the first panel update, so a rank
 * up to {@code blockSize} reads A in place.
 *
 * <p><b>Implicit matrices</b> ({@link #factor(int, IntFunction, double[], DType)}, e.g. a kernel
 * matrix evaluated on demand): the same steps with one panel covering all of them, so only the
 * diagonal and the k pivot columns are ever read.
 *
 * <p><b>Source.</b> H. Harbrecht, M. Peters and R. Schneider, "On the low-rank approximation by
 * the pivoted Cholesky decomposition", Appl. Numer. Math. 62(4), 2012, Alg. 1; N. J. Higham,
 * "Cholesky factorization", WIREs Comp. Stat. 1(2), 2009 (complete pivoting); C. Lucas, "LAPACK-style
 * codes for level 2 and 3 pivoted Cholesky factorizations", LAPACK Working Note 161, 2004 (dpstrf);
 * as used for GP preconditioning in GPyTorch (Gardner et al., NeurIPS 2018).
 *
 * <p><b>Cost.</b> About (n·k² − 2k³/3)·(1 + 256/n) flops in the panel updates on the backend's
 * GEMM (the upper triangle of the trailing block, in row blocks of 256), n·k·nb in the level-2
 * steps, n + k(n+1) reads of A. Memory: L (n×k) in double, plus the n×n residual when k exceeds
 * the block size.
 *
 * <p><b>Deviations.</b> Stops early when the largest residual diagonal entry is not above the
 * pivot tolerance (A numerically of rank k), so {@link PivotedCholeskyResult#rank()} can be below
 * maxRank.
 */
public final class PivotedCholesky {
  /** Fewest multiply-subtracts in a level-2 step worth splitting over the host threads. */
  static final long LEVEL2_PARALLEL_MIN = 1 << 15;
  /** Fewest positions per range of a split level-2 step. */
  static final int LEVEL2_MIN_COLUMNS = 256;
  private final Compute compute;
  private final PivotedCholeskyOptions options;

  /**
   * @param compute backend for the panel updates of explicit matrices
   * @param options rank, trace and pivot tolerances, block size
   */
  public PivotedCholesky(Compute compute, PivotedCholeskyOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Factors the symmetric PSD matrix {@code a}. Not modified: a (row p is read as column p).
   *
   * @throws InvalidArgumentException if {@code a} is empty, not square, not finite, has a negative
   *     diagonal entry, or maxRank exceeds n
   */
  public PivotedCholeskyResult factor(Matrix a) {
    return factorExplicit(a, false);
  }

  /**
   * As {@link #factor(Matrix)}, using {@code a} itself as the workspace of the residual matrix,
   * which saves an n×n copy when the rank exceeds the block size. Modified: a (F64, compact),
   * which afterwards holds workspace values (when the rank exceeds the block size, a symmetric
   * permutation of A partly updated to residuals); read the result, not a.
   *
   * @throws InvalidArgumentException as {@link #factor(Matrix)}, and if {@code a} is not a compact
   *     F64 matrix
   */
  public PivotedCholeskyResult factorInPlace(Matrix a) {
    Objects.requireNonNull(a, "a");
    if (a.dtype() != DType.F64 || !a.isCompact() || a.offset() != 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "PivotedCholesky.factorInPlace: argument 'a' must be a compact F64 matrix (it is the workspace).",
          "Pass a.toDType(DType.F64).copy(), or call factor(a), which leaves a unchanged.");
    }
    return factorExplicit(a, true);
  }

  private PivotedCholeskyResult factorExplicit(Matrix a, boolean inPlace) {
    Checks.input("PivotedCholesky.factor", "a", a);
    Checks.square("PivotedCholesky.factor", "a", a);
    int n = a.rows();
    Checks.rank("PivotedCholesky.factor", "maxRank", options.maxRank(), n, true);
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = a.get(i, i);
      if (diag[i] < 0) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
            "PivotedCholesky.factor: argument 'a' has a negative diagonal entry " + diag[i] + " at " + i
                + ", so it is not positive semidefinite.",
            "Pass a PSD matrix (a covariance, Gram or kernel matrix).");
      }
    }
    Residual residual = new Residual(a, inPlace);
    return run(n, residual::column, residual, diag, a.dtype());
  }

  /**
   * Factors an implicit symmetric PSD matrix (a kernel matrix evaluated on demand): only its
   * diagonal and the k pivot columns are ever requested, so an n×n matrix costs O(nk) storage.
   *
   * @param n order of the matrix
   * @param column returns column j as a new array of length n (it is overwritten)
   * @param diagonal the n diagonal entries (not modified); must be finite and non-negative
   * @param dtype dtype of the returned L
   * @return the partial factorization
   * @throws InvalidArgumentException for a bad diagonal, a column of the wrong length or with
   *     non-finite values, or maxRank above n
   */
  public PivotedCholeskyResult factor(int n, IntFunction<double[]> column, double[] diagonal, DType dtype) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(diagonal, "diagonal");
    Objects.requireNonNull(dtype, "dtype");
    Checks.positive("PivotedCholesky.factor", "n", n);
    if (diagonal.length != n) {
      throw Checks.mismatch("PivotedCholesky.factor: diagonal has " + diagonal.length + " entries, n = " + n + ".",
          "Pass the n diagonal entries.");
    }
    Checks.rank("PivotedCholesky.factor", "maxRank", options.maxRank(), n, true);
    for (int i = 0; i < n; i++) {
      if (!(diagonal[i] >= 0) || Double.isInfinite(diagonal[i])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
            "PivotedCholesky.factor: argument 'diagonal' has entry " + diagonal[i] + " at " + i
                + " (must be finite and non-negative for a PSD matrix).", "Pass the diagonal of a PSD matrix.");
      }
    }
    return run(n, (j, k, perm, out, off) -> {
      double[] c = column.apply(j);
      if (c == null || c.length != n) {
        throw Checks.mismatch("PivotedCholesky.factor: column " + j + " has " + (c == null ? "no" : c.length)
            + " entries, n = " + n + ".", "Return a new array of length n from the column function.");
      }
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(c[i])) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "PivotedCholesky.factor: column " + j + " has a non-finite value " + c[i] + " at row " + i + ".",
              "Check the kernel or matrix function for overflow.");
        }
      }
      for (int i = k; i < n; i++) {
        out[off + i] = c[perm[i]];
      }
    }, null, diagonal.clone(), dtype);
  }

  /**
   * Supplies the residual matrix's column p (the pivot, now at position k) at the positions
   * k..n−1: {@code out[off + i] = R(p, perm[i])}.
   */
  @FunctionalInterface
  private interface ColumnSource {
    void column(int p, int k, int[] perm, double[] out, int off);
  }

  /**
   * The greedy steps, in pivot positions: step k swaps the chosen row into position k (a symmetric
   * permutation, as dpstrf's), so that the rows not yet chosen are the positions k..n−1. With
   * {@code residual} null there are no panel updates: every column is updated by all earlier ones
   * (one panel). Otherwise panels of {@code blockSize} pivots, each followed by the rank-nb update
   * of the residual's trailing positions.
   *
   * <p>The pivot search, the residual diagonal and its sum run in A's row order, and every entry
   * of L and of the residual gets the same operations in the same order as without the
   * permutation, so the positions change where values are stored, never a value or a tie-break.
   *
   * @param diag the initial diagonal (A's row order), overwritten with the residual diagonal
   */
  private PivotedCholeskyResult run(int n, ColumnSource source, Residual residual, double[] diag, DType dtype) {
    int kmax = options.maxRank() == 0 ? n : options.maxRank();
    int hostThreads = compute.backend().hostThreads();
    int nb = residual == null ? kmax : options.blockSize();
    double trace = 0;
    double d0 = 0;
    for (double v : diag) {
      trace += v;
      d0 = Math.max(d0, v);
    }
    double pivotFloor = options.pivotTolerance() * d0;
    // L column by column (column c at c·n), entry i of a column in position i, i.e. of row perm[i].
    double[] l = new double[Math.multiplyExact(n, kmax)];
    int[] perm = new int[n];
    int[] pos = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
      pos[i] = i;
    }
    int[] piv = new int[kmax];
    double[] pivotValue = new double[kmax];
    boolean[] taken = new boolean[n];
    // L in A's row order (the result), each panel's columns copied in when the panel is done
    double[] columns = new double[Math.multiplyExact(n, kmax)];
    int k = 0;
    double remaining = trace;
    boolean exhausted = false;
    while (k < kmax && !exhausted) {
      int panel = k;
      int end = Math.min(kmax, k + nb);
      while (k < end) {
        if (k > 0 && remaining <= options.traceTolerance() * trace) {
          exhausted = true;
          break;
        }
        int p = largestUntaken(diag, taken);
        double best = p < 0 ? -1 : diag[p];
        if (p < 0 || !(best > pivotFloor)) {
          exhausted = true;
          break;
        }
        taken[p] = true;
        piv[k] = p;
        pivotValue[k] = best;
        int t = pos[p];
        if (t != k) {
          swapPositions(k, t, perm, pos, l, n, panel);
          if (residual != null) {
            residual.swap(k, t);
          }
        }
        // column k: the residual's pivot column at the positions not chosen (the chosen ones,
        // positions < k, stay zero: they are exactly interpolated), less the panel's columns
        int row = k * n;
        source.column(p, k, perm, l, row);
        int first = k + 1;
        int from = panel;
        int step = k;
        if ((long) (k - panel) * (n - first) >= LEVEL2_PARALLEL_MIN) {
          RowRanges.forEach(hostThreads, n - first, LEVEL2_MIN_COLUMNS,
              (lo, hi) -> subtractPanel(l, n, from, step, first + lo, first + hi));
        } else {
          subtractPanel(l, n, from, step, first, n);
        }
        double sc = 1 / Math.sqrt(best);
        for (int j = k + 1; j < n; j++) {
          l[row + j] *= sc;
        }
        l[row + k] = Math.sqrt(best);
        remaining = downdateDiagonal(diag, taken, l, row, pos, n);
        diag[p] = 0;
        k++;
      }
      // the panel's columns are final: back to A's row order through the permutation as it is now
      for (int c = panel; c < k; c++) {
        int src = c * n;
        for (int i = 0; i < n; i++) {
          columns[src + perm[i]] = l[src + i];
        }
      }
      if (residual != null && k > panel && !exhausted && k < kmax) {
        residual.update(compute, l, panel, k);
      }
    }
    return new PivotedCholeskyResult(Arrays.copyOf(piv, k), dtype, n, remaining, trace,
        k == kmax ? columns : Arrays.copyOf(columns, k * n), Arrays.copyOf(pivotValue, k));
  }

  /** The first index (in A's row order) of the largest residual diagonal entry not taken; −1 if none. */
  private static int largestUntaken(double[] diag, boolean[] taken) {
    int p = -1;
    double best = -1;
    for (int i = 0; i < diag.length; i++) {
      if (!taken[i] && diag[i] > best) {
        best = diag[i];
        p = i;
      }
    }
    return p;
  }

  /**
   * {@code d(j) ← max(0, d(j) − L(j, k)²)} for the rows not taken, in A's row order (column k at
   * {@code l[row ..]} in positions); returns their sum, the residual trace.
   */
  private static double downdateDiagonal(double[] diag, boolean[] taken, double[] l, int row, int[] pos, int n) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      if (!taken[j]) {
        double v = l[row + pos[j]];
        diag[j] = Math.max(0, diag[j] - v * v);
        sum += diag[j];
      }
    }
    return sum;
  }

  /**
   * The level-2 step of column k: {@code L(j, k) −= L(k, i)·L(j, i)} for the panel's earlier
   * columns i = from..k−1 in that order, at the positions j in [lo, hi). Each position gets the
   * same operations whatever range it falls in, so a split over threads does not change a bit.
   */
  private static void subtractPanel(double[] l, int n, int from, int k, int lo, int hi) {
    int row = k * n;
    for (int i = from; i < k; i++) {
      double lp = l[i * n + k];
      if (lp != 0) {
        int src = i * n;
        for (int j = lo; j < hi; j++) {
          l[row + j] -= lp * l[src + j];
        }
      }
    }
  }

  /**
   * Swaps positions k and t (k &lt; t) in the permutation and in the current panel's columns
   * {@code panel..k−1}, the only ones read again (earlier panels' columns were copied to the
   * result, in A's row order, when their panel was done).
   */
  private static void swapPositions(int k, int t, int[] perm, int[] pos, double[] l, int n, int panel) {
    int a = perm[k];
    int b = perm[t];
    perm[k] = b;
    perm[t] = a;
    pos[b] = k;
    pos[a] = t;
    for (int c = panel; c < k; c++) {
      int base = c * n;
      double v = l[base + k];
      l[base + k] = l[base + t];
      l[base + t] = v;
    }
  }

  /**
   * The residual matrix of an explicit A, in pivot positions. Until the first panel update it is
   * A itself, read through the permutation (the swaps so far are recorded); then an n×n F64
   * array (a copy of A, or A's own storage in place), symmetrically permuted by the recorded swaps,
   * of which only the upper triangle of the trailing positions (k..n−1, row-major) is kept
   * current: row k from position k on is then the pivot column, read contiguously. Everything
   * else is stale.
   */
  private static final class Residual {
    /**
     * Rows of the trailing upper triangle per GEMM of an update: each call computes its rows from
     * their diagonal to the right, so the square blocks on the diagonal are the only work done
     * twice (about (1 + UPDATE_ROWS/u)/2 of the full square's flops at u trailing positions).
     */
    static final int UPDATE_ROWS = 256;
    private final Matrix a;
    private final boolean inPlace;
    private final int n;
    private double[] c;      // null until the first update
    private int[] swaps = new int[16];
    private int swapCount;

    Residual(Matrix a, boolean inPlace) {
      this.a = a;
      this.inPlace = inPlace;
      this.n = a.rows();
    }

    /** {@code out[off + i] = R(p, perm[i])} for the positions i ≥ k (p at position k). */
    void column(int p, int k, int[] perm, double[] out, int off) {
      if (c != null) {
        System.arraycopy(c, k * n + k, out, off + k, n - k);
      } else {
        for (int i = k; i < n; i++) {
          out[off + i] = a.get(p, perm[i]);
        }
      }
    }

    /** Positions k and t (k &lt; t) swap, k being the current step. */
    void swap(int k, int t) {
      if (c == null) {
        if (2 * swapCount + 2 > swaps.length) {
          swaps = Arrays.copyOf(swaps, 2 * swaps.length);
        }
        swaps[2 * swapCount] = k;
        swaps[2 * swapCount + 1] = t;
        swapCount++;
        return;
      }
      // upper triangle of the positions ≥ k (rows < k are never read again), as dpstrf's swaps
      double[] r = c;
      int kk = k * n;
      int tt = t * n;
      double v = r[kk + k];
      r[kk + k] = r[tt + t];
      r[tt + t] = v;
      for (int i = k + 1; i < t; i++) {
        int x = i * n + t;
        v = r[kk + i];
        r[kk + i] = r[x];
        r[x] = v;
      }
      for (int j = t + 1; j < n; j++) {
        v = r[kk + j];
        r[kk + j] = r[tt + j];
        r[tt + j] = v;
      }
    }

    /**
     * {@code R(T, T) −= L(T, P)·L(T, P)ᵀ} for the trailing positions T = to..n−1 and the panel
     * columns P = from..to−1 of L: the upper triangle in row blocks of {@value #UPDATE_ROWS}, each one backend
     * GEMM with depth to − from, reading L's columns in place. Updating only the positions not
     * chosen makes the whole factorization cost about (n·k² − 2k³/3)/2 multiply-adds.
     */
    void update(Compute compute, double[] l, int from, int to) {
      if (c == null) {
        c = inPlace ? a.f64() : a.toDType(DType.F64).f64(); // toDType copies into a compact array
        for (int s = 0; s < swapCount; s++) {
          swapFull(swaps[2 * s], swaps[2 * s + 1]);
        }
        swaps = null;
      }
      int kb = to - from;
      int off = from * n;
      for (int ib = to; ib < n; ib += UPDATE_ROWS) {
        int rows = Math.min(UPDATE_ROWS, n - ib);
        compute.gemm(Transpose.T, Transpose.N, -1.0, Matrix.wrap(l, off + ib, kb, rows, n),
            Matrix.wrap(l, off + ib, kb, n - ib, n), 1.0, Matrix.wrap(c, ib * n + ib, rows, n - ib, n));
      }
    }

    /** Rows and columns s and t of the whole symmetric matrix swap (the swaps made before c existed). */
    private void swapFull(int s, int t) {
      double[] r = c;
      int ss = s * n;
      int tt = t * n;
      for (int j = 0; j < n; j++) {
        double v = r[ss + j];
        r[ss + j] = r[tt + j];
        r[tt + j] = v;
      }
      for (int i = 0; i < n; i++) {
        int x = i * n;
        double v = r[x + s];
        r[x + s] = r[x + t];
        r[x + t] = v;
      }
    }
  }
}
