package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/** RR-CG is unbiased, shown statistically; CG truncated at the same mean iteration count is not. */
class RrConjugateGradientTest {
  private static final int N = 200;
  private static final double KAPPA = 2000;
  private static final long SPECTRUM_SEED = 101;

  @Test
  void truncationDistributionIsNormalizedAndSampledCorrectly() {
    TruncationDistribution d = new TruncationDistribution(0.1, 5, 200);
    double total = 0;
    for (int j = 0; j <= 201; j++) {
      total += d.probability(j);
    }
    assertEquals(1, total, 1e-12);
    assertEquals(1, d.survival(5));
    assertEquals(d.probability(200), d.survival(200), 1e-15);
    assertEquals(d.survival(30) - d.survival(31), d.probability(30), 1e-15);
    SplittableRandom rng = new SplittableRandom(3);
    double sum = 0;
    int draws = 20000;
    for (int i = 0; i < draws; i++) {
      sum += d.sample(rng);
    }
    // mean ≈ min + 1/(e^0.1 − 1) = 14.51; sample sd ≈ 10
    assertEquals(d.mean(), sum / draws, 4 * 10 / Math.sqrt(draws));
    assertEquals(14.508, d.mean(), 1e-3);
  }

  @Test
  void rrLogdetIsUnbiasedAndTruncatedCgIsBiased() {
    double[] lambda = Dense.geometricSpectrum(N, KAPPA);
    LinearOperator a = Operators.denseOnReference(Dense.withSpectrum(lambda, SPECTRUM_SEED));
    DMatrixRMaj q = Dense.orthogonal(N, SPECTRUM_SEED);
    double exact = 0;
    for (double l : lambda) {
      exact += Math.log(l);
    }
    TruncationDistribution d = new TruncationDistribution(0.1, 5, N);
    int fixed = (int) Math.round(d.mean());
    Products products = new Products(a, ProductPrecision.F64, "test");
    SplittableRandom rng = new SplittableRandom(7);
    int samples = 1000;
    RunningMean rr = new RunningMean(1);
    RunningMean rrPaired = new RunningMean(1);
    RunningMean plainPaired = new RunningMean(1);
    for (int s = 0; s < samples; s++) {
      double[] z = new double[N];
      ProbeDistribution.RADEMACHER.fill(z, rng);
      double quadratic = quadraticLog(q, lambda, z);
      double estimate = RrConjugateGradient.logDeterminantSample(products, z, d, d.sample(rng));
      double truncated = RrConjugateGradient.logDeterminantSample(products, z, null, fixed);
      rr.add(new double[] {estimate});
      rrPaired.add(new double[] {estimate - quadratic});
      plainPaired.add(new double[] {truncated - quadratic});
    }
    double se = rr.standardError()[0];
    assertTrue(Math.abs(rr.mean()[0] - exact) <= 3 * se, "RR mean " + rr.mean()[0] + " exact " + exact + " se " + se);
    // paired with the exact zᵀ log(A) z of the same probe, the probe noise cancels: a sharp test
    double pairedSe = rrPaired.standardError()[0];
    assertTrue(Math.abs(rrPaired.mean()[0]) <= 3 * pairedSe, "RR bias " + rrPaired.mean()[0] + " se " + pairedSe);
    double bias = plainPaired.mean()[0];
    double biasSe = plainPaired.standardError()[0];
    // Gauss quadrature overestimates ∫log (its even derivatives are negative): measured +12.7 ± 0.06
    assertTrue(bias > 10 * biasSe, "truncated CG bias " + bias + " se " + biasSe);
    // and it is far outside the RR estimator's own error bar (measured 7.4 of its standard errors)
    assertTrue(bias > 5 * pairedSe, "truncated bias " + bias + " vs RR paired se " + pairedSe);
  }

  @Test
  void rrSolveIsUnbiasedForTheSolution() {
    double[] lambda = Dense.geometricSpectrum(N, KAPPA);
    Matrix dense = Dense.withSpectrum(lambda, SPECTRUM_SEED);
    LinearOperator a = Operators.denseOnReference(dense);
    Matrix b = Dense.gaussian(N, 1, 8);
    Matrix exact = Dense.solve(dense, b);
    TruncationDistribution d = new TruncationDistribution(0.05, 10, N);
    RunningMean mean = new RunningMean(N);
    for (int s = 0; s < 1000; s++) {
      mean.add(Blocks.copyOf(RrConjugateGradient.solve(a, b, d, 1000 + s)));
    }
    double[] m = mean.mean();
    double[] se = mean.standardError();
    double worstZ = 0;
    for (int i = 0; i < N; i++) {
      worstZ = Math.max(worstZ, Math.abs(m[i] - exact.get(i, 0)) / se[i]);
    }
    // 200 coordinates: the largest |z| of standard normals exceeds 4.5 with probability ≈ 0.1%
    assertTrue(worstZ < 4.5, "largest z-score " + worstZ);
    SolveResult truncated = ConjugateGradient.solve(a, b,
        ConjugateGradientOptions.defaults().withMaxIterations((int) Math.round(d.mean())).withMaxResidualReplacements(0));
    double truncatedZ = 0;
    for (int i = 0; i < N; i++) {
      truncatedZ = Math.max(truncatedZ, Math.abs(truncated.solution().get(i, 0) - exact.get(i, 0)) / se[i]);
    }
    assertTrue(truncatedZ > 10, "truncated CG is off by " + truncatedZ + " standard errors");
  }

  @Test
  void publicLogdetStopsOnItsStandardError() {
    double[] lambda = Dense.geometricSpectrum(100, 100);
    LinearOperator a = Operators.denseOnReference(Dense.withSpectrum(lambda, 9));
    double exact = 0;
    for (double l : lambda) {
      exact += Math.log(l);
    }
    Estimate e = RrConjugateGradient.logDeterminant(a, new TruncationDistribution(0.1, 5, 100),
        HutchinsonOptions.defaults().withTolerance(2e-2).withMaxProbes(2000).withSeed(10));
    assertTrue(e.converged());
    assertTrue(Math.abs(e.estimate() - exact) <= 3 * e.standardError(), e.estimate() + " vs " + exact);
  }

  /** zᵀ log(A) z = Σ_i log λ_i (q_iᵀ z)². */
  private static double quadraticLog(DMatrixRMaj q, double[] lambda, double[] z) {
    double s = 0;
    for (int i = 0; i < lambda.length; i++) {
      double c = 0;
      for (int t = 0; t < z.length; t++) {
        c += q.get(t, i) * z[t];
      }
      s += Math.log(lambda[i]) * c * c;
    }
    return s;
  }
}
