package structura.algorithms.iterative;

import java.util.SplittableRandom;

/**
 * The distribution of the random truncation level J ∈ {min, …, max} of {@link RrConjugateGradient}:
 * p(J) ∝ exp(−temperature·(J − min)), the {@code ExpDecayDist} of Potapczynski et al. (notes §6.1;
 * temperature 0.1 gives mean ≈ min + 10, 0.05 mean ≈ min + 20).
 *
 * @param temperature decay rate ≥ 0 (0 is uniform)
 * @param min smallest level ≥ 1
 * @param max largest level ≥ min (the solves are unbiased for the CG iterate at max, which is the
 *     exact answer once max ≥ the iterations CG needs)
 */
public record TruncationDistribution(double temperature, int min, int max) {
  /** Validates. */
  public TruncationDistribution {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "TruncationDistribution: temperature = " + temperature + " must be finite and >= 0.", "Pass for example 0.1.");
    }
    IterativeChecks.atLeast("TruncationDistribution", "min", min, 1);
    IterativeChecks.atLeast("TruncationDistribution", "max", max, min);
  }

  /** P(J = j). */
  public double probability(int j) {
    if (j < min || j > max) {
      return 0;
    }
    return Math.exp(-temperature * (j - min)) / normalizer();
  }

  /** P(J ≥ j): 1 for j ≤ min, 0 above max. */
  public double survival(int j) {
    if (j <= min) {
      return 1;
    }
    if (j > max) {
      return 0;
    }
    // Σ_{i=j}^{max} e^{−t(i−min)} / Σ_{i=min}^{max} e^{−t(i−min)}, in closed form for t > 0
    if (temperature == 0) {
      return (max - j + 1.0) / (max - min + 1.0);
    }
    double q = Math.exp(-temperature);
    return Math.pow(q, j - min) * (1 - Math.pow(q, max - j + 1)) / (1 - Math.pow(q, max - min + 1));
  }

  /** E[J]. */
  public double mean() {
    double s = 0;
    for (int j = min; j <= max; j++) {
      s += j * probability(j);
    }
    return s;
  }

  /** One draw by inverting the survival function. */
  public int sample(SplittableRandom rng) {
    double u = rng.nextDouble();
    int j = min;
    while (j < max && survival(j + 1) > u) {
      j++;
    }
    return j;
  }

  private double normalizer() {
    if (temperature == 0) {
      return max - min + 1.0;
    }
    double q = Math.exp(-temperature);
    return (1 - Math.pow(q, max - min + 1)) / (1 - q);
  }
}
