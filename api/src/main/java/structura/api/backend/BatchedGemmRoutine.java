package structura.api.backend;

/**
 * A batch of independent GEMMs with a constant stride between operands (the layout of
 * per-head attention, block-diagonal and Monarch factors): for {@code p = 0 .. batch-1}
 * <pre>C_p = alpha · op(A_p) · op(B_p) + beta · C_p</pre>
 * where {@code A_p} starts at {@code aOff + p * strideA} and likewise for B and C. Shapes,
 * transposes and leading dimensions are as in {@link GemmRoutine} and shared by the batch.
 * A stride of 0 broadcasts the same A or B to every product. Only the C_p are modified.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: batch, m, n, k ≥ 1,
 * alpha ≠ 0, strides ≥ 0, all operands in bounds, the C_p pairwise disjoint and disjoint from
 * every A_p and B_p. When {@code beta == 0} the C_p must not be read. Thread-safe.
 */
public interface BatchedGemmRoutine {
  /** Single-precision strided batched GEMM; see the interface documentation. */
  void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch);

  /** Double-precision strided batched GEMM; see the interface documentation. */
  void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch);
}
