package structura.algorithms.kernel;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link KernelNystrom}.
 *
 * @param rank number of landmark points r (≥ 1)
 * @param sampling how landmarks are drawn; default {@link Sampling#UNIFORM}
 * @param seed seed of the draws; default 0
 */
public record KernelNystromOptions(int rank, Sampling sampling, long seed) {
  /** Landmark sampling rules. */
  public enum Sampling {
    /** r distinct points uniformly at random (Williams and Seeger 2001). */
    UNIFORM,
    /**
     * r distinct points drawn with probability proportional to approximate ridge leverage scores
     * ℓ_i(λ) = [K(K + λI)⁻¹]_ii (Alaoui and Mahoney 2015; Musco and Musco 2017), estimated from a
     * uniform pilot Nyström of rank r.
     */
    RIDGE_LEVERAGE
  }

  /** Validates. */
  public KernelNystromOptions {
    if (rank < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "KernelNystromOptions: rank = " + rank + " must be at least 1.",
          "Pass the number of landmark points, for example 500.");
    }
    Objects.requireNonNull(sampling, "sampling");
  }

  /** Rank r with the given sampling, seed 0. */
  public static KernelNystromOptions of(int rank, Sampling sampling) {
    return new KernelNystromOptions(rank, sampling, 0);
  }

  public KernelNystromOptions withSeed(long v) {
    return new KernelNystromOptions(rank, sampling, v);
  }
}
