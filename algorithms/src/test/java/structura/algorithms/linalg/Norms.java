package structura.algorithms.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import structura.api.DType;
import structura.api.Matrix;

/** Test-side norms computed independently of the code under test (plain loops and EJML). */
final class Norms {
  private Norms() {}

  static double[][] toArray(Matrix a) {
    double[][] out = new double[a.rows()][a.cols()];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        out[i][j] = a.get(i, j);
      }
    }
    return out;
  }

  static double frobenius(Matrix a) {
    double s = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        double v = a.get(i, j);
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }

  /** a − b in F64. */
  static Matrix minus(Matrix a, Matrix b) {
    Matrix d = Matrix.zeros(DType.F64, a.rows(), a.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        d.set(i, j, a.get(i, j) - b.get(i, j));
      }
    }
    return d;
  }

  /** Plain triple-loop product in double. */
  static Matrix times(Matrix a, Matrix b) {
    Matrix c = Matrix.zeros(DType.F64, a.rows(), b.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int p = 0; p < a.cols(); p++) {
        double v = a.get(i, p);
        for (int j = 0; j < b.cols(); j++) {
          c.f64()[i * b.cols() + j] += v * b.get(p, j);
        }
      }
    }
    return c;
  }

  static Matrix transpose(Matrix a) {
    return a.toDType(DType.F64).transposeCopy();
  }

  /** Spectral norm via EJML's SVD. */
  static double spectral(Matrix a) {
    double[] s = singularValues(a);
    return s.length == 0 ? 0 : s[0];
  }

  static double[] singularValues(Matrix a) {
    DMatrixRMaj m = new DMatrixRMaj(toArray(a));
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.rows(), a.cols(), false, false, true);
    if (!svd.decompose(m)) {
      throw new IllegalStateException("EJML SVD failed in a test helper");
    }
    double[] s = svd.getSingularValues().clone();
    java.util.Arrays.sort(s);
    for (int i = 0; i < s.length / 2; i++) {
      double t = s[i];
      s[i] = s[s.length - 1 - i];
      s[s.length - 1 - i] = t;
    }
    return s;
  }

  /** ‖QᵀQ − I‖_max. */
  static double orthogonalityError(Matrix q) {
    Matrix g = times(transpose(q), q);
    double e = 0;
    for (int i = 0; i < g.rows(); i++) {
      for (int j = 0; j < g.cols(); j++) {
        e = Math.max(e, Math.abs(g.get(i, j) - (i == j ? 1 : 0)));
      }
    }
    return e;
  }

  static double maxAbs(Matrix a) {
    double e = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        e = Math.max(e, Math.abs(a.get(i, j)));
      }
    }
    return e;
  }

  /** A(:, cols). */
  static Matrix columns(Matrix a, int[] cols) {
    Matrix out = Matrix.zeros(DType.F64, a.rows(), cols.length);
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < cols.length; j++) {
        out.set(i, j, a.get(i, cols[j]));
      }
    }
    return out;
  }
}
