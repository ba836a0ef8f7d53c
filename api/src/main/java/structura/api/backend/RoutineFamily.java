package structura.api.backend;

/** The routine families of the SPI; the unit of per-routine fallback and of strict mode. */
public enum RoutineFamily {
  /** {@link GemmRoutine}. */
  GEMM,
  /** {@link GemvRoutine}. */
  GEMV,
  /** {@link BatchedGemmRoutine}. */
  BATCHED_GEMM,
  /** {@link GramRoutine}; the F32 entry covers both {@code ssyrk} and {@code sdsyrk}. */
  GRAM,
  /** {@link Level1Routine}: dot, axpy, scal. */
  LEVEL1,
  /** {@link ElementwiseRoutine}: softmax, GELU, SiLU/SwiGLU, LayerNorm, RMSNorm (F32). */
  ELEMENTWISE
}
