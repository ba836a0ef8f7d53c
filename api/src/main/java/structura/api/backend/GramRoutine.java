package structura.api.backend;

/**
 * Gram matrix / symmetric rank-k update, the workhorse of calibration statistics:
 * <pre>C = alpha · Aᵀ·A + beta · C   (trans = true,  A stored k×n)
 * C = alpha · A·Aᵀ + beta · C   (trans = false, A stored n×k)</pre>
 * C is n×n and symmetric; implementations write <em>both</em> triangles. With samples as rows
 * of X, {@code trans = true} accumulates XᵀX. Only C is modified.
 *
 * <p>{@link #sdsyrk} reads single-precision A and accumulates into double-precision C, so that
 * F32 activations can be summed over many batches without losing the small eigenvalues.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: n, k ≥ 1, alpha ≠ 0,
 * operands in bounds, C disjoint from A. When {@code beta == 0} C must not be read. Results
 * must be exactly symmetric (c[i][j] and c[j][i] bit-identical). Thread-safe.
 */
public interface GramRoutine {
  /** Single precision; see the interface documentation. */
  void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc);

  /** Double precision; see the interface documentation. */
  void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc);

  /** Single-precision input, double-precision products and accumulation; see above. */
  void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc);
}
