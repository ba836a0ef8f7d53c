package structura.algorithms.structured;

import structura.algorithms.linalg.RandomizedSvd;
import structura.algorithms.linalg.RandomizedSvdOptions;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.TruncatedSvd;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;

/** Input checks, SVD choice and the measured error shared by the projections. */
final class ProjectionSupport {
  private ProjectionSupport() {}

  /** Rejects null, empty and non-finite input with a coded error naming the method and argument. */
  static void requireFiniteMatrix(String method, String name, Matrix a) {
    if (a == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + ": '" + name + "' is null.", "Pass a matrix.");
    }
    if (a.rows() == 0 || a.cols() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          method + ": '" + name + "' is empty (" + a.rows() + "x" + a.cols() + ").", "Pass a non-empty matrix.");
    }
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        if (!Double.isFinite(a.get(i, j))) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              method + ": '" + name + "' has a non-finite entry " + a.get(i, j) + " at (" + i + ", " + j + ").",
              "Remove NaN and infinite values before projecting.");
        }
      }
    }
  }

  static InvalidArgumentException shape(String method, String detail, String remedy) {
    return new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, method + ": " + detail, remedy);
  }

  /** The leading {@code rank} triplets of the F64 matrix a: exact under the limit, else randomized. */
  static SvdResult leadingSvd(Compute compute, Matrix a, int rank, ProjectionOptions options) {
    int minSide = Math.min(a.rows(), a.cols());
    if (minSide <= options.exactSvdLimit()) {
      return new TruncatedSvd(rank).decompose(a);
    }
    return new RandomizedSvd(compute, new RandomizedSvdOptions(rank, options.oversampling(), options.powerIterations(),
        options.seed())).decompose(a);
  }

  /** ‖A − W‖_F with W's dense form, accumulated in double; and ‖A‖_F. */
  static StructureProjection measured(Matrix a, LinearOperator w) {
    Matrix dense = w.toDense();
    double err = 0;
    double norm = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        double d = a.get(i, j) - dense.get(i, j);
        err += d * d;
        norm += a.get(i, j) * a.get(i, j);
      }
    }
    double e = Math.sqrt(err);
    return new StructureProjection(w, e, norm == 0 ? 0 : e / Math.sqrt(norm));
  }

  /** A compact F64 copy (the projections compute in double and round their factors at the end). */
  static Matrix f64(Matrix a) {
    return a.toDType(DType.F64);
  }
}
