package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.Operators;

/**
 * Monarch projection for square and rectangular matrices and any block counts (fly issue #10):
 * exact on planted Monarch matrices, optimal (block-wise Eckart–Young) otherwise.
 */
class MonarchProjectionTest {
  private final SplittableRandom rnd = new SplittableRandom(4);
  private final MonarchProjection projection = new MonarchProjection(Compute.reference());

  @Test
  void plantedMonarchMatricesAreRecovered() {
    // {rows, cols, k, l, q}: square √n blocks, rectangular with unequal block counts, general q
    int[][] shapes = {{16, 16, 4, 4, 4}, {15, 8, 4, 3, 3}, {10, 6, 3, 2, 4}, {12, 20, 5, 2, 2}};
    for (int[] sh : shapes) {
      int k = sh[2];
      int l = sh[3];
      int q = sh[4];
      int p = sh[1] / k;
      int s = sh[0] / l;
      int r = k * q / l;
      Matrix right = ProjectionFixtures.random(DType.F64, k * q, p, rnd);
      Matrix left = ProjectionFixtures.random(DType.F64, l * s, r, rnd);
      Matrix a = Operators.monarch(right, k, left, l, Compute.reference()).toDense();
      StructureProjection proj = projection.project(a, k, l, q);
      assertTrue(proj.relativeError() < 1e-12, java.util.Arrays.toString(sh) + ": relative error " + proj.relativeError());
      assertEquals(sh[0], proj.operator().rows());
      assertEquals(sh[1], proj.operator().cols());
    }
  }

  @Test
  void errorIsTheSumOfBlockTailsAndTheMeasuredDistance() {
    // rank-1 layout q = l, r = k: the optimum is Σ over the k·l blocks of their rank-1 tails
    Matrix a = ProjectionFixtures.random(DType.F64, 12, 15, rnd);
    int k = 5;
    int l = 3;
    StructureProjection p = projection.project(a, k, l);
    int s = 12 / l;
    int pw = 15 / k;
    double optimum = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < l; j++) {
        Matrix block = Matrix.zeros(DType.F64, s, pw);
        for (int sigma = 0; sigma < s; sigma++) {
          for (int c = 0; c < pw; c++) {
            block.set(sigma, c, a.get(sigma * l + j, i * pw + c));
          }
        }
        double t = ProjectionFixtures.tail(LowRankProjectionTest.singularValues(block), 1);
        optimum += t * t;
      }
    }
    assertEquals(Math.sqrt(optimum), p.frobeniusError(), 1e-10);
    assertEquals(ProjectionFixtures.distance(a, p.operator()), p.frobeniusError(), 1e-10);
  }

  @Test
  void projectionIsNoWorseThanAPerturbedOptimum() {
    Matrix a = ProjectionFixtures.random(DType.F64, 8, 8, rnd);
    StructureProjection p = projection.project(a, 2, 2);
    structura.api.operator.MonarchOperator m = (structura.api.operator.MonarchOperator) p.operator();
    Matrix right = m.right().copy();
    right.set(1, 1, right.get(1, 1) + 1e-3);
    double perturbed = ProjectionFixtures.distance(a, Operators.monarch(right, 2, m.left(), 2, Compute.reference()));
    assertTrue(perturbed > p.frobeniusError(), perturbed + " <= " + p.frobeniusError());
  }

  @Test
  void f32ProjectionIsExactToSinglePrecision() {
    Matrix right = ProjectionFixtures.random(DType.F32, 12, 3, rnd);
    Matrix left = ProjectionFixtures.random(DType.F32, 8, 3, rnd);
    Matrix a = Operators.monarch(right, 3, left, 4, Compute.reference()).toDense();
    StructureProjection p = projection.project(a, 3, 4, 4);
    assertEquals(DType.F32, p.operator().dtype());
    assertTrue(p.relativeError() < 1e-5, "relative error " + p.relativeError());
  }

  @Test
  void blockCountsThatDoNotDivideAreCoded() {
    Matrix a = ProjectionFixtures.random(DType.F64, 6, 6, rnd);
    assertEquals(ErrorCode.DIMENSION_MISMATCH, assertThrows(InvalidArgumentException.class, () -> projection.project(a, 4, 2)).code());
  }
}
