package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Blocked Cholesky factorization A = L·Lᵀ of a symmetric positive definite matrix, and solves
 * with it.
 *
 * <p><b>Method.</b> Right-looking blocked Cholesky (LAPACK dpotrf, lower), on two levels. Outer
 * panels of {@value #OUTER_BLOCK} columns are factored in steps of the block size: factor the
 * diagonal block, solve the panel below it against L11ᵀ (forward substitution, vectorized along
 * the panel's rows), and update the rest of the outer panel by one backend GEMM. Below each outer
 * panel the trailing matrix's lower triangle gets A22 ← A22 − L21·L21ᵀ, with depth
 * {@value #OUTER_BLOCK}, in row blocks of {@value #UPDATE_ROWS}: a GEMM left of the diagonal
 * block and the Gram routine on it. Only the lower triangle of the input is read.
 *
 * <p><b>Source.</b> Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., Alg. 4.2.1 and
 * §4.2.9 (block Cholesky); LAPACK 3.12 dpotrf/dpotrf2.
 *
 * <p><b>Cost.</b> n³/3 flops; a solve with r right-hand sides 2n²r. Memory: a double copy of A,
 * plus a transposed copy of one outer panel. Against LAPACK {@code dpotrf} over OpenBLAS, see
 * {@code benchmarks/run-cholesky.sh} and docs/performance.md ("Dense Cholesky against LAPACK
 * {@code dpotrf}").
 *
 * <p><b>Deviations.</b> F32 input is factored in double and L rounded to F32.
 *
 * <p><b>Failure.</b> A non-positive (or NaN) pivot throws {@link NumericalFailureException}
 * ({@code STRUCTURA-N001}) naming the step, rather than returning a status flag that is easy to
 * ignore.
 */
public final class Cholesky {
  /** Rows of the trailing matrix per update step (one GEMM left of the diagonal block, one Gram on it). */
  static final int UPDATE_ROWS = 256;
  /**
   * Width of the outer panels (rounded down to a multiple of the block size, at least one block):
   * the trailing update below each is one GEMM of this depth per row block, which runs near the
   * GEMM's peak where the blockSize-deep updates inside a panel run at about 70 % of it.
   */
  static final int OUTER_BLOCK = 256;
  /** Columns of the transposed panel substituted together (64 rows × 512 doubles: 256 KB, in L2). */
  private static final int PANEL_CHUNK = 512;
  /** Multiply-adds (kb²·rows) from which a panel's substitution is split over the host threads. */
  private static final long PANEL_PARALLEL_MIN = 1L << 20;
  private final Compute compute;
  private final int blockSize;


  /**
   * @param compute backend for the trailing Gram updates
   * @param options block size
   */
  public Cholesky(Compute compute, CholeskyOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.blockSize = Objects.requireNonNull(options, "options").blockSize();
  }

  /**
   * The lower triangular L (zeros above the diagonal) with A = L·Lᵀ, in A's dtype.
   *
   * @throws NumericalFailureException if A is not numerically positive definite
   * @throws structura.api.InvalidArgumentException if A is empty, not square, or not finite
   */
  public Matrix factor(Matrix a) {
    double[] l = factorF64(a);
    int n = a.rows();
    Matrix out = Matrix.zeros(a.dtype(), n, n);
    out.copyFrom(Matrix.wrap(l, n, n));
    return out;
  }

  /** Solves A·X = B with A symmetric positive definite (factor, then two triangular solves). */
  public Matrix solve(Matrix a, Matrix b) {
    Checks.input("Cholesky.solve", "b", b);
    if (b.rows() != a.rows()) {
      throw Checks.mismatch("Cholesky.solve: A is " + a.rows() + "x" + a.cols() + " but B has " + b.rows() + " rows.",
          "Pass B with as many rows as A.");
    }
    double[] l = factorF64(a);
    double[] x = b.toDType(DType.F64).f64();
    solveInPlace(l, a.rows(), x, b.cols());
    Matrix out = Matrix.zeros(b.dtype(), b.rows(), b.cols());
    out.copyFrom(Matrix.wrap(x, b.rows(), b.cols()));
    return out;
  }

  /** Row-major n×n L in double. */
  double[] factorF64(Matrix a) {
    Checks.input("Cholesky.factor", "a", a);
    Checks.square("Cholesky.factor", "a", a);
    int n = a.rows();
    double[] w = a.toDType(DType.F64).f64();
    int outer = blockSize * Math.max(1, OUTER_BLOCK / blockSize);
    for (int bigK = 0; bigK < n; bigK += outer) {
      int end = Math.min(n, bigK + outer);
      int below = n - end;
      // L21 of the whole outer panel below it, transposed (width × below), filled step by step
      double[] outerPanel = new double[(end - bigK) * below];
      // the outer panel, columns [bigK, end) of every row below, in inner steps of blockSize
      for (int k = bigK; k < end; k += blockSize) {
        int kb = Math.min(blockSize, end - k);
        factorDiagonalBlock(w, n, k, kb);
        int rest = n - k - kb;
        if (rest == 0) {
          continue;
        }
        double[] panel = panelTransposed(w, n, k, kb, rest);
        for (int j = 0; j < kb; j++) {
          System.arraycopy(panel, j * rest + rest - below, outerPanel, (k - bigK + j) * below, below);
        }
        int cols = end - k - kb;  // the outer panel's columns right of this step
        if (cols > 0) {
          Matrix l21t = Matrix.wrap(panel, kb, rest);
          compute.gemm(Transpose.T, Transpose.N, -1.0, l21t, l21t.view(0, 0, kb, cols), 1.0,
              Matrix.wrap(w, (k + kb) * n + k + kb, rest, cols, n));
        }
      }
      if (below > 0) {
        updateTrailing(w, n, end, Matrix.wrap(outerPanel, end - bigK, below));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        w[i * n + j] = 0;
      }
    }
    return w;
  }

  /** The kb × kb diagonal block at k, unblocked (lower, row-major), its earlier updates applied. */
  private static void factorDiagonalBlock(double[] w, int n, int k, int kb) {
    for (int j = k; j < k + kb; j++) {
      double d = w[j * n + j];
      for (int p = k; p < j; p++) {
        d -= w[j * n + p] * w[j * n + p];
      }
      if (!(d > 0)) {
        throw new NumericalFailureException("Cholesky: argument 'a' is not positive definite: pivot " + j
            + " is " + d + " after elimination.",
            "Add a ridge (a small multiple of the identity), or use PivotedCholesky for a low-rank PSD factor.");
      }
      d = Math.sqrt(d);
      w[j * n + j] = d;
      for (int i = j + 1; i < k + kb; i++) {
        double s = w[i * n + j];
        for (int p = k; p < j; p++) {
          s -= w[i * n + p] * w[j * n + p];
        }
        w[i * n + j] = s / d;
      }
    }
  }

  /**
   * A22 −= L21·L21ᵀ below the outer panel (columns [k, k + width), rows from k + width on), on its
   * lower triangle, in row blocks of {@value #UPDATE_ROWS}: the block's rows left of its diagonal
   * block by one backend GEMM of depth width, the diagonal block by the backend's Gram routine
   * (its lower triangle's flops; the routine also writes the mirror image into the upper triangle
   * of w, which is never read and zeroed at the end). {@code l21t} is L21 transposed (width × rows
   * from {@code first} on), a copy: operands must not alias the output.
   */
  private void updateTrailing(double[] w, int n, int first, Matrix l21t) {
    int width = l21t.rows();
    int rest = l21t.cols();
    for (int r0 = 0; r0 < rest; r0 += UPDATE_ROWS) {
      int rows = Math.min(UPDATE_ROWS, rest - r0);
      Matrix block = l21t.view(0, r0, width, rows);
      if (r0 > 0) {
        Matrix c = Matrix.wrap(w, (first + r0) * n + first, rows, r0, n);
        compute.gemm(Transpose.T, Transpose.N, -1.0, block, l21t.view(0, 0, width, r0), 1.0, c);
      }
      compute.gram(Transpose.T, -1.0, block, 1.0, Matrix.wrap(w, (first + r0) * n + first + r0, rows, rows, n));
    }
  }

  /**
   * The panel L21 = A21·L11⁻ᵀ below the diagonal block at k (kb columns, rest rows), written into
   * w and returned transposed (kb × rest, row-major) for the updates. Forward substitution row by
   * row of the transpose, in chunks of {@value #PANEL_CHUNK} columns (a chunk's kb rows stay in
   * L2), each step an axpy over a row that C2 vectorizes; the columns are split over the host
   * threads ({@link RowRanges}). Every element gets the same operations in the same order as a
   * substitution along the rows of A21 (s −= l_ip·l_jp for p ascending, then s / l_jj), so the
   * result does not depend on the thread count.
   */
  private double[] panelTransposed(double[] w, int n, int k, int kb, int rest) {
    // one array per row of the transpose: C2 vectorizes t_j −= t_p·c only between distinct arrays
    // (offsets into one array could overlap within a vector)
    double[][] t = new double[kb][rest];
    double[] flat = new double[kb * rest];
    int threads = (long) kb * kb * rest >= PANEL_PARALLEL_MIN ? compute.backend().hostThreads() : 1;
    RowRanges.forEach(threads, rest, PANEL_CHUNK, (lo, hi) -> {
      int first = k + kb;
      for (int i = lo; i < hi; i++) {
        int row = (first + i) * n + k;
        for (int j = 0; j < kb; j++) {
          t[j][i] = w[row + j];
        }
      }
      for (int i0 = lo; i0 < hi; i0 += PANEL_CHUNK) {
        int i1 = Math.min(hi, i0 + PANEL_CHUNK);
        for (int j = 0; j < kb; j++) {
          double[] tj = t[j];
          int lj = (k + j) * n + k;
          for (int p = 0; p < j; p++) {
            axpyNegative(tj, t[p], w[lj + p], i0, i1);
          }
          double d = w[lj + j];
          for (int i = i0; i < i1; i++) {
            tj[i] /= d;
          }
        }
      }
      for (int j = 0; j < kb; j++) {
        System.arraycopy(t[j], lo, flat, j * rest + lo, hi - lo);
      }
      for (int i = lo; i < hi; i++) {
        int row = (first + i) * n + k;
        for (int j = 0; j < kb; j++) {
          w[row + j] = t[j][i];
        }
      }
    });
    return flat;
  }

  /** y[i] −= x[i]·c for i in [from, to). */
  private static void axpyNegative(double[] y, double[] x, double c, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] -= x[i] * c;
    }
  }

  /** X ← L⁻ᵀ·L⁻¹·X for row-major L (n×n) and X (n×r). */
  static void solveInPlace(double[] l, int n, double[] x, int r) {
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        if (lip != 0) {
          for (int c = 0; c < r; c++) {
            x[i * r + c] -= lip * x[p * r + c];
          }
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < r; c++) {
        x[i * r + c] /= d;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      double d = l[i * n + i];
      for (int c = 0; c < r; c++) {
        x[i * r + c] /= d;
      }
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        if (lip != 0) {
          for (int c = 0; c < r; c++) {
            x[p * r + c] -= lip * x[i * r + c];
          }
        }
      }
    }
  }
}
