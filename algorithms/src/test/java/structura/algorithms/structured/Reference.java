package structura.algorithms.structured;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import structura.api.Matrix;

/**
 * The independent route: each facade function computed from the dense F64 matrix with EJML
 * calls the facade does not use (general solve, determinant, eigen decompositions), so the
 * comparison checks the structured algebra against plain dense linear algebra.
 */
final class Reference {
  private Reference() {}

  static Matrix solve(Matrix a, Matrix b) {
    DMatrixRMaj x = new DMatrixRMaj(b.rows(), b.cols());
    if (!CommonOps_DDRM.solve(StructuredZoo.ejml(a), StructuredZoo.ejml(b), x)) {
      throw new AssertionError("EJML could not solve the reference system");
    }
    return StructuredZoo.of(x);
  }

  static double det(Matrix a) {
    return CommonOps_DDRM.det(StructuredZoo.ejml(a));
  }

  static double cond(Matrix a) {
    return NormOps_DDRM.conditionP2(StructuredZoo.ejml(a));
  }

  /** Eigenvalues and vectors of symmetric a, ascending; vectors as columns. */
  static double[] symmetricEigenvalues(Matrix a) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.rows(), false, true);
    eig.decompose(StructuredZoo.ejml(a).copy());
    double[] v = new double[a.rows()];
    for (int i = 0; i < v.length; i++) {
      v[i] = eig.getEigenvalue(i).real;
    }
    Arrays.sort(v);
    return v;
  }

  static double[][] eigenvalues(Matrix a) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.rows(), false, false);
    eig.decompose(StructuredZoo.ejml(a).copy());
    double[][] out = new double[2][a.rows()];
    for (int i = 0; i < a.rows(); i++) {
      Complex_F64 c = eig.getEigenvalue(i);
      out[0][i] = c.real;
      out[1][i] = c.imaginary;
    }
    return out;
  }

  /** f(A) = V f(Λ) Vᵀ from EJML's symmetric eigendecomposition. */
  static Matrix function(Matrix a, DoubleUnaryOperator f) {
    int n = a.rows();
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    eig.decompose(StructuredZoo.ejml(a).copy());
    DMatrixRMaj out = new DMatrixRMaj(n, n);
    for (int k = 0; k < n; k++) {
      double fl = f.applyAsDouble(eig.getEigenvalue(k).real);
      DMatrixRMaj v = eig.getEigenVector(k);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          out.add(i, j, fl * v.get(i) * v.get(j));
        }
      }
    }
    return StructuredZoo.of(out);
  }

  static boolean symmetric(Matrix a) {
    double max = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        max = Math.max(max, Math.abs(a.get(i, j)));
      }
    }
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(a.get(i, j) - a.get(j, i)) > 1e-12 * max) {
          return false;
        }
      }
    }
    return true;
  }

  static double relative(Matrix actual, Matrix expected) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double d = actual.get(i, j) - expected.get(i, j);
        num += d * d;
        den += expected.get(i, j) * expected.get(i, j);
      }
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), Double.MIN_NORMAL);
  }
}
