package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LowRankOperator;

/** The low-rank projection is the Eckart–Young optimum and reports its true distance. */
class LowRankProjectionTest {
  private final SplittableRandom rnd = new SplittableRandom(2);
  private final LowRankProjection projection = new LowRankProjection(Compute.reference(), ProjectionOptions.defaults());

  @Test
  void errorIsTheEckartYoungTailAndTheMeasuredDistance() {
    Matrix a = ProjectionFixtures.random(DType.F64, 30, 20, rnd);
    double[] sigma = singularValues(a);
    for (int rank : new int[] {1, 5, 19}) {
      StructureProjection p = projection.project(a, rank);
      assertInstanceOf(LowRankOperator.class, p.operator());
      assertEquals(ProjectionFixtures.tail(sigma, rank), p.frobeniusError(), 1e-10);
      assertEquals(ProjectionFixtures.distance(a, p.operator()), p.frobeniusError(), 1e-10);
      assertEquals(p.frobeniusError() / ProjectionFixtures.norm(a), p.relativeError(), 1e-14);
    }
  }

  @Test
  void plantedRankIsRecoveredExactly() {
    Matrix a = multiply(ProjectionFixtures.random(DType.F64, 40, 3, rnd), ProjectionFixtures.random(DType.F64, 3, 25, rnd));
    StructureProjection p = projection.project(a, 3);
    assertTrue(p.relativeError() < 1e-12, "relative error " + p.relativeError());
  }

  @Test
  void randomizedPathIsNearOptimalOnDecayingSpectrum() {
    Matrix a = multiply(ProjectionFixtures.random(DType.F64, 60, 8, rnd), ProjectionFixtures.random(DType.F64, 8, 50, rnd));
    Matrix noise = ProjectionFixtures.random(DType.F64, 60, 50, rnd);
    for (int i = 0; i < 60; i++) {
      for (int j = 0; j < 50; j++) {
        a.set(i, j, a.get(i, j) + 1e-3 * noise.get(i, j));
      }
    }
    double optimum = ProjectionFixtures.tail(singularValues(a), 8);
    StructureProjection p = new LowRankProjection(Compute.reference(), new ProjectionOptions(0, 10, 2, 5)).project(a, 8);
    assertTrue(p.frobeniusError() <= 1.01 * optimum, p.frobeniusError() + " vs optimum " + optimum);
    assertEquals(ProjectionFixtures.distance(a, p.operator()), p.frobeniusError(), 1e-10);
  }

  @Test
  void f32InputGivesAnF32OperatorWithinRounding() {
    Matrix a = ProjectionFixtures.random(DType.F32, 24, 16, rnd);
    StructureProjection p = projection.project(a, 4);
    assertEquals(DType.F32, p.operator().dtype());
    assertEquals(ProjectionFixtures.tail(singularValues(a.toDType(DType.F64)), 4), p.frobeniusError(), 1e-4);
  }

  @Test
  void badRankAndNonFiniteInputAreCoded() {
    Matrix a = ProjectionFixtures.random(DType.F64, 5, 4, rnd);
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(InvalidArgumentException.class, () -> projection.project(a, 5)).code());
    a.set(2, 3, Double.NaN);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> projection.project(a, 1));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
  }

  /** Singular values straight from EJML, descending. */
  static double[] singularValues(Matrix a) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.rows(), a.cols(), false, false, true);
    svd.decompose(new DMatrixRMaj(a.rows(), a.cols(), true, a.copy().f64()));
    double[] s = svd.getSingularValues().clone();
    SingularOps_DDRM.descendingOrder(null, false, s, svd.numberOfSingularValues(), null, false);
    return java.util.Arrays.copyOf(s, svd.numberOfSingularValues());
  }

  static Matrix multiply(Matrix a, Matrix b) {
    Matrix out = Matrix.zeros(DType.F64, a.rows(), b.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double s = 0;
        for (int p = 0; p < a.cols(); p++) {
          s += a.get(i, p) * b.get(p, j);
        }
        out.set(i, j, s);
      }
    }
    return out;
  }
}
