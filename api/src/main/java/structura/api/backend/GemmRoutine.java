package structura.api.backend;

/**
 * General matrix multiply on row-major storage:
 * <pre>C = alpha · op(A) · op(B) + beta · C</pre>
 * with op(A) of shape m×k, op(B) of shape k×n and C of shape m×n; op(X) is X or Xᵀ.
 * When {@code transA} is false A is stored m×k (lda ≥ k), otherwise k×m (lda ≥ m); likewise B
 * is k×n (ldb ≥ n) or n×k (ldb ≥ k). Element (i, j) of a stored matrix X is
 * {@code x[xOff + i * ldx + j]}. Only C is modified.
 *
 * <p><b>Contract for implementers.</b> Arguments were validated by {@link Compute} before the
 * call: m, n, k ≥ 1, alpha ≠ 0, every view lies inside its array, and C overlaps neither A nor B.
 * When {@code beta == 0} C must not be read (NaN or Inf in C does not propagate). Kernels may
 * reorder the summation; results must agree with the reference within the accumulation bound
 * {@code O(k · u · Σ|a||b|)}. Implementations must be thread-safe.
 */
public interface GemmRoutine {
  /** Single-precision GEMM; see the interface documentation. */
  void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc);

  /** Double-precision GEMM; see the interface documentation. */
  void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double beta, double[] c, int cOff, int ldc);
}
