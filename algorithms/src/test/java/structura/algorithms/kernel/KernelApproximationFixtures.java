package structura.algorithms.kernel;

import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;

/** Shared point sets and error measures of the kernel-approximation tests (dense references in double). */
final class KernelApproximationFixtures {
  private KernelApproximationFixtures() {}

  /** n points uniform in the ball of radius {@code radius} about the origin in d dimensions. */
  static Matrix ball(int n, int d, double radius, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix p = Matrix.zeros(DType.F64, n, d);
    int i = 0;
    while (i < n) {
      double s = 0;
      double[] v = new double[d];
      for (int t = 0; t < d; t++) {
        v[t] = 2 * rnd.nextDouble() - 1;
        s += v[t] * v[t];
      }
      if (s <= 1) {
        for (int t = 0; t < d; t++) {
          p.set(i, t, radius * v[t]);
        }
        i++;
      }
    }
    return p;
  }

  /** ‖want − got‖_F / ‖want‖_F. */
  static double relativeError(Matrix want, Matrix got) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < want.rows(); i++) {
      for (int j = 0; j < want.cols(); j++) {
        double e = got.get(i, j) - want.get(i, j);
        num += e * e;
        den += want.get(i, j) * want.get(i, j);
      }
    }
    return Math.sqrt(num / den);
  }

  /** Seeded Gaussian n×k block. */
  static Matrix gaussian(int n, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix v = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        v.set(i, j, rnd.nextGaussian());
      }
    }
    return v;
  }

  /** Relative Frobenius error of an approximation of the dense K. */
  static double operatorError(Matrix dense, LinearOperator approx) {
    return relativeError(dense, approx.toDense());
  }

  /** F·Fᵀ. */
  static Matrix gram(Matrix f) {
    return Compute.reference().multiply(Transpose.N, f, Transpose.T, f);
  }
}
