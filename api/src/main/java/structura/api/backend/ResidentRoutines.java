package structura.api.backend;

import structura.api.DType;

/**
 * Optional extension of a {@link Backend}: memory that stays on the device between calls, and the
 * routines of the other families on it, so that an iterative method (CG on a kernel operator) or a
 * transformer forward pass uploads its matrices once instead of once per call. A backend offers it
 * through {@link Backend#resident()}; backends without device memory need not implement it.
 *
 * <p><b>Semantics.</b> All matrices are row-major with explicit leading dimensions, exactly as in
 * the host routines ({@link GemmRoutine}, {@link GemvRoutine}, {@link ElementwiseRoutine},
 * {@link PairwiseKernelRoutine}), with the arrays replaced by {@link DeviceBuffer}s and offsets
 * counted in elements. The element type is taken from the buffers: every buffer of one call has
 * the same dtype (the scalars are given as double and rounded to it); the transformer operations
 * ({@link #addRowVector} to {@link #rmsNorm}) are F32 only. Calls are queued in order on one
 * stream and may return before the work is done; {@link #download} and {@link #synchronize} wait
 * for everything queued before them. Results equal the host routines' within the conformance
 * tolerances ({@code ResidentConformanceSuite} in the testkit).
 *
 * <p><b>Conventions.</b> Sizes may be 0 (nothing happens, except that a GEMM, GEMV or kernel
 * product with an empty inner dimension or {@code alpha == 0} sets its output to
 * {@code beta·output}); when {@code beta == 0} the output is never read, so NaN in it does not
 * propagate. An output may not share elements with an input, except {@code axpy} with x and y the
 * same range. In {@link #gemmBatched} the C blocks may interleave within rows (the per-head
 * layout of attention) as long as no element is shared.
 *
 * <p><b>Errors.</b> Shapes, offsets and dtypes are validated before anything is queued, with the
 * shared checks of {@link ResidentChecks} ({@code STRUCTURA-A001} negative size or bad leading
 * dimension, {@code A002} offset arrays of different lengths, {@code A003} mixed or wrong dtypes
 * and buffers of another instance, {@code A004} aliasing, {@code A005} a view or an index out of
 * range); a closed buffer is rejected with {@code A001} and a message saying so; a device failure
 * raises {@code STRUCTURA-B004} with the driver's message. Not thread-safe: one thread drives an
 * instance (and its buffers) at a time.
 */
public interface ResidentRoutines {
  /** A zero-filled buffer of {@code length} elements of {@code dtype} (F32 or F64). */
  DeviceBuffer allocate(DType dtype, long length);

