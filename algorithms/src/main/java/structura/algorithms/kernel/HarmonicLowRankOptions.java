package structura.algorithms.kernel;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link HarmonicLowRank}.
 *
 * @param tolerance rtol in (0, 1): the Chebyshev fit of the kernel profile must reach
 *     rtol·κ(0) in absolute error, and radial eigenvalues below rtol times the largest degree-0
 *     one are dropped (both as in Ryan and Damle's {@code degen_kern_harmonic}); default 1e-4
 * @param maxChebyshevDegree the largest Chebyshev degree D tried for the kernel profile; it
 *     bounds the radial interpolation (D + 1 nodes) and the harmonic degree (≤ D/2 + 1);
 *     default 70 (the reference code's limit); ≥ 2
 * @param maxRank stop adding harmonic degrees once the rank would exceed this (the result then
 *     says the tolerance was not reached); default 4096; ≥ 1
 * @param seed seed of the random directions that span each harmonic space; default 0
 */
public record HarmonicLowRankOptions(double tolerance, int maxChebyshevDegree, int maxRank, long seed) {
  /** Validates. */
  public HarmonicLowRankOptions {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "HarmonicLowRankOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass a relative tolerance such as 1e-4.");
    }
    if (maxChebyshevDegree < 2) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "HarmonicLowRankOptions: maxChebyshevDegree = " + maxChebyshevDegree + " must be at least 2.", "Pass for example 70.");
    }
    if (maxRank < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "HarmonicLowRankOptions: maxRank = " + maxRank + " must be at least 1.", "Pass for example 4096.");
    }
  }

  /** Tolerance {@code rtol}, degree limit 70, rank limit 4096, seed 0. */
  public static HarmonicLowRankOptions ofTolerance(double rtol) {
    return new HarmonicLowRankOptions(rtol, 70, 4096, 0);
  }

  public HarmonicLowRankOptions withMaxRank(int v) {
    return new HarmonicLowRankOptions(tolerance, maxChebyshevDegree, v, seed);
  }

  public HarmonicLowRankOptions withMaxChebyshevDegree(int v) {
    return new HarmonicLowRankOptions(tolerance, v, maxRank, seed);
  }

  public HarmonicLowRankOptions withSeed(long v) {
    return new HarmonicLowRankOptions(tolerance, maxChebyshevDegree, maxRank, v);
  }
}
