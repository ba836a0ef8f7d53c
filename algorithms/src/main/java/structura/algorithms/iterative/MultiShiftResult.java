package structura.algorithms.iterative;

import java.util.List;
import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link MultiShiftMinres}: X_q with (A + σ_q I)·X_q ≈ B for every shift.
 *
 * @param solutions X_q (n×k, F64) in the order of the shifts
 * @param iterations Lanczos steps (shared by all shifts)
 * @param matrixVectorProducts products counted per column, including the symmetry test and the
 *     final residual check (k per shift)
 * @param residualNorms [q][j]: ‖b_j − (A + σ_q I)x_{qj}‖/‖b_j‖ recomputed at the end
 * @param converged true exactly when every recomputed residual is at most the tolerance
 * @param reason why it stopped
 */
public record MultiShiftResult(List<Matrix> solutions, int iterations, long matrixVectorProducts,
    double[][] residualNorms, boolean converged, StopReason reason) {
  /** Copies. */
  public MultiShiftResult {
    solutions = List.copyOf(solutions);
    residualNorms = copy(Objects.requireNonNull(residualNorms, "residualNorms"));
    if (converged != (reason == StopReason.CONVERGED)) {
      throw new IllegalArgumentException("converged must agree with reason " + reason);
    }
  }

  @Override
  public double[][] residualNorms() {
    return copy(residualNorms);
  }

  /** The largest recomputed relative residual over shifts and columns. */
  public double maxResidual() {
    double m = 0;
    for (double[] row : residualNorms) {
      m = Math.max(m, Blocks.max(row));
    }
    return m;
  }

  private static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
