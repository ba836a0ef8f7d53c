package structura.algorithms.kernel.fkt;

import java.util.SplittableRandom;
import structura.api.backend.RadialKernel;

/**
 * The tolerance-driven choice of the FMM path's orders per octree level: the expansion order p_l
 * of the outgoing (source) expansions and the Chebyshev order q_l of the local (target) grids of
 * the boxes of level l. Boxes far below the kernel's lengthscale need far lower orders than the
 * coarse ones (the kernel is nearly polynomial across them), so one global (p, q) wastes most of
 * the translation work on the fine levels, where most of the pairs are.
 *
 * <p>Rule: for each level l with side s (in lengthscale units), the two closest translations of
 * that level are probed, a source box at offset (2, 0, 0)·s and at (2, 2, 2)·s from the target box
 * (the nearest non-adjacent boxes; farther pairs converge faster). With seeded sample points x in
 * the target box and x′ in the source box (16 random points plus the 2^d corners each),
 * <ul>
 *   <li>p_l is the smallest p ≤ p_max with max |κ̃_p(x, x′) − κ(x, x′)| ≤ tol/2 · κ_ref, κ̃_p the
 *       degree-p {@link FarFieldExpansion} about the source center;</li>
 *   <li>q_l is the smallest q ≤ q_max with max |I_q[κ(·, x′)](x) − κ(x, x′)| ≤ tol/2 · κ_ref, I_q
 *       the tensor Chebyshev interpolant on the target box ({@link ChebyshevGrid});</li>
 * </ul>
 * where κ_ref = κ(0) (the kernel's largest value; for a kernel singular at 0, the largest value
 * seen in the probe). The entry error relative to the kernel's peak bounds the product's relative
 * error for the non-negative kernels and data the tests cover; FastKernelTransformFmmTest checks
 * the product error against dense products on uniform and mixture data for lengthscales from
 * 0.05 to 1. When even p_max or q_max misses the tolerance the maximum is used and the level's
 * estimate says so ({@link #estimatedError}). Cost: a few thousand kernel evaluations per level.
 */
final class FmmOrderRule {
  private static final int SAMPLES = 16;

  private final int[] expansionOrder;
  private final int[] interpolationOrder;
  private final double[] estimatedError;

  /**
   * Chooses the orders of levels 0..depth of a tree with root side {@code rootSide} (scaled
   * coordinates) for the tolerance {@code tolerance} &gt; 0, capped at p_max and q_max ≥ 1.
   */
  FmmOrderRule(RadialKernel kernel, int d, double rootSide, int depth, double tolerance, int pMax, int qMax,
      long seed) {
    expansionOrder = new int[depth + 1];
    interpolationOrder = new int[depth + 1];
    estimatedError = new double[depth + 1];
    FarFieldExpansion[] expansions = new FarFieldExpansion[pMax + 1];
    ChebyshevGrid[] grids = new ChebyshevGrid[qMax + 1];
    for (int l = 0; l <= depth; l++) {
      double side = rootSide / (1L << l);
      double[][] targets = samples(d, side, new SplittableRandom(seed + 31L * l));
      double[][] sources = samples(d, side, new SplittableRandom(seed + 31L * l + 17));
      double[][] offsets = {offset(d, side, 1), offset(d, side, d)};
      double reference = kernel.ofSquaredDistance(0);
      if (!Double.isFinite(reference)) {
        reference = 0;
        for (double[] o : offsets) {
          for (double[] x : targets) {
            for (double[] y : sources) {
              reference = Math.max(reference, Math.abs(kernel.ofSquaredDistance(distance2(x, y, o))));
            }
          }
        }
      }
      double budget = tolerance / 2 * reference;
      double expansionError = Double.POSITIVE_INFINITY;
      int p = 0;
      for (; p <= pMax; p++) {
        if (expansions[p] == null) {
          expansions[p] = new FarFieldExpansion(kernel, d, p, seed);
        }
        expansionError = expansionError(kernel, expansions[p], targets, sources, offsets);
        if (expansionError <= budget) {
          break;
        }
      }
      int q = 1;
      double interpolationError = Double.POSITIVE_INFINITY;
      for (; q <= qMax; q++) {
        if (grids[q] == null) {
          grids[q] = new ChebyshevGrid(q, d);
        }
        interpolationError = interpolationError(kernel, grids[q], side, targets, sources, offsets);
        if (interpolationError <= budget) {
          break;
        }
      }
      expansionOrder[l] = Math.min(p, pMax);
      interpolationOrder[l] = Math.min(q, qMax);
      estimatedError[l] = (expansionError + interpolationError) / reference;
    }
  }

