package structura.algorithms.linalg;

/**
 * Options of {@link RandomizedSvd}.
 *
 * @param rank number of singular triplets k (at least 1)
 * @param oversampling extra sample columns p; default 10 (HMT 2011 §4.2: p = 5 or 10 suffices
 *     for Gaussian test matrices)
 * @param powerIterations subspace iterations q; default 2 (each costs two passes over A and
 *     sharpens the spectral decay from σ_j to σ_j^(2q+1))
 * @param seed seed of the Gaussian test matrix; default 0
 */
public record RandomizedSvdOptions(int rank, int oversampling, int powerIterations, long seed) {
  /** Validates. */
  public RandomizedSvdOptions {
    Checks.positive("RandomizedSvdOptions", "rank", rank);
    if (oversampling < 0 || powerIterations < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "RandomizedSvdOptions: oversampling (" + oversampling + ") and powerIterations (" + powerIterations
              + ") must be non-negative.", "Pass values >= 0 (defaults 10 and 2).");
    }
  }

  /** Rank k with oversampling 10, 2 power iterations, seed 0. */
  public static RandomizedSvdOptions ofRank(int rank) {
    return new RandomizedSvdOptions(rank, 10, 2, 0);
  }
}
