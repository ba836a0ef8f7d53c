package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.Operators;

/** Van Loan–Pitsianis: exact on planted products, optimal (Eckart–Young on the rearrangement) otherwise. */
class KroneckerProjectionTest {
  private final SplittableRandom rnd = new SplittableRandom(3);
  private final KroneckerProjection projection = new KroneckerProjection(Compute.reference(), ProjectionOptions.defaults());

  @Test
  void plantedKroneckerProductIsRecovered() {
    Matrix b = ProjectionFixtures.random(DType.F64, 3, 4, rnd);
    Matrix c = ProjectionFixtures.random(DType.F64, 5, 2, rnd);
    Matrix a = Operators.kronecker(Operators.denseOnReference(b), Operators.denseOnReference(c)).toDense();
    StructureProjection p = projection.project(a, 3, 4, 1);
    assertInstanceOf(KroneckerOperator.class, p.operator());
    assertTrue(p.relativeError() < 1e-12, "relative error " + p.relativeError());
  }

  @Test
  void errorIsOptimalAndEqualsTheMeasuredDistance() {
    Matrix a = ProjectionFixtures.random(DType.F64, 12, 15, rnd);
    double[] sigma = LowRankProjectionTest.singularValues(rearrangement(a, 4, 3));
    for (int terms : new int[] {1, 2, 3}) {
      StructureProjection p = projection.project(a, 4, 3, terms);
      assertEquals(ProjectionFixtures.tail(sigma, terms), p.frobeniusError(), 1e-10);
      assertEquals(ProjectionFixtures.distance(a, p.operator()), p.frobeniusError(), 1e-10);
    }
  }

  @Test
  void plantedSumOfTwoProductsNeedsTwoTerms() {
    Matrix a = Operators.sum(
        Operators.kronecker(Operators.denseOnReference(ProjectionFixtures.random(DType.F64, 2, 3, rnd)),
            Operators.denseOnReference(ProjectionFixtures.random(DType.F64, 4, 4, rnd))),
        Operators.kronecker(Operators.denseOnReference(ProjectionFixtures.random(DType.F64, 2, 3, rnd)),
            Operators.denseOnReference(ProjectionFixtures.random(DType.F64, 4, 4, rnd)))).toDense();
    assertTrue(projection.project(a, 2, 3, 1).relativeError() > 1e-3);
    assertTrue(projection.project(a, 2, 3, 2).relativeError() < 1e-12);
  }

  @Test
  void factorShapeThatDoesNotDivideIsCoded() {
    Matrix a = ProjectionFixtures.random(DType.F64, 6, 6, rnd);
    assertEquals(ErrorCode.DIMENSION_MISMATCH,
        assertThrows(InvalidArgumentException.class, () -> projection.project(a, 4, 3, 1)).code());
  }

  /** Written out here, independent of the class under test: row i·n1 + j is vec(A_ij). */
  private static Matrix rearrangement(Matrix a, int m1, int n1) {
    int m2 = a.rows() / m1;
    int n2 = a.cols() / n1;
    Matrix r = Matrix.zeros(DType.F64, m1 * n1, m2 * n2);
    for (int row = 0; row < a.rows(); row++) {
      for (int col = 0; col < a.cols(); col++) {
        r.set((row / m2) * n1 + col / n2, (row % m2) * n2 + col % n2, a.get(row, col));
      }
    }
    return r;
  }
}
