package structura.backend.cuda;

import structura.api.backend.RadialKernel;

/**
 * Our own CUDA kernels (CUDA C in {@code src/main/cuda}, PTX in the jar), one typed method per
 * kernel, each computing its launch geometry and queueing it through a {@link KernelLauncher}.
 * Arguments named like pointers are device addresses with the element offset already applied;
 * 0 means "absent" where a parameter says so. Matrices are row-major with leading dimensions,
 * F32 unless the name says F64. Semantics are exactly those of the host SPI
 * ({@code ElementwiseRoutine}, {@code PairwiseKernelRoutine}) and of
 * {@code structura.api.backend.ResidentRoutines} for the resident-only operations.
 */
interface DeviceKernels {
  /** Row softmax of {@code alpha·x + mask}; mask 0 = none, {@code ldMask == 0} broadcasts one row. */
  void softmaxRows(int m, int n, float alpha, long x, int ld, long mask, int ldMask);

  /** Exact (erf) GELU in place. */
  void gelu(int m, int n, long x, int ld);

  /** SiLU in place. */
  void silu(int m, int n, long x, int ld);

  /** {@code gate ← silu(gate) ∘ up}. */
  void swiglu(int m, int n, long gate, int ldGate, long up, int ldUp);

  /** LayerNorm per row (biased variance); beta 0 = none. */
  void layerNorm(int m, int n, long x, int ld, long gamma, long beta, float eps);

  /** RMSNorm per row. */
  void rmsNorm(int m, int n, long x, int ld, long gamma, float eps);

  /** Attention softmax as {@code ResidentRoutines.attentionSoftmax}; keyMask 0 = none. */
  void attentionSoftmax(int batch, int heads, int queries, int keys, float alpha, long scores, long keyMask,
      boolean causal);

  /** {@code x_ij += v_j} on an m × n block. */
  void addRowVector(int m, int n, long v, long x, int ld);

  /**
   * {@code out_i (+)= table_{indices[i]}} for {@code i < rows}, rows of {@code width} floats;
   * {@code indices} is a device array of {@code rows} int32 values, already validated.
   */
  void gatherRows(int rows, int width, long table, int ldTable, long indices, long out, int ldOut, boolean accumulate);

  /** {@code dst_ij ← (double) src_ij} on an m × n block (F32 source, F64 destination). */
  void widenToF64(int m, int n, long src, int ldSrc, long dst, int ldDst);

  /** {@code O ← K(X, Y)·V + beta·O} in F32, as {@code PairwiseKernelRoutine.skernelMultiply}. */
  void kernelMultiplyF32(RadialKernel kernel, int m, int n, int d, int k, long x, int ldx, long y, int ldy,
      long v, int ldv, float beta, long o, int ldo);

  /** {@code O ← K(X, Y)·V + beta·O} in F64, as {@code PairwiseKernelRoutine.dkernelMultiply}. */
  void kernelMultiplyF64(RadialKernel kernel, int m, int n, int d, int k, long x, int ldx, long y, int ldy,
      long v, int ldv, double beta, long o, int ldo);
}
