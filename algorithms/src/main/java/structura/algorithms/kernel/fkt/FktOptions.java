package structura.algorithms.kernel.fkt;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link FastKernelTransform}.
 *
 * <p><b>Choosing them for a tolerance.</b> The far field of a node is the degree-p Taylor
 * polynomial of the kernel in the source position, used only for targets at distance ≥
 * radius/θ, so its relative error per pair is about θ^(p+1) (times a kernel-dependent factor that
 * grows slowly with p). Each increase of p by 2 divides the error by about 1/θ² = 4 at θ = 1/2.
 * Measured on N = 5,000–20,000 points (uniform cube and Gaussian mixture, Gaussian and Matérn
 * kernels at lengthscale 1/4 of the data's extent; see FastKernelTransformAccuracyTest and
 * docs/performance.md), the relative error of a product ‖K̃v − Kv‖/‖Kv‖ at θ = 1/2 is about
 * 1e-4 at p = 4, 1e-5 at p = 6 and ≤ 1e-6 at p = 8 in d = 2, 3 and 4. Rules of thumb:
 * tolerance 1e-3 → p = 3 or 4, 1e-4 → p = 4 to 6, 1e-6 → p = 8 to 10. A smaller θ (more
 * separation) gives the same accuracy at lower p but moves more pairs into the direct near field.
 * The number of expansion terms per node is C(p+d, d) (d = 3: 35 at p = 4, 165 at p = 8), so
 * high p is expensive in high d; the leaf size should be a few times that for the expansion to
 * pay off.
 *
 * @param order truncation order p ≥ 0; default 6
 * @param separation θ in (0, 1): a target uses a node's expansion when its distance to the node
 *     center is at least the node radius divided by θ (the paper code's {@code neighbor_scale});
 *     default 1/2
 * @param leafSize the largest number of points in a leaf, ≥ 1 (the near-field block size);
 *     default 256 (the paper code's {@code max_dofs_per_leaf})
 * @param threads worker threads for factorisation and products, ≥ 1; default the available
 *     processors
 * @param seed seed of the random candidate directions the harmonic basis is chosen from; default 0
 */
public record FktOptions(int order, double separation, int leafSize, int threads, long seed) {
  /** The default truncation order. */
  public static final int DEFAULT_ORDER = 6;
  /** The default separation ratio. */
  public static final double DEFAULT_SEPARATION = 0.5;
  /** The default leaf size. */
  public static final int DEFAULT_LEAF_SIZE = 256;
  /** The largest order accepted: C(p+d, d) terms and double-precision radial sums limit it. */
  public static final int MAX_ORDER = 20;

  /** Validates. */
  public FktOptions {
    if (order < 0 || order > MAX_ORDER) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: order p = " + order + " is outside [0, " + MAX_ORDER + "].",
          "Pass p in [0, " + MAX_ORDER + "] (4 for about 1e-4, 8 for about 1e-6 at separation 0.5).");
    }
    if (!(separation > 0 && separation < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: separation theta = " + separation + " is not in (0, 1).", "Pass theta in (0, 1); 0.5 is the default.");
    }
    if (leafSize < 1 || threads < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: leafSize (" + leafSize + ") and threads (" + threads + ") must be at least 1.",
          "Pass leafSize >= 1 (default 256) and threads >= 1.");
    }
  }

  /** The defaults: p = 6, θ = 1/2, leaf size 256, all processors, seed 0. */
  public static FktOptions defaults() {
    return ofOrder(DEFAULT_ORDER);
  }

  /** Order p with the other defaults. */
  public static FktOptions ofOrder(int order) {
    return new FktOptions(order, DEFAULT_SEPARATION, DEFAULT_LEAF_SIZE, Runtime.getRuntime().availableProcessors(), 0);
  }

  /** These options with another order. */
  public FktOptions withOrder(int p) {
    return new FktOptions(p, separation, leafSize, threads, seed);
  }

  /** These options with another separation θ. */
  public FktOptions withSeparation(double theta) {
    return new FktOptions(order, theta, leafSize, threads, seed);
  }

  /** These options with another leaf size. */
  public FktOptions withLeafSize(int size) {
    return new FktOptions(order, separation, size, threads, seed);
  }

  /** These options with another thread count. */
  public FktOptions withThreads(int count) {
    return new FktOptions(order, separation, leafSize, count, seed);
  }
}
