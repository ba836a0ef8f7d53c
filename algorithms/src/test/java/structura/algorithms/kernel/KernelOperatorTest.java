package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;
import structura.api.operator.Structure;

/** The lazy kernel operator against the dense kernel matrix (built entry by entry, multiplied by EJML). */
class KernelOperatorTest {

  static Matrix points(DType dtype, int n, int d, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix p = Matrix.zeros(dtype, n, d);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        p.set(i, t, rnd.nextGaussian());
      }
    }
    return p;
  }

  static DMatrixRMaj ejml(Matrix m) {
    DMatrixRMaj out = new DMatrixRMaj(m.rows(), m.cols());
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out.set(i, j, m.get(i, j));
      }
    }
    return out;
  }

  static double relativeError(DMatrixRMaj want, Matrix got) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < want.numRows; i++) {
      for (int j = 0; j < want.numCols; j++) {
        double e = got.get(i, j) - want.get(i, j);
        num += e * e;
        den += want.get(i, j) * want.get(i, j);
      }
    }
    return Math.sqrt(num / den);
  }

  @ParameterizedTest
  @CsvSource({"GAUSSIAN, F64, 2000, 3, 1e-13", "MATERN_52, F64, 2000, 2, 1e-13", "LAPLACE, F64, 1500, 3, 1e-13",
      "CAUCHY, F64, 999, 5, 1e-13", "GAUSSIAN, F32, 2000, 3, 1e-5", "MATERN_32, F32, 1200, 4, 1e-5"})
  void symmetricOperatorMatchesTheDenseMatrix(Kind kind, DType dtype, int n, int d, double tol) {
    KernelFunction k = KernelFunction.isotropic(kind, 0.8, 1.3);
    Matrix x = points(dtype, n, d, 7 + n);
    KernelOperator op = KernelOperator.symmetric(k, x, Compute.reference());
    Matrix v = points(dtype, n, 3, 99);
    DMatrixRMaj dense = ejml(k.matrix(x, x, DType.F64));
    DMatrixRMaj want = new DMatrixRMaj(n, 3);
    CommonOps_DDRM.mult(dense, ejml(v), want);
    double err = relativeError(want, op.apply(v));
    assertTrue(err <= tol, kind + " " + dtype + " relative error " + err);
    assertEquals(n, op.rows());
    assertTrue(op.is(Structure.SYMMETRIC));
    assertEquals(kind != Kind.LAPLACE, op.is(Structure.PSD));
    assertEquals(op, op.transpose());
  }

  @Test
  void crossOperatorAndItsTransposeMatchTheDenseMatrix() {
    KernelFunction k = KernelFunction.ard(Kind.MATERN_32, new double[] {0.5, 1.5, 1.0}, 2.0);
    Matrix x = points(DType.F64, 300, 3, 1);
    Matrix y = points(DType.F64, 170, 3, 2);
    KernelOperator op = KernelOperator.cross(k, x, y, Compute.reference());
    assertEquals(300, op.rows());
    assertEquals(170, op.cols());
    assertTrue(op.structure().isEmpty());
    DMatrixRMaj dense = ejml(k.matrix(x, y, DType.F64));
    Matrix v = points(DType.F64, 170, 2, 3);
    DMatrixRMaj want = new DMatrixRMaj(300, 2);
    CommonOps_DDRM.mult(dense, ejml(v), want);
    assertTrue(relativeError(want, op.apply(v)) < 1e-13);
    Matrix w = points(DType.F64, 300, 4, 4);
    DMatrixRMaj wantT = new DMatrixRMaj(170, 4);
    CommonOps_DDRM.multTransA(dense, ejml(w), wantT);
    assertTrue(relativeError(wantT, op.applyTranspose(w)) < 1e-13);
    assertTrue(relativeError(wantT, op.transpose().apply(w)) < 1e-13);
    assertTrue(relativeError(dense, op.toDense()) < 1e-15);
  }

  @Test
  void badPointsAndInputsGetCodedErrors() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 1, 1);
    Matrix x = points(DType.F64, 10, 2, 5);
    x.set(7, 1, Double.NaN);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> KernelOperator.symmetric(k, x, Compute.reference()));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("row 7"), e.getMessage());
    Matrix ok = points(DType.F64, 10, 2, 5);
    assertThrows(InvalidArgumentException.class, () -> KernelOperator.cross(k, ok, points(DType.F64, 4, 3, 6), Compute.reference()));
    KernelOperator op = KernelOperator.symmetric(k, ok, Compute.reference());
    assertThrows(InvalidArgumentException.class, () -> op.apply(Matrix.zeros(DType.F64, 9, 1)));
    assertThrows(InvalidArgumentException.class, () -> op.apply(Matrix.zeros(DType.F32, 10, 1)));
    assertThrows(InvalidArgumentException.class, () -> KernelOperator.symmetric(k, Matrix.zeros(DType.F64, 4, 0), Compute.reference()));
    assertFalse(op.apply(Matrix.zeros(DType.F64, 10, 0)).rows() != 10);
  }
}