  /** p_l per level. */
  int expansionOrder(int level) {
    return expansionOrder[level];
  }

  /** q_l per level. */
  int interpolationOrder(int level) {
    return interpolationOrder[level];
  }

  /** The probe's largest entry error of level l at the chosen orders, relative to κ_ref. */
  double estimatedError(int level) {
    return estimatedError[level];
  }

  /** Target-box offset: the source center at 2·side along the first {@code count} axes. */
  private static double[] offset(int d, double side, int count) {
    double[] o = new double[d];
    for (int t = 0; t < Math.min(count, d); t++) {
      o[t] = 2 * side;
    }
    return o;
  }

  /** Points relative to a box center: the 2^d corners, then seeded uniform points. */
  private static double[][] samples(int d, double side, SplittableRandom random) {
    int corners = 1 << d;
    double[][] s = new double[corners + SAMPLES][d];
    for (int k = 0; k < corners; k++) {
      for (int t = 0; t < d; t++) {
        s[k][t] = ((k >> t) & 1) == 0 ? -side / 2 : side / 2;
      }
    }
    for (int k = corners; k < s.length; k++) {
      for (int t = 0; t < d; t++) {
        s[k][t] = (random.nextDouble() - 0.5) * side;
      }
    }
    return s;
  }

  /** ‖x − (o + y)‖²: x relative to the target center, y to the source center at offset o. */
  private static double distance2(double[] x, double[] y, double[] o) {
    double s = 0;
    for (int t = 0; t < x.length; t++) {
      double diff = x[t] - o[t] - y[t];
      s += diff * diff;
    }
    return s;
  }

  private static double expansionError(RadialKernel kernel, FarFieldExpansion e, double[][] targets,
      double[][] sources, double[][] offsets) {
    int d = targets[0].length;
    int m = e.size();
    FarFieldExpansion.Workspace w = e.workspace();
    double[] origin = new double[d];
    double[] relative = new double[d];
    double[] weights = new double[m];
    double[] tmp = new double[m];
    double worst = 0;
    for (double[] y : sources) {
      e.sourceFeatures(y, 0, origin, 0, w);
      System.arraycopy(w.features, 0, weights, 0, m);
      e.toWeights(weights, 1, tmp);
      for (double[] o : offsets) {
        for (double[] x : targets) {
          for (int t = 0; t < d; t++) {
            relative[t] = x[t] - o[t];
          }
          e.targetFeatures(relative, 0, origin, 0, w);
          double approx = 0;
          for (int f = 0; f < m; f++) {
            approx += w.features[f] * weights[f];
          }
          worst = Math.max(worst, Math.abs(approx - kernel.ofSquaredDistance(distance2(x, y, o))));
        }
      }
    }
    return worst;
  }

  private static double interpolationError(RadialKernel kernel, ChebyshevGrid grid, double side,
      double[][] targets, double[][] sources, double[][] offsets) {
    int d = targets[0].length;
    int q = grid.order();
    double half = side / 2;
    double[] values = new double[grid.size()];
    double[] node = new double[d];
    double[] u = new double[d];
    double[] basis = new double[d * q];
    double[] tensor = new double[grid.size()];
    double[] out = new double[1];
    double worst = 0;
    for (double[] y : sources) {
      for (double[] o : offsets) {
        for (int g = 0; g < grid.size(); g++) {
          for (int t = 0; t < d; t++) {
            node[t] = half * grid.node(grid.index(g, t));
          }
          values[g] = kernel.ofSquaredDistance(distance2(node, y, o));
        }
        for (double[] x : targets) {
          for (int t = 0; t < d; t++) {
            u[t] = x[t] / half;
          }
          out[0] = 0;
          grid.addInterpolant(u, values, 0, 1, out, 0, basis, tensor);
          worst = Math.max(worst, Math.abs(out[0] - kernel.ofSquaredDistance(distance2(x, y, o))));
        }
      }
    }
    return worst;
  }
}
