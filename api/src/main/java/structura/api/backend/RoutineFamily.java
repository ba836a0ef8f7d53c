package structura.api.backend;

/** The routine families of the SPI; the unit of per-routine fallback and of strict mode. */
public enum RoutineFamily {
  /** {@link GemmRoutine}. */
  GEMM,
  /** {@link GemvRoutine}. */
  GEMV,
  /** {@link BatchedGemmRoutine}. */
  BATCHED_GEMM,
  /** {@link GramRoutine}; F32 covers {@code ssyrk}, F64 covers {@code dsyrk} and {@code sdsyrk} (F32 input, double arithmetic). */
  GRAM,
  /** {@link Level1Routine}: dot, axpy, scal. */
  LEVEL1,
  /** {@link ElementwiseRoutine}: softmax, GELU, SiLU/SwiGLU, LayerNorm, RMSNorm (F32). */
  ELEMENTWISE,
  /** {@link PairwiseKernelRoutine}: kernel-matrix products, F32 and F64. */
  PAIRWISE_KERNEL
}
