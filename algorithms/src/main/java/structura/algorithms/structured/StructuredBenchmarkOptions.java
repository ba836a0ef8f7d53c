package structura.algorithms.structured;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Sizes of {@link StructuredBenchmark}.
 *
 * @param n operator order of the Kronecker and block-diagonal cases (default 4096: 64×64 factors,
 *     64 blocks of 64); the Woodbury case uses 4n (16384) with rank 64
 * @param denseFactorMaxN largest order at which the dense Cholesky/LU route is timed directly
 *     (default 4096); above it the time at this order is scaled by (n/denseFactorMaxN)³
 * @param denseEigenMaxN the same for the dense symmetric eigensolver (default 1024: at n = 4096
 *     EJML's eigensolver alone takes minutes)
 * @param seed random factors
 */
public record StructuredBenchmarkOptions(int n, int denseFactorMaxN, int denseEigenMaxN, long seed) {
  public StructuredBenchmarkOptions {
    if (n < 64 || denseFactorMaxN < 16 || denseEigenMaxN < 16) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "StructuredBenchmarkOptions: n = " + n + " (at least 64), denseFactorMaxN = " + denseFactorMaxN
              + " and denseEigenMaxN = " + denseEigenMaxN + " (at least 16).",
          "Pass --size 64 or more.");
    }
  }

  /** n = 4096, dense routes timed up to 4096 (factorizations) and 1024 (eigensolver), seed 42. */
  public static StructuredBenchmarkOptions defaults() {
    return new StructuredBenchmarkOptions(4096, 4096, 1024, 42);
  }

  /** The defaults at another n. */
  public StructuredBenchmarkOptions withN(int size) {
    return new StructuredBenchmarkOptions(size, denseFactorMaxN, denseEigenMaxN, seed);
  }
}
