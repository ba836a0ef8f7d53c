package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of an iterative linear solve A·X = B for a block of k right-hand sides.
 *
 * @param solution X, n×k, F64
 * @param iterations iterations done (the largest over the columns)
 * @param matrixVectorProducts operator products counted per column (a block product with k
 *     columns counts k), including the final residual check and any preconditioner set-up the
 *     solver did itself
 * @param residualNorms per column, ‖b_j − A·x_j‖/‖b_j‖ recomputed from the operator at the end
 *     (0 for a zero column)
 * @param residualHistory the largest relative residual over the columns after each iteration, as
 *     tracked by the method's recurrence (index 0 = initial guess)
 * @param converged true exactly when every column's recomputed relative residual is at most the
 *     tolerance
 * @param reason why the method stopped
 */
public record SolveResult(Matrix solution, int iterations, long matrixVectorProducts, double[] residualNorms,
    double[] residualHistory, boolean converged, StopReason reason) {
  /** Copies the arrays. */
  public SolveResult {
    Objects.requireNonNull(solution, "solution");
    Objects.requireNonNull(reason, "reason");
    residualNorms = residualNorms.clone();
    residualHistory = residualHistory.clone();
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  /** A copy of the per-column relative residuals. */
  @Override
  public double[] residualNorms() {
    return residualNorms.clone();
  }

  /** A copy of the residual history. */
  @Override
  public double[] residualHistory() {
    return residualHistory.clone();
  }

  /** The largest per-column relative residual. */
  public double maxResidual() {
    double m = 0;
    for (double r : residualNorms) {
      m = Math.max(m, r);
    }
    return m;
  }
}
