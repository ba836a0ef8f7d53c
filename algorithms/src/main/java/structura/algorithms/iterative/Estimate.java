package structura.algorithms.iterative;

/**
 * A stochastic estimate of a scalar (a trace, a log-determinant) from independent probe samples.
 *
 * @param estimate the sample mean (plus any exact, deterministic part such as Hutch++'s
 *     low-rank trace)
 * @param standardError the sample standard deviation over √samples: the estimate's standard error
 *     (excluding any deterministic bias, for example Lanczos truncation in quadrature)
 * @param samples probe vectors used
 * @param matrixVectorProducts operator products counted per column
 * @param converged true exactly when standardError ≤ tolerance·|estimate| at the stop
 * @param reason {@link StopReason#CONVERGED} or {@link StopReason#MAX_ITERATIONS} (the probe cap)
 */
public record Estimate(double estimate, double standardError, int samples, long matrixVectorProducts,
    boolean converged, StopReason reason) {
  /** Checks that the flag and the reason agree. */
  public Estimate {
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  /** standardError/|estimate|. */
  public double relativeStandardError() {
    return standardError / Math.abs(estimate);
  }
}
