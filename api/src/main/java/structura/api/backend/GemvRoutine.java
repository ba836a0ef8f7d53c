package structura.api.backend;

/**
 * Matrix-vector multiply on a row-major m×n matrix A:
 * <pre>y = alpha · op(A) · x + beta · y</pre>
 * where op(A) is A (x has n entries, y has m) or Aᵀ (x has m entries, y has n). Vector entry i
 * is {@code x[xOff + i * incX]}. Only y is modified.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: m, n ≥ 1, alpha ≠ 0,
 * incX, incY ≥ 1, every element in bounds, y overlaps neither A nor x. When {@code beta == 0}
 * y must not be read. Implementations must be thread-safe.
 */
public interface GemvRoutine {
  /** Single-precision GEMV; see the interface documentation. */
  void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY);

  /** Double-precision GEMV; see the interface documentation. */
  void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY);
}
