package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link SubspaceIteration}.
 *
 * @param basis V, n×r with orthonormal columns, the Ritz vectors (Rayleigh–Ritz rotated)
 * @param eigenvalues the Ritz values, decreasing
 * @param iterations products with the block so far
 * @param matrixVectorProducts products counted per column
 * @param l2Bound ‖AV − VD‖₂/gap at the stop: a bound on ‖sin Θ‖₂
 * @param l2ToInfinityBound the entrywise bound min(ε_comp, l2Bound) at the stop
 * @param converged true exactly when the chosen criterion's bound is at most the tolerance
 * @param reason why it stopped
 */
public record SubspaceIterationResult(Matrix basis, double[] eigenvalues, int iterations, long matrixVectorProducts,
    double l2Bound, double l2ToInfinityBound, boolean converged, StopReason reason) {
  /** Copies. */
  public SubspaceIterationResult {
    Objects.requireNonNull(basis, "basis");
    eigenvalues = eigenvalues.clone();
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  @Override
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }
}
