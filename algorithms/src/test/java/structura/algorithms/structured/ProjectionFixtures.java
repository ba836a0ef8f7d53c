package structura.algorithms.structured;

import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/** Seeded random matrices and dense distances for the projection tests. */
final class ProjectionFixtures {
  private ProjectionFixtures() {}

  static Matrix random(DType dtype, int rows, int cols, SplittableRandom rnd) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextGaussian());
      }
    }
    return m;
  }

  /** ‖A − W‖_F with W applied to the identity column by column (another route than toDense). */
  static double distance(Matrix a, LinearOperator w) {
    double s = 0;
    for (int j = 0; j < a.cols(); j++) {
      Matrix e = Matrix.zeros(w.dtype(), a.cols(), 1);
      e.set(j, 0, 1);
      Matrix col = w.apply(e);
      for (int i = 0; i < a.rows(); i++) {
        double d = a.get(i, j) - col.get(i, 0);
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }

  static double norm(Matrix a) {
    double s = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        s += a.get(i, j) * a.get(i, j);
      }
    }
    return Math.sqrt(s);
  }

  /** sqrt(Σ_{k ≥ from} σ_k²). */
  static double tail(double[] sigma, int from) {
    double s = 0;
    for (int k = from; k < sigma.length; k++) {
      s += sigma[k] * sigma[k];
    }
    return Math.sqrt(s);
  }
}
