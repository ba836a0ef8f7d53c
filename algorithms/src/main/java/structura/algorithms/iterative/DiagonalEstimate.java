package structura.algorithms.iterative;

import java.util.Objects;

/**
 * A stochastic estimate of diag(A).
 *
 * @param estimate per entry, the mean of z_i·(Az)_i over the probes (unbiased: E[z_i z_l] = δ_il)
 * @param standardError per entry, the sample standard deviation over √samples
 * @param samples probes used
 * @param matrixVectorProducts operator products counted per column
 * @param converged true exactly when ‖standardError‖₂ ≤ tolerance·‖estimate‖₂ at the stop
 * @param reason {@link StopReason#CONVERGED} or {@link StopReason#MAX_ITERATIONS}
 */
public record DiagonalEstimate(double[] estimate, double[] standardError, int samples, long matrixVectorProducts,
    boolean converged, StopReason reason) {
  /** Copies. */
  public DiagonalEstimate {
    estimate = Objects.requireNonNull(estimate, "estimate").clone();
    standardError = Objects.requireNonNull(standardError, "standardError").clone();
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  @Override
  public double[] estimate() {
    return estimate.clone();
  }

  @Override
  public double[] standardError() {
    return standardError.clone();
  }
}
