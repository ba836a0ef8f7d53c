package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Column interpolative decomposition of a tall matrix X that arrives in row blocks (activations
 * of a calibration set), without holding X: a TSQR reduction keeps only an n×n triangular factor.
 *
 * <p><b>Method.</b> Row blocks are buffered until at least n rows are waiting, then the stack
 * [R; buffered rows] is reduced by Householder QR ({@link HouseholderQr}, level-3 updates on the
 * backend) to a new R with at most n rows. At the end, X = Q·R with Q orthonormal, so the column
 * norms and every pivoted-QR step of R equal those of X in exact arithmetic: the ID of X is read
 * off the truncated pivoted QR of R ({@link InterpolativeDecomposition}).
 *
 * <p><b>Source.</b> J. Demmel, L. Grigori, M. Hoemmen and J. Langou, "Communication-optimal
 * parallel and sequential QR and LU factorizations", SIAM J. Sci. Comput. 34(1), 2012 (TSQR,
 * sequential flat tree); J. Chee et al., NeurIPS 2022, {@code prunevgg_ID_tsqr} (stacked R
 * factors for ID pruning; §2.3 of our notes).
 *
 * <p><b>Cost.</b> About 2N·n² flops for N streamed rows, plus a pivoted QR of n×n at the end;
 * memory O(n²) (the R factor and a buffer of at most ~2n rows).
 *
 * <p><b>Deviations.</b> Flat (sequential) reduction tree. Only the column ID is available (a row
 * ID would need the rows). Not thread-safe: feed blocks from one thread.
 */
public final class StreamingInterpolativeDecomposition {
  private final structura.api.backend.Compute compute;
  private final InterpolativeDecompositionOptions options;
  private final int n;
  private final DType dtype;
  /** Row-major stack: the current R (rRows rows) followed by buffered rows. */
  private double[] stack;
  private int rRows;
  private int buffered;
  private long totalRows;

  /**
   * @param compute backend for the QR updates
   * @param options rank or tolerance (sketching is not used here)
   * @param cols number of columns n of every block
   * @param dtype dtype of the returned interpolation matrix
   */
  public StreamingInterpolativeDecomposition(structura.api.backend.Compute compute,
      InterpolativeDecompositionOptions options, int cols, DType dtype) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    Checks.positive("StreamingInterpolativeDecomposition", "cols", cols);
    Checks.rank("StreamingInterpolativeDecomposition", "rank", options.rank(), cols, true);
    this.n = cols;
    this.stack = new double[Math.multiplyExact(2 * cols, cols)];
  }

  /**
   * Adds a block of rows.
   *
   * @throws structura.api.InvalidArgumentException if the block has the wrong column count or
   *     non-finite values
   */
  public void accept(Matrix block) {
    Checks.input("StreamingInterpolativeDecomposition.accept", "block", block);
    if (block.cols() != n) {
      throw Checks.mismatch("StreamingInterpolativeDecomposition.accept: block has " + block.cols()
          + " columns, expected " + n + ".", "Pass blocks with the column count given at construction.");
    }
    int b = block.rows();
    ensureCapacity(rRows + buffered + b);
    int base = (rRows + buffered) * n;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        stack[base + i * n + j] = block.get(i, j);
      }
    }
    buffered += b;
    totalRows += b;
    if (buffered >= n) {
      reduce();
    }
  }

  /** Rows seen so far. */
  public long rowCount() {
    return totalRows;
  }

  /**
   * The column ID of all rows seen so far (the stream may continue afterwards).
   *
   * @throws structura.api.InvalidArgumentException if no rows were added, or the rank exceeds
   *     min(rows seen, n)
   */
  public InterpolativeDecompositionResult columnId() {
    if (totalRows == 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "StreamingInterpolativeDecomposition.columnId: no rows were added.", "Call accept(block) first.");
    }
    reduce();
    Checks.rank("StreamingInterpolativeDecomposition.columnId", "rank", options.rank(),
        (int) Math.min(totalRows, n), true);
    double[] w = new double[rRows * n];
    for (int i = 0; i < rRows; i++) {
      for (int j = 0; j < n; j++) {
        w[j * rRows + i] = stack[i * n + j];
      }
    }
    PivotedQrOptions qo = new PivotedQrOptions(options.rank(), options.relativeTolerance(), options.blockSize());
    PivotedQrFactorization f = PivotedQr.factorColumnMajor(compute, qo, w, rRows, n, dtype);
    int maxDim = (int) Math.min(Integer.MAX_VALUE, Math.max(totalRows, n));
    return InterpolativeDecomposition.fromFactorization(f, maxDim, InterpolativeDecompositionResult.Kind.COLUMN);
  }

  /**
   * The triangular factor R of all rows seen so far: X = Q·R with Q orthonormal, R
   * {@code min(rows seen, n) × n} upper triangular, F64 (a new matrix). Every column ID of X (any
   * rank), its residual ‖X − X(:, J)·T‖ and XᵀX = RᵀR can be read off R, so callers that need
   * several ranks factor R instead of streaming X again.
   *
   * @throws structura.api.InvalidArgumentException if no rows were added
   */
  public Matrix triangularFactor() {
    if (totalRows == 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "StreamingInterpolativeDecomposition.triangularFactor: no rows were added.", "Call accept(block) first.");
    }
    reduce();
    Matrix r = Matrix.zeros(DType.F64, rRows, n);
    System.arraycopy(stack, 0, r.f64(), 0, rRows * n);
    return r;
  }

  private void ensureCapacity(int rows) {
    long need = (long) rows * n;
    if (need > stack.length) {
      stack = java.util.Arrays.copyOf(stack, Math.toIntExact(Math.max(need, 2L * stack.length)));
    }
  }

  /** QR of the stack [R; buffered]; keeps the upper triangular factor (at most n rows). */
  private void reduce() {
    if (buffered == 0) {
      return;
    }
    int m = rRows + buffered;
    double[] w = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        w[j * m + i] = stack[i * n + j];
      }
    }
    double[] tau = new double[Math.min(m, n)];
    HouseholderQr.factorInPlace(compute, w, m, n, tau, 32);
    int k = Math.min(m, n);
    java.util.Arrays.fill(stack, 0, m * n, 0.0);
    for (int i = 0; i < k; i++) {
      for (int j = i; j < n; j++) {
        stack[i * n + j] = w[j * m + i];
      }
    }
    rRows = k;
    buffered = 0;
  }
}
