package structura.algorithms.iterative;

import java.util.SplittableRandom;

/**
 * Distribution of the random probe vectors z of stochastic trace estimators (E[zzᵀ] = I for
 * both). Rademacher probes give the smallest variance for a fixed operator,
 * Var(zᵀAz) = 2(‖A‖_F² − Σ a_ii²); Gaussian probes give 2‖A‖_F² but are rotation invariant.
 */
public enum ProbeDistribution {
  /** Independent ±1 entries. */
  RADEMACHER,
  /** Independent standard normal entries. */
  GAUSSIAN;

  /** Fills {@code block} with independent draws. */
  void fill(double[] block, SplittableRandom rng) {
    for (int i = 0; i < block.length; i++) {
      block[i] = this == RADEMACHER ? (rng.nextBoolean() ? 1 : -1) : gaussian(rng);
    }
  }

  /** A standard normal draw (Box–Muller; 1 − u keeps the logarithm finite). */
  static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