  /** Copies {@code src[srcOff .. srcOff+length)} into {@code dst[dstOff ..]} (an F32 buffer). */
  void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int length);

  /** Copies {@code src[srcOff .. srcOff+length)} into {@code dst[dstOff ..]} (an F64 buffer). */
  void upload(double[] src, int srcOff, DeviceBuffer dst, long dstOff, int length);

  /** Waits for queued work, then copies {@code length} elements of an F32 buffer into {@code dst[dstOff ..]}. */
  void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int length);

  /** Waits for queued work, then copies {@code length} elements of an F64 buffer into {@code dst[dstOff ..]}. */
  void download(DeviceBuffer src, long srcOff, double[] dst, int dstOff, int length);

  /** Device-to-device copy of {@code length} elements (same dtype; the ranges must not overlap). */
  void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long length);

  /** Blocks until all queued work has finished. */
  void synchronize();

  // ---- BLAS ----------------------------------------------------------------------------------

  /** {@code C ← alpha·op(A)·op(B) + beta·C}, as {@link GemmRoutine}; C must not overlap A or B. */
  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long aOff, int lda, DeviceBuffer b, long bOff, int ldb,
      double beta, DeviceBuffer c, long cOff, int ldc);

  /**
   * {@code batch} independent GEMMs whose operands start at {@code off + i·stride}, as
   * {@link BatchedGemmRoutine}; a stride of 0 shares an operand (not allowed for C).
   */
  void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB,
      double beta, DeviceBuffer c, long cOff, int ldc, long strideC, int batch);

  /**
   * {@code aOffsets.length} independent GEMMs with operands at arbitrary offsets (the head
   * blocks of attention, {@code (sequence, head)} pairs that no single stride reaches). The three
   * offset arrays have the same length; the C blocks must not overlap each other.
   */
  void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long[] aOffsets, int lda, DeviceBuffer b, long[] bOffsets, int ldb,
      double beta, DeviceBuffer c, long[] cOffsets, int ldc);

  /** {@code y ← alpha·op(A)·x + beta·y} with unit strides, as {@link GemvRoutine}. */
  void gemv(boolean transA, int m, int n, double alpha, DeviceBuffer a, long aOff, int lda,
      DeviceBuffer x, long xOff, double beta, DeviceBuffer y, long yOff);

  /** {@code Σ x_i·y_i} over n unit-stride elements; waits for the result. */
  double dot(int n, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff);

  /** {@code y ← alpha·x + y} over n unit-stride elements. */
  void axpy(int n, double alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff);

  /** {@code x ← alpha·x} over n unit-stride elements. */
  void scal(int n, double alpha, DeviceBuffer x, long xOff);

  // ---- kernel matrices -----------------------------------------------------------------------

  /**
   * {@code O ← K(X, Y)·V + beta·O} without forming K, as {@link PairwiseKernelRoutine}: X is
   * {@code m × d}, Y is {@code n × d}, V is {@code n × k}, O is {@code m × k}.
   */
  void kernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      DeviceBuffer x, long xOff, int ldx, DeviceBuffer y, long yOff, int ldy,
      DeviceBuffer v, long vOff, int ldv, double beta, DeviceBuffer o, long oOff, int ldo);

  // ---- transformer operations (F32) ----------------------------------------------------------

  /** {@code x_ij ← x_ij + v_j} on an {@code m × n} block: a bias on every row. */
  void addRowVector(int m, int n, DeviceBuffer v, long vOff, DeviceBuffer x, long xOff, int ld);

  /**
   * {@code out_i ← table_{indices[i]}} (or {@code out_i += ...} when {@code accumulate}) for
   * {@code i < indices.length}, rows of {@code width} elements: an embedding lookup. The indices
   * are host ints, each in {@code [0, tableRows)}.
   */
  void gatherRows(int width, DeviceBuffer table, long tableOff, int ldTable, int tableRows, int[] indices,
      DeviceBuffer out, long outOff, int ldOut, boolean accumulate);

  /**
   * The softmax of attention scores, in place: for sequence b, head h and query t, row
   * {@code scores[off + ((b·heads + h)·queries + t)·keys + j]} over j becomes
   * {@code softmax_j(alpha·s_j + mask[maskOff + b·keys + j])}, with keys {@code j > t} excluded
   * when {@code causal} (weight 0). The mask is additive, {@code batch × keys}, or null; padded keys
   * carry {@code −Float.MAX_VALUE} (as HuggingFace masks them) and get weight exactly 0 while one
   * key of the row is visible. Causal exclusion replaces the key mask by {@code −Float.MAX_VALUE},
   * as the host pass builds its mask, so causal needs {@code queries ≤ keys}. Scores are
   * {@code batch·heads·queries} rows of {@code keys} contiguous elements from {@code off}.
   */
  void attentionSoftmax(int batch, int heads, int queries, int keys, double alpha,
      DeviceBuffer scores, long off, DeviceBuffer keyMask, long maskOff, boolean causal);

  /** Exact (erf) GELU in place on an {@code m × n} block. */
  void gelu(int m, int n, DeviceBuffer x, long off, int ld);

  /** SiLU in place. */
  void silu(int m, int n, DeviceBuffer x, long off, int ld);

  /** {@code gate ← silu(gate) ∘ up}; up is not modified. */
  void swiglu(int m, int n, DeviceBuffer gate, long gateOff, int ldGate, DeviceBuffer up, long upOff, int ldUp);

  /** LayerNorm of each row (biased variance) with gamma and beta (beta may be null). */
  void layerNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff,
      DeviceBuffer beta, long betaOff, double eps);

  /** RMSNorm of each row with gamma. */
  void rmsNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff, double eps);

  /** The element types this instance supports for the BLAS and kernel routines. */
  default boolean supports(DType dtype) {
    return dtype == DType.F32 || dtype == DType.F64;
  }
}
