package structura.algorithms.kernel.fkt;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link FastKernelTransform}.
 *
 * <p><b>Choosing them for a tolerance.</b> The far field of a node is the degree-p Taylor
 * polynomial of the kernel in the source position, used only for targets at distance ≥
 * radius/θ, so the error of one interaction is about θ^(p+1) (relative to the kernel value, for
 * nodes about the lengthscale in size; smaller nodes do better), and each increase of p by 2
 * divides it by about θ⁻². Measured relative errors ‖K̃v − Kv‖/‖Kv‖ of a whole product (Gaussian
 * kernel at lengthscale 1/4 of the unit cube, N = 5,000, d = 2–4; FastKernelTransformTest and
 * docs/fkt.md): θ = 0.5 gives about 2e-3 at p = 6 and 7e-5 at p = 10; θ = 0.4 about 1e-4 at
 * p = 8; θ = 0.3 about 3e-5 at p = 6 and ≤ 1e-6 at p = 10 (tested). Rules of thumb: tolerance
 * 2e-3 → θ = 0.5, p = 6 ({@code ofOrder(6)}, the defaults before 2026-12-05); 1e-4 → θ = 0.4, p = 8; 1e-6 → θ = 0.3, p = 10. A smaller
 * θ moves more pairs into the exact near field (slower, exact there); a higher p costs
 * C(p+d, d) terms per expansion (d = 3: 35 at p = 4, 165 at p = 8, 286 at p = 10), so high p is
 * expensive in high d. The leaf size trades near-field work (∝ leaf size) against tree depth.
 *
 * <p><b>The FMM path</b> (q ≥ 1, d ≤ 3; θ unused there, the separation is the octree's
 * non-adjacency rule at r′/r ≤ √d/3): the error is about the larger of the expansion's (p) and
 * the Chebyshev grid's (q); take q ≈ p − 2. Measured (Gaussian, unit cube, lengthscale 0.2,
 * N = 10⁴–10⁶, leaf 64): p = 8, q = 6 gives 1–2e-5; at lengthscale 0.5, N = 2,000: p = 10, q = 8
 * gives 3e-10 (tested ≤ 1e-6). Rules of thumb: 1e-4 → p = 8, q = 6, leaf 64; 1e-6 → p = 10,
 * q = 8. Cost per product ≈ #M2L pairs·2·q^d·C(p+d, d) flops (about 150 pairs per box at d = 3).
 * With {@link #withTolerance} the FMM path picks p and q per octree level instead (at most the
 * given p and q): at tolerance 1e-4 with ceilings p = 8, q = 6 the measured product errors are
 * 1–2e-5 and a product at N = 10⁶ is about 5× cheaper (docs/fkt.md, docs/performance.md).
 *
 * @param order truncation order p ≥ 0; default 6
 * @param separation θ in (0, 1): a target uses a node's expansion when its distance to the node
 *     center is at least the node radius divided by θ (the paper code's {@code neighbor_scale});
 *     default 1/2; treecode path only (the FMM path uses the octree's
 *     non-adjacency rule)
 * @param leafSize the largest number of points in a leaf, ≥ 1 (the near-field block size), or
 *     {@link #AUTOMATIC_LEAF_SIZE} (0): {@value #FMM_LEAF_SIZE} on the FMM path,
 *     {@value #DEFAULT_LEAF_SIZE} on the treecode path (the paper code's {@code max_dofs_per_leaf});
 *     {@link #ofOrder} uses 256, {@link #defaults} 0
 * @param threads worker threads for factorisation and products, ≥ 1; default the available
 *     processors
 * @param seed seed of the random candidate directions the harmonic basis is chosen from; default 0
 * @param interpolationOrder q: Chebyshev points per dimension of the local (target-side)
 *     expansions of the FMM path (d ≤ 3 only: an explicit q ≥ 1 for d ≥ 4 is an error, not a
 *     silent switch to the treecode; see {@link FastKernelTransform}); 0 selects the treecode path
 *     (outgoing expansions evaluated at each far target); {@link #AUTOMATIC_INTERPOLATION_ORDER}
 *     (−1) the path by dimension: q = {@value #AUTOMATIC_FMM_INTERPOLATION_ORDER} for d ≤ 3, the
 *     treecode beyond; {@link #ofOrder} uses 0, {@link #defaults} −1
 * @param tolerance the FMM path's target accuracy, ≥ 0: 0 (the default) uses p = {@code order}
 *     and q = {@code interpolationOrder} on every level; a tolerance in (0, 1) chooses p and q per
 *     octree level (at most {@code order} and {@code interpolationOrder}, which become ceilings)
 *     so that the probed entry error of each level's translations stays within it relative to
 *     the kernel's peak (FmmOrderRule); measured product errors stay below the tolerance
 *     (FastKernelTransformFmmTest). Fine boxes, far below the lengthscale, then get low orders.
 *     Ignored on the treecode path.
 */
public record FktOptions(int order, double separation, int leafSize, int threads, long seed, int interpolationOrder,
    double tolerance) {
  /** The default truncation order. */
  public static final int DEFAULT_ORDER = 6;
  /** The default separation ratio. */
  public static final double DEFAULT_SEPARATION = 0.5;
  /** The treecode's default leaf size. */
  public static final int DEFAULT_LEAF_SIZE = 256;
  /** The FMM path's default leaf size (the octree splits eightfold, so leaves hold 8 to 64 points at d = 3). */
  public static final int FMM_LEAF_SIZE = 64;
  /** q = −1: the FMM path at q = {@value #AUTOMATIC_FMM_INTERPOLATION_ORDER} where it exists (d ≤ 3), the treecode beyond. */
  public static final int AUTOMATIC_INTERPOLATION_ORDER = -1;
  /** The q that {@link #AUTOMATIC_INTERPOLATION_ORDER} gives for d ≤ 3 (a ceiling under a tolerance). */
  public static final int AUTOMATIC_FMM_INTERPOLATION_ORDER = 6;
  /** Leaf size 0: the path's own default ({@value #FMM_LEAF_SIZE} on the FMM path, {@value #DEFAULT_LEAF_SIZE} on the treecode). */
  public static final int AUTOMATIC_LEAF_SIZE = 0;
  /** The tolerance of {@link #defaults}: the FMM path's per-level orders aim at it. */
  public static final double DEFAULT_TOLERANCE = 1e-4;
  /** The largest order accepted: C(p+d, d) terms and double-precision radial sums limit it. */
  public static final int MAX_ORDER = 20;

  /** The largest q accepted: q^d local values per box. */
  public static final int MAX_INTERPOLATION_ORDER = 32;

  /** The treecode options (q = 0). */
  public FktOptions(int order, double separation, int leafSize, int threads, long seed) {
    this(order, separation, leafSize, threads, seed, 0);
  }

  /** Fixed orders on every level (tolerance 0). */
  public FktOptions(int order, double separation, int leafSize, int threads, long seed, int interpolationOrder) {
    this(order, separation, leafSize, threads, seed, interpolationOrder, 0);
  }

  /** Validates. */
  public FktOptions {
    if (interpolationOrder < AUTOMATIC_INTERPOLATION_ORDER || interpolationOrder > MAX_INTERPOLATION_ORDER) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: interpolation order q = " + interpolationOrder + " is outside [-1, " + MAX_INTERPOLATION_ORDER + "].",
          "Pass q = 0 for the treecode, q in [1, " + MAX_INTERPOLATION_ORDER + "] for the FMM path (6 for about 1e-4), "
              + "or -1 for the path by dimension.");
    }
    if (order < 0 || order > MAX_ORDER) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: order p = " + order + " is outside [0, " + MAX_ORDER + "].",
          "Pass p in [0, " + MAX_ORDER + "] (8 with separation 0.4 for about 1e-4, 10 with separation 0.3 for about 1e-6).");
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: tolerance = " + tolerance + " is not in [0, 1).",
          "Pass 0 for fixed orders or a target accuracy in (0, 1), e.g. 1e-4, to choose the orders per level.");
    }
    if (!(separation > 0 && separation < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: separation theta = " + separation + " is not in (0, 1).", "Pass theta in (0, 1); 0.5 is the default.");
    }
    if (leafSize < AUTOMATIC_LEAF_SIZE || threads < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FktOptions: leafSize (" + leafSize + ") must be at least 0 and threads (" + threads + ") at least 1.",
          "Pass leafSize >= 1 (256 for the treecode, 64 for the FMM path) or 0 for the path's default, and threads >= 1.");
    }
  }

  /**
   * The defaults, aiming at a product error of about 1e-4: for d ≤ 3 the FMM path with orders
   * chosen per level for tolerance {@value #DEFAULT_TOLERANCE} (ceilings p = 8, q = 6, leaf 64;
   * measured errors 1–3e-5, and 5–10× faster than the treecode at N = 10⁵, docs/performance.md);
   * for d ≥ 4 the treecode with p = 8, θ = 0.4, leaf 256 (about 1e-4). All processors, seed 0.
   * Since 2026-12-05; before, p = 6, θ = 1/2 on the treecode (about 2e-3), which
   * {@code ofOrder(6)} still gives.
   */
  public static FktOptions defaults() {
    return new FktOptions(8, 0.4, AUTOMATIC_LEAF_SIZE, Runtime.getRuntime().availableProcessors(), 0,
        AUTOMATIC_INTERPOLATION_ORDER, DEFAULT_TOLERANCE);
  }

  /**
   * The interpolation order used in dimension d: {@link #interpolationOrder}, or for
   * {@link #AUTOMATIC_INTERPOLATION_ORDER} {@value #AUTOMATIC_FMM_INTERPOLATION_ORDER} where the
   * FMM path exists (d ≤ {@link FastKernelTransform#FMM_MAX_DIMENSION}) and 0 (the treecode) beyond.
   */
  public int interpolationOrderFor(int d) {
    if (interpolationOrder != AUTOMATIC_INTERPOLATION_ORDER) {
      return interpolationOrder;
    }
    return d <= FastKernelTransform.FMM_MAX_DIMENSION ? AUTOMATIC_FMM_INTERPOLATION_ORDER : 0;
  }

  /** The leaf size used on the FMM path ({@code fmm}) or the treecode: {@link #leafSize}, or the path's default when it is 0. */
  public int leafSizeFor(boolean fmm) {
    return leafSize != AUTOMATIC_LEAF_SIZE ? leafSize : fmm ? FMM_LEAF_SIZE : DEFAULT_LEAF_SIZE;
  }

  /** The treecode at order p: θ = 1/2, leaf size 256, q = 0, all processors, seed 0 (the defaults before 2026-12-05 at p = 6). */
  public static FktOptions ofOrder(int order) {
    return new FktOptions(order, DEFAULT_SEPARATION, DEFAULT_LEAF_SIZE, Runtime.getRuntime().availableProcessors(), 0);
  }

  /** These options with another order. */
  public FktOptions withOrder(int p) {
    return new FktOptions(p, separation, leafSize, threads, seed, interpolationOrder, tolerance);
  }

  /** These options with another separation θ. */
  public FktOptions withSeparation(double theta) {
    return new FktOptions(order, theta, leafSize, threads, seed, interpolationOrder, tolerance);
  }

  /** These options with another leaf size. */
  public FktOptions withLeafSize(int size) {
    return new FktOptions(order, separation, size, threads, seed, interpolationOrder, tolerance);
  }

  /** These options with another thread count. */
  public FktOptions withThreads(int count) {
    return new FktOptions(order, separation, leafSize, count, seed, interpolationOrder, tolerance);
  }

  /** These options with another interpolation order q (0: the treecode path; −1: the path by dimension). */
  public FktOptions withInterpolationOrder(int q) {
    return new FktOptions(order, separation, leafSize, threads, seed, q, tolerance);
  }

  /**
   * These options with another FMM tolerance: 0 for the fixed orders, otherwise p and q per level
   * with the current order and interpolation order as ceilings.
   */
  public FktOptions withTolerance(double tol) {
    return new FktOptions(order, separation, leafSize, threads, seed, interpolationOrder, tol);
  }
}
