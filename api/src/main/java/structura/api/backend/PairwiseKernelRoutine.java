package structura.api.backend;

/**
 * Kernel matrix times a block of vectors without forming the matrix (KeOps-style):
 * <pre>O = K(X, Y)·V + beta·O,   K_ij = kernel(‖x_i − y_j‖²)</pre>
 * with X the m×d targets (row i is x_i, stride ldx ≥ d), Y the n×d sources (ldy ≥ d), V the
 * n×k vectors (ldv ≥ k) and O m×k (ldo ≥ k), all row-major. The points are already scaled by
 * the lengthscale(s); {@code kernel} is a function of the scaled distance only, see
 * {@link RadialKernel#ofSquaredDistance}. Cost: m·n·(3d + 2k + c_kernel) flops, O(m·k + n·k)
 * memory traffic; never O(m·n) memory. Only O is modified.
 *
 * <p><b>Contract for implementers.</b> Arguments were validated by {@link Compute}: m, n, k,
 * d ≥ 1, every view lies inside its array, O overlaps none of X, Y, V. When {@code beta == 0}
 * O must not be read. Each O_ic must agree with the F64 formula within
 * {@code O((n + d)·u·Σ_j |K_ij|·(1 + r_ij + r_ij²)·|v_jc|)} (u the unit roundoff of the dtype):
 * kernels may reorder the sum, and may evaluate exp/log/sqrt with a few ulps of error, but an
 * entry at r = 0 of the LAPLACE kernel is exactly 0. Implementations must be thread-safe.
 */
public interface PairwiseKernelRoutine {
  /** Single precision; see the interface documentation. */
  void skernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      float[] x, int xOff, int ldx, float[] y, int yOff, int ldy,
      float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo);

  /** Double precision; see the interface documentation. */
  void dkernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      double[] x, int xOff, int ldx, double[] y, int yOff, int ldy,
      double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo);
}
