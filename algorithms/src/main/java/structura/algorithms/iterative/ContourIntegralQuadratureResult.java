package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link ContourIntegralQuadrature}.
 *
 * @param solution A^{-1/2}·B or A^{1/2}·B (n×k, F64)
 * @param lambdaMin the lower end of the interval the rule was built for
 * @param lambdaMax the upper end
 * @param quadrature the shifts and weights used
 * @param quadratureError max over a log-spaced grid of [λ_min, λ_max] of the rule's relative error
 *     |Σ ω_q/(λ + σ_q) − λ^{-1/2}|·λ^{1/2}
 * @param minres the shifted solves (iterations, residuals)
 * @param krylovProducts products of the method proper: Lanczos bounds, MINRES steps and, for
 *     A^{1/2}, the final product (counted per column); the paper's count
 * @param matrixVectorProducts all products including the symmetry test and the recomputed residuals
 * @param converged true exactly when every shifted solve met its tolerance and the quadrature error
 *     is at most that tolerance
 * @param reason why it stopped
 */
public record ContourIntegralQuadratureResult(Matrix solution, double lambdaMin, double lambdaMax,
    ContourQuadrature quadrature, double quadratureError, MultiShiftResult minres, long krylovProducts,
    long matrixVectorProducts, boolean converged, StopReason reason) {
  /** Checks. */
  public ContourIntegralQuadratureResult {
    Objects.requireNonNull(solution, "solution");
    Objects.requireNonNull(quadrature, "quadrature");
    Objects.requireNonNull(minres, "minres");
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }
}
