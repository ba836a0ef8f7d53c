package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link LanczosEigensolver}: k Ritz pairs (θ_i, v_i) of a symmetric A.
 *
 * @param values the Ritz values θ, ascending
 * @param vectors the Ritz vectors, n×k F64 with orthonormal columns, column i belonging to values[i]
 * @param residualNorms ‖A·v_i − θ_i·v_i‖ per pair, recomputed with one block product at the end
 * @param normEstimate ‖A‖ estimated by the largest |Ritz value| of the final tridiagonal matrix;
 *     a pair converged when its residual is at most tolerance·normEstimate
 * @param iterations the Krylov dimension m reached
 * @param matrixVectorProducts products, counted per column: the symmetry test, m Lanczos steps and
 *     the k of the residual check
 * @param converged true exactly when every residual is at most tolerance·normEstimate
 * @param reason {@link StopReason#CONVERGED}, or why it stopped short: {@link StopReason#MAX_ITERATIONS}
 *     (dimension cap) or {@link StopReason#STAGNATED} (the recurrence's residual estimates met the
 *     tolerance but the recomputed residuals did not)
 */
public record LanczosEigensolverResult(double[] values, Matrix vectors, double[] residualNorms, double normEstimate,
    int iterations, long matrixVectorProducts, boolean converged, StopReason reason) {
  /** Copies the arrays and checks that the flag and the reason agree. */
  public LanczosEigensolverResult {
    values = values.clone();
    residualNorms = residualNorms.clone();
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(reason, "reason");
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public double[] residualNorms() {
    return residualNorms.clone();
  }

  /** The largest residual relative to the norm estimate, max_i ‖A·v_i − θ_i·v_i‖/‖A‖. */
  public double maxRelativeResidual() {
    double m = 0;
    for (double r : residualNorms) {
      m = Math.max(m, r == 0 ? 0 : r / normEstimate);
    }
    return m;
  }
}
