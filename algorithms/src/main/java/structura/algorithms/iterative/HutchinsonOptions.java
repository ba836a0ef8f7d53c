package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link Hutchinson} (and the probe loop of {@link StochasticLanczosQuadrature}).
 *
 * @param tolerance stop once the standard error is at most tolerance·|estimate| (for the diagonal:
 *     ‖standard errors‖₂ ≤ tolerance·‖estimate‖₂); default 1e-2; in (0, 1)
 * @param maxProbes cap on probe vectors; default 1000; ≥ 2
 * @param blockSize probes per block product; the stopping rule is checked after each block and
 *     never before two probes; default 16; ≥ 1
 * @param distribution probe entries; default {@link ProbeDistribution#RADEMACHER}
 * @param seed the probes' random stream; default 0
 * @param listener progress per block (relative standard error); default none
 */
public record HutchinsonOptions(double tolerance, int maxProbes, int blockSize, ProbeDistribution distribution, long seed,
    IterationListener listener) {
  /** Validates. */
  public HutchinsonOptions {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "HutchinsonOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-2.");
    }
    IterativeChecks.atLeast("HutchinsonOptions", "maxProbes", maxProbes, 2);
    IterativeChecks.atLeast("HutchinsonOptions", "blockSize", blockSize, 1);
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(listener, "listener");
  }

  /** Relative standard error 1e-2, up to 1000 Rademacher probes in blocks of 16, seed 0. */
  public static HutchinsonOptions defaults() {
    return new HutchinsonOptions(1e-2, 1000, 16, ProbeDistribution.RADEMACHER, 0, IterationListener.NONE);
  }

  public HutchinsonOptions withTolerance(double v) {
    return new HutchinsonOptions(v, maxProbes, blockSize, distribution, seed, listener);
  }

  public HutchinsonOptions withMaxProbes(int v) {
    return new HutchinsonOptions(tolerance, v, blockSize, distribution, seed, listener);
  }

  public HutchinsonOptions withBlockSize(int v) {
    return new HutchinsonOptions(tolerance, maxProbes, v, distribution, seed, listener);
  }

  public HutchinsonOptions withDistribution(ProbeDistribution v) {
    return new HutchinsonOptions(tolerance, maxProbes, blockSize, v, seed, listener);
  }

  public HutchinsonOptions withSeed(long v) {
    return new HutchinsonOptions(tolerance, maxProbes, blockSize, distribution, v, listener);
  }

  public HutchinsonOptions withListener(IterationListener v) {
    return new HutchinsonOptions(tolerance, maxProbes, blockSize, distribution, seed, v);
  }
}
