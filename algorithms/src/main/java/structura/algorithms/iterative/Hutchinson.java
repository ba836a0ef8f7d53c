package structura.algorithms.iterative;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.HouseholderQr;
import structura.algorithms.linalg.HouseholderQrOptions;
import structura.api.DType;
import structura.api.backend.Compute;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * Stochastic estimators of tr(A) and diag(A) from products with random probes, stopping on the
 * relative standard error; and Hutch++, which deflates a sketched dominant subspace first.
 *
 * <p><b>Method.</b> Hutchinson (1990): tr(A) = E[zᵀAz] for E[zzᵀ] = I; the estimate is the mean
 * over probes and its standard error the sample standard deviation over √s (Welford's update).
 * Diagonal (Bekas, Kokiopoulou and Saad, 2007): diag(A) = E[z ⊙ Az]. Hutch++ (Meyer, Musco, Musco
 * and Woodruff, SOSA 2021, Alg. 1): Q = orth(A·S) for a Gaussian n×s sketch S, then
 * tr(A) = tr(QᵀAQ) + tr((I − QQᵀ)A(I − QQᵀ)), the first exact and the second estimated by
 * Hutchinson on probes projected by I − QQᵀ; with a decaying spectrum the variance falls from
 * O(‖A‖_F²) to O(‖A − A_s‖_F²).
 *
 * <p><b>Cost.</b> One product per probe (block products of {@code blockSize}); Hutch++ adds 2s
 * products and a Householder QR of an n×s block.
 *
 * <p><b>Deviations.</b> Hutch++ here is adaptive in its second stage (probes until the relative
 * standard error is met) rather than splitting a fixed budget in thirds.
 */
public final class Hutchinson {
  private static final String NAME = "Hutchinson";

  private Hutchinson() {}

  /** Estimates tr(A) for a square operator. */
  public static Estimate trace(LinearOperator a, HutchinsonOptions options) {
    return deflatedTrace(a, null, 0, options, new Products(a, ProductPrecision.F64, NAME));
  }

  /**
   * Hutch++: estimates tr(A) after deflating an s-dimensional sketch of A's range.
   *
   * @param sketchSize s ≥ 1 columns of the Gaussian sketch (drawn from the options' seed)
   */
  public static Estimate traceHutchPlusPlus(LinearOperator a, int sketchSize, HutchinsonOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    IterativeChecks.atLeast(NAME, "sketchSize", sketchSize, 1);
    int n = a.rows();
    int s = Math.min(sketchSize, n);
    Products products = new Products(a, ProductPrecision.F64, NAME);
    SplittableRandom rng = new SplittableRandom(options.seed()).split();
    double[] sketch = new double[n * s];
    ProbeDistribution.GAUSSIAN.fill(sketch, rng);
    double[] y = products.exact(sketch, s);
    Matrix q = new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(Blocks.wrap(y, n, s)).q().toDType(DType.F64);
    double[] qa = Blocks.copyOf(q);
    int r = q.cols();
    double[] aq = products.exact(qa, r);
    double exact = 0;
    for (double d : Blocks.dots(qa, aq, n, r)) {
      exact += d;
    }
    return deflatedTrace(a, qa, r, options, products, exact);
  }

  private static Estimate deflatedTrace(LinearOperator a, double[] q, int r, HutchinsonOptions o, Products products) {
    Objects.requireNonNull(o, "options");
    IterativeChecks.square(NAME, a);
    return deflatedTrace(a, q, r, o, products, 0);
  }

  private static Estimate deflatedTrace(LinearOperator a, double[] q, int r, HutchinsonOptions o, Products products,
      double exact) {
    int n = a.rows();
    SplittableRandom rng = new SplittableRandom(o.seed());
    RunningMean stats = new RunningMean(1);
    int blocks = 0;
    while (stats.count() < o.maxProbes()) {
      int k = Math.min(o.blockSize(), o.maxProbes() - stats.count());
      double[] z = new double[n * k];
      o.distribution().fill(z, rng);
      if (q != null) {
        project(z, q, n, k, r);
      }
      double[] az = products.exact(z, k);
      double[] samples = Blocks.dots(z, az, n, k);
      for (double v : samples) {
        stats.add(new double[] {v});
      }
      blocks++;
      double est = exact + stats.mean()[0];
      double se = stats.standardError()[0];
      o.listener().iteration(NAME, blocks, se / Math.abs(est));
      if (stats.count() >= 2 && se <= o.tolerance() * Math.abs(est)) {
        return new Estimate(est, se, stats.count(), products.count(), true, StopReason.CONVERGED);
      }
    }
    double est = exact + stats.mean()[0];
    return new Estimate(est, stats.standardError()[0], stats.count(), products.count(), false, StopReason.MAX_ITERATIONS);
  }

  /** z ← (I − QQᵀ)z for the n×k block z and the n×r orthonormal Q. */
  private static void project(double[] z, double[] q, int n, int k, int r) {
    double[] c = new double[r * k];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < r; t++) {
        double qit = q[i * r + t];
        for (int j = 0; j < k; j++) {
          c[t * k + j] += qit * z[i * k + j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < r; t++) {
        double qit = q[i * r + t];
        for (int j = 0; j < k; j++) {
          z[i * k + j] -= qit * c[t * k + j];
        }
      }
    }
  }

  /** Estimates diag(A) for a square operator. */
  public static DiagonalEstimate diagonal(LinearOperator a, HutchinsonOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    int n = a.rows();
    Products products = new Products(a, ProductPrecision.F64, NAME);
    SplittableRandom rng = new SplittableRandom(options.seed());
    RunningMean stats = new RunningMean(n);
    double[] sample = new double[n];
    int blocks = 0;
    while (stats.count() < options.maxProbes()) {
      int k = Math.min(options.blockSize(), options.maxProbes() - stats.count());
      double[] z = new double[n * k];
      options.distribution().fill(z, rng);
      double[] az = products.exact(z, k);
      for (int j = 0; j < k; j++) {
        for (int i = 0; i < n; i++) {
          sample[i] = z[i * k + j] * az[i * k + j];
        }
        stats.add(sample);
      }
      blocks++;
      double relative = norm(stats.standardError()) / norm(stats.mean());
      options.listener().iteration(NAME, blocks, relative);
      if (stats.count() >= 2 && relative <= options.tolerance()) {
        return new DiagonalEstimate(stats.mean(), stats.standardError(), stats.count(), products.count(), true,
            StopReason.CONVERGED);
      }
    }
    return new DiagonalEstimate(stats.mean(), stats.standardError(), stats.count(), products.count(), false,
        StopReason.MAX_ITERATIONS);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
