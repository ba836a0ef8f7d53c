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
 * rank-nb update as one backend GEMM (level 3). The greedy choice needs the updated diagonal
 * after every step, and that is all it needs: the diagonal is updated column by column inside the
 * panel, so blocking does not change the pivots. The residual copy of A (n² doubles) is made at
 * the first panel update, so a rank up to {@code blockSize} reads A in place.
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
 * <p><b>Cost.</b> About n·k² flops (the panel updates, f·r² − 2r³/3 in all, on the backend's
 * GEMM), n + k(n+1) reads of A. Memory: L (n×k) in double, plus the n×n residual when k exceeds
 * the block size.
 *
 * <p><b>Deviations.</b> Stops early when the largest residual diagonal entry is not above the
 * pivot tolerance (A numerically of rank k), so {@link PivotedCholeskyResult#rank()} can be below
 * maxRank.
 */
public final class PivotedCholesky {
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
   * whose entries in the rows and columns not chosen hold residuals afterwards and the others
   * stale values.
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
    return run(n, residual::row, residual, diag, a.dtype());
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
    return run(n, j -> {
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
      return c;
    }, null, diagonal.clone(), dtype);
  }

  /** Supplies column j of the (residual) matrix as a new array. */
  @FunctionalInterface
  private interface ColumnSource {
    double[] column(int j);
  }

  /**
   * The greedy steps. With {@code residual} null there are no panel updates: every column is
   * updated by all earlier ones (one panel). Otherwise panels of {@code blockSize} pivots, each
   * followed by the rank-nb update of the residual's untaken rows and columns.
   *
   * @param diag the initial diagonal, overwritten with the residual diagonal
   */
  private PivotedCholeskyResult run(int n, ColumnSource source, Residual residual, double[] diag, DType dtype) {
    int kmax = options.maxRank() == 0 ? n : options.maxRank();
    int nb = residual == null ? kmax : options.blockSize();
    double trace = 0;
    double d0 = 0;
    for (double v : diag) {
      trace += v;
      d0 = Math.max(d0, v);
    }
    double pivotFloor = options.pivotTolerance() * d0;
    // L stored column by column (column k is contiguous, n per column), i.e. Lᵀ row-major.
    double[] l = new double[Math.multiplyExact(n, kmax)];
    int[] piv = new int[kmax];
    double[] pivotValue = new double[kmax];
    boolean[] taken = new boolean[n];
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
        int p = -1;
        double best = -1;
        for (int i = 0; i < n; i++) {
          if (!taken[i] && diag[i] > best) {
            best = diag[i];
            p = i;
          }
        }
        if (p < 0 || !(best > pivotFloor)) {
          exhausted = true;
          break;
        }
        taken[p] = true;
        piv[k] = p;
        pivotValue[k] = best;
        int row = k * n;
        System.arraycopy(source.column(p), 0, l, row, n);
        for (int i = panel; i < k; i++) {
          double lp = l[i * n + p];
          if (lp != 0) {
            int src = i * n;
            for (int j = 0; j < n; j++) {
              l[row + j] -= lp * l[src + j];
            }
          }
        }
        // Chosen rows are exactly interpolated; pin their residual to zero against rounding.
        double sc = 1 / Math.sqrt(best);
        for (int j = 0; j < n; j++) {
          l[row + j] = taken[j] && j != p ? 0 : l[row + j] * sc;
        }
        l[row + p] = Math.sqrt(best);
        remaining = 0;
        for (int j = 0; j < n; j++) {
          if (!taken[j]) {
            diag[j] = Math.max(0, diag[j] - l[row + j] * l[row + j]);
            remaining += diag[j];
          }
        }
        diag[p] = 0;
        k++;
      }
      if (residual != null && k > panel && !exhausted && k < kmax) {
        residual.update(compute, l, panel, k, taken);
      }
    }
    return new PivotedCholeskyResult(Arrays.copyOf(piv, k), dtype, n, remaining, trace, Arrays.copyOf(l, k * n),
        Arrays.copyOf(pivotValue, k));
  }

  /**
   * The residual matrix of an explicit A: A itself until the first panel update, then an n×n F64
   * work array (a copy, or A's own storage in place) whose untaken rows and columns are kept
   * current. Entries of chosen rows are never read again, so they are left stale.
   */
  private static final class Residual {
    /** Fewest rows of the residual block per gather or scatter task (about 64 K moves at n = 1024). */
    static final int GATHER_ROWS = 64;
    private final Matrix a;
    private final boolean inPlace;
    private final int n;
    private double[] c;      // null until the first update
    private int[] index;
    private double[] panel;
    private double[] block;

    Residual(Matrix a, boolean inPlace) {
      this.a = a;
      this.inPlace = inPlace;
      this.n = a.rows();
    }

    /** Row p of the residual (= column p, by symmetry), a new array. */
    double[] row(int p) {
      double[] out = new double[n];
      if (c != null) {
        System.arraycopy(c, p * n, out, 0, n);
      } else {
        for (int j = 0; j < n; j++) {
          out[j] = a.get(p, j);
        }
      }
      return out;
    }

    /**
     * {@code C_UU −= L_pUᵀ L_pU} for the untaken rows U and the panel columns {@code from..to} of
     * L: gathered into a compact |U|×|U| block, one backend GEMM, scattered back. Updating only U
     * makes the whole factorization cost about n·k² − 2k³/3 rather than 2·n²·k. A GEMM rather
     * than a Gram call: the Gram routine mirrors the whole triangle each time.
     */
    void update(Compute compute, double[] l, int from, int to, boolean[] taken) {
      if (c == null) {
        c = inPlace ? a.f64() : a.toDType(DType.F64).f64(); // toDType copies into a compact array
        // Sized for the first (largest) panel and reused by the later ones.
        index = new int[n];
        panel = new double[Math.multiplyExact(to - from, n)];
        block = new double[Math.multiplyExact(n, n)];
      }
      int u = 0;
      for (int j = 0; j < n; j++) {
        if (!taken[j]) {
          index[u++] = j;
        }
      }
      if (u == 0) {
        return;
      }
      int kb = to - from;
      for (int i = 0; i < kb; i++) {
        int src = (from + i) * n;
        int dst = i * u;
        for (int q = 0; q < u; q++) {
          panel[dst + q] = l[src + index[q]];
        }
      }
      // the gather and scatter (2·u² indexed moves per panel) run in row ranges on the backend's
      // host threads: each row is copied the same way in any range, so the result is unchanged
      int threads = compute.backend().hostThreads();
      int[] idx = index;
      double[] blk = block;
      double[] res = c;
      int width = u;
      RowRanges.forEach(threads, u, GATHER_ROWS, (lo, hi) -> {
        for (int q = lo; q < hi; q++) {
          int src = idx[q] * n;
          int dst = q * width;
          for (int b = 0; b < width; b++) {
            blk[dst + b] = res[src + idx[b]];
          }
        }
      });
      Matrix lp = Matrix.wrap(panel, 0, kb, u, u);
      compute.gemm(Transpose.T, Transpose.N, -1.0, lp, lp, 1.0, Matrix.wrap(block, 0, u, u, u));
      RowRanges.forEach(threads, u, GATHER_ROWS, (lo, hi) -> {
        for (int q = lo; q < hi; q++) {
          int dst = idx[q] * n;
          int src = q * width;
          for (int b = 0; b < width; b++) {
            res[dst + idx[b]] = blk[src + b];
          }
        }
      });
    }
  }
}
