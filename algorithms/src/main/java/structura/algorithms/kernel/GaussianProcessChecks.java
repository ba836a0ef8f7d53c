package structura.algorithms.kernel;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * The argument checks shared by the Gaussian-process models (dense, iterative, feature-space and
 * the marginal-likelihood fit), so that they reject the same inputs with the same codes.
 */
final class GaussianProcessChecks {
  private GaussianProcessChecks() {}

  /**
   * Validates one finite target per training point and returns the prior mean μ: their average
   * when {@code centre}, else 0.
   */
  static double priorMean(Matrix points, double[] targets, boolean centre) {
    Objects.requireNonNull(points, "points");
    Objects.requireNonNull(targets, "targets");
    if (targets.length != points.rows()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "Gaussian process: " + points.rows() + " training points but " + targets.length + " targets.", "Pass one target per point.");
    }
    double mu = 0;
    for (int i = 0; i < targets.length; i++) {
      if (!Double.isFinite(targets[i])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "Gaussian process: target " + i + " is " + targets[i] + ".",
            "Drop or impute non-finite targets.");
      }
      mu += targets[i];
    }
    return centre && targets.length > 0 ? mu / targets.length : 0;
  }

  /** Validates a noise variance σ² &gt; 0, which the CG-based models need (K + σ²I positive definite). */
  static void positiveNoise(double noise) {
    if (!(noise > 0) || Double.isInfinite(noise)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "Iterative Gaussian process: noise variance is " + noise + "; conjugate gradients need K + σ²I positive definite, and "
              + "without noise duplicated or nearly coincident points make K singular.",
          "Pass a noise variance > 0 (e.g. 1e-6 times the kernel variance or more, about the squared measurement error).");
    }
  }

  /** The test points in F64, after checking their dimension against the training points'. */
  static Matrix testPoints(Matrix train, Matrix test) {
    Objects.requireNonNull(test, "test");
    if (test.cols() != train.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "Gaussian process: the test points have dimension " + test.cols() + " but the training points " + train.cols() + ".",
          "Pass test points with the same coordinates (columns) as the training points.");
    }
    return test.toDType(DType.F64);
  }
}
