package structura.algorithms.spectral;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link DistributedPca}.
 *
 * @param rank number of components k (at least 1, below the column count)
 * @param method how partitions are combined; default {@link PcaMethod#PROCRUSTES}
 * @param centering default {@link Centering#NONE}
 * @param localSolver default {@link LocalSolver#RANDOMIZED_SVD}
 * @param oversampling randomized SVD oversampling p; default 10
 * @param powerIterations randomized SVD power iterations q; default 4 (each sharpens the local
 *     spectrum from σ_j to σ_j^(2q+1); the local answer must be accurate to well below the
 *     statistical error for the averaging to reach the centralized error)
 * @param seed seed of the local randomized SVDs (partition p uses a stream derived from (seed, p));
 *     default 0
 * @param robustThreshold for {@link PcaMethod#ROBUST}: an aligned answer is dropped when its
 *     projection on the leading direction of spread is more than this many robust standard
 *     deviations (1.4826·MAD) from the median; default 4
 * @param fault test hook replacing partition answers; default {@link NodeFault#NONE}
 */
public record DistributedPcaOptions(int rank, PcaMethod method, Centering centering, LocalSolver localSolver,
    int oversampling, int powerIterations, long seed, double robustThreshold, NodeFault fault) {
  /** Validates. */
  public DistributedPcaOptions {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(centering, "centering");
    Objects.requireNonNull(localSolver, "localSolver");
    Objects.requireNonNull(fault, "fault");
    if (rank < 1 || oversampling < 0 || powerIterations < 0 || !(robustThreshold > 0)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "DistributedPcaOptions: rank (" + rank + ") must be ≥ 1, oversampling (" + oversampling
              + ") and powerIterations (" + powerIterations + ") ≥ 0, robustThreshold (" + robustThreshold + ") > 0.",
          "Pass values in range (defaults: oversampling 10, powerIterations 4, robustThreshold 4).");
    }
  }

  /** Rank k with every other option at its default. */
  public static DistributedPcaOptions ofRank(int rank) {
    return new DistributedPcaOptions(rank, PcaMethod.PROCRUSTES, Centering.NONE, LocalSolver.RANDOMIZED_SVD, 10, 4, 0L,
        4.0, NodeFault.NONE);
  }

  /** A copy with {@code method}. */
  public DistributedPcaOptions withMethod(PcaMethod m) {
    return new DistributedPcaOptions(rank, m, centering, localSolver, oversampling, powerIterations, seed,
        robustThreshold, fault);
  }

  /** A copy with {@code c}. */
  public DistributedPcaOptions withCentering(Centering c) {
    return new DistributedPcaOptions(rank, method, c, localSolver, oversampling, powerIterations, seed,
        robustThreshold, fault);
  }

  /** A copy with {@code s}. */
  public DistributedPcaOptions withLocalSolver(LocalSolver s) {
    return new DistributedPcaOptions(rank, method, centering, s, oversampling, powerIterations, seed,
        robustThreshold, fault);
  }

  /**
   * A copy whose randomized local SVDs use {@code p} extra columns and {@code q} power iterations
   * (used only with {@link LocalSolver#RANDOMIZED_SVD}).
   */
  public DistributedPcaOptions withRandomizedSvd(int p, int q) {
    return new DistributedPcaOptions(rank, method, centering, localSolver, p, q, seed, robustThreshold, fault);
  }

  /** A copy with {@code f}. */
  public DistributedPcaOptions withFault(NodeFault f) {
    return new DistributedPcaOptions(rank, method, centering, localSolver, oversampling, powerIterations, seed,
        robustThreshold, f);
  }

  /** A copy with {@code s}. */
  public DistributedPcaOptions withSeed(long s) {
    return new DistributedPcaOptions(rank, method, centering, localSolver, oversampling, powerIterations, s,
        robustThreshold, fault);
  }
}
