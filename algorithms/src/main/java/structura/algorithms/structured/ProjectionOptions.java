package structura.algorithms.structured;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * How {@link LowRankProjection} and {@link KroneckerProjection} compute their SVD.
 *
 * @param exactSvdLimit matrices whose smaller side is at most this use the exact dense SVD
 *     ({@code TruncatedSvd}, EJML; the result is then the Eckart–Young optimum); larger ones use
 *     {@code RandomizedSvd} (near-optimal, error bound of Halko–Martinsson–Tropp 2011). Default 1024.
 * @param oversampling randomized SVD oversampling; default 10
 * @param powerIterations randomized SVD power iterations; default 2
 * @param seed randomized SVD seed; default 0
 */
public record ProjectionOptions(int exactSvdLimit, int oversampling, int powerIterations, long seed) {
  /** Validates. */
  public ProjectionOptions {
    if (exactSvdLimit < 0 || oversampling < 0 || powerIterations < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "ProjectionOptions: exactSvdLimit (" + exactSvdLimit + "), oversampling (" + oversampling
              + ") and powerIterations (" + powerIterations + ") must be non-negative.",
          "Pass values >= 0 (defaults 1024, 10, 2).");
    }
  }

  /** Exact SVD up to 1024, else randomized with oversampling 10, 2 power iterations, seed 0. */
  public static ProjectionOptions defaults() {
    return new ProjectionOptions(1024, 10, 2, 0);
  }

  /** Always the exact dense SVD (optimal; O(mn·min(m, n)) time). */
  public static ProjectionOptions exact() {
    return new ProjectionOptions(Integer.MAX_VALUE, 10, 2, 0);
  }
}
