package structura.api.nn;

import structura.api.Matrix;

/**
 * Batch normalisation in inference mode, per channel c (per feature for flat inputs):
 * {@code y = (x − mean_c)/√(var_c + eps)·gamma_c + beta_c} (PyTorch {@code BatchNorm2d} and
 * {@code BatchNorm1d} in eval mode). All parameters are {@code 1 × C} F32 rows.
 *
 * @param gamma scale
 * @param beta shift
 * @param runningMean mean
 * @param runningVar variance, non-negative
 * @param eps added to the variance, positive
 */
public record BatchNorm(Matrix gamma, Matrix beta, Matrix runningMean, Matrix runningVar, double eps) implements Layer {
  /** Validates that the four rows have one length C. */
  public BatchNorm {
    Shapes.require(gamma, "BatchNorm gamma", 1, -1);
    int c = gamma.cols();
    Shapes.require(beta, "BatchNorm beta", 1, c);
    Shapes.require(runningMean, "BatchNorm runningMean", 1, c);
    Shapes.require(runningVar, "BatchNorm runningVar", 1, c);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "BatchNorm eps is " + eps + " but must be positive and finite.", "Pass eps such as 1e-5 (PyTorch's default).");
    }
  }

  /** Channels C. */
  public int channels() {
    return gamma.cols();
  }
}
