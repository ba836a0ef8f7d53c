package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/** BTT by sequential SVDs: exact on planted BTTs of 2 and 3 cores; optimal for 2 cores; measured error. */
class BlockTensorTrainProjectionTest {
  private final SplittableRandom rnd = new SplittableRandom(5);
  private final BlockTensorTrainProjection projection = new BlockTensorTrainProjection(Compute.reference());

  @Test
  void plantedBttsAreRecovered() {
    int[][][] cases = {
        {{4, 3}, {2, 5}, {1, 2, 1}},
        {{3, 4}, {4, 3}, {1, 1, 1}},
        {{2, 3, 2}, {3, 2, 2}, {1, 2, 2, 1}},
        {{2, 2, 2, 2}, {2, 2, 2, 2}, {1, 2, 3, 2, 1}}};
    for (int[][] c : cases) {
      Matrix a = planted(c[0], c[1], c[2]).toDense();
      StructureProjection p = projection.project(a, c[0], c[1], c[2]);
      assertTrue(p.relativeError() < 1e-12, java.util.Arrays.deepToString(c) + ": relative error " + p.relativeError());
    }
  }

  @Test
  void twoCoreProjectionIsTheBlockwiseOptimum() {
    // two cores: block (i_1, j_2) of A (rows i_2, columns j_1) is a free rank-r_1 matrix
    int[] m = {5, 3};
    int[] n = {2, 6};
    int rank = 2;
    Matrix a = ProjectionFixtures.random(DType.F64, 12, 15, rnd);
    StructureProjection p = projection.project(a, m, n, new int[] {1, rank, 1});
    double optimum = 0;
    for (int i1 = 0; i1 < n[0]; i1++) {
      for (int j2 = 0; j2 < m[1]; j2++) {
        Matrix block = Matrix.zeros(DType.F64, n[1], m[0]);
        for (int i2 = 0; i2 < n[1]; i2++) {
          for (int j1 = 0; j1 < m[0]; j1++) {
            block.set(i2, j1, a.get(i1 + n[0] * i2, j1 + m[0] * j2));
          }
        }
        double t = ProjectionFixtures.tail(LowRankProjectionTest.singularValues(block), rank);
        optimum += t * t;
      }
    }
    assertEquals(Math.sqrt(optimum), p.frobeniusError(), 1e-10);
    assertEquals(ProjectionFixtures.distance(a, p.operator()), p.frobeniusError(), 1e-10);
  }

  @Test
  void threeCoreErrorIsTheMeasuredDistanceAndDropsWithRank() {
    Matrix a = ProjectionFixtures.random(DType.F64, 12, 12, rnd);
    int[] m = {2, 3, 2};
    int[] n = {3, 2, 2};
    StructureProjection low = projection.project(a, m, n, new int[] {1, 1, 1, 1});
    StructureProjection high = projection.project(a, m, n, new int[] {1, 2, 4, 1});
    assertEquals(ProjectionFixtures.distance(a, low.operator()), low.frobeniusError(), 1e-10);
    assertEquals(ProjectionFixtures.distance(a, high.operator()), high.frobeniusError(), 1e-10);
    assertTrue(high.frobeniusError() < low.frobeniusError());
  }

  @Test
  void f32PlantedBttIsRecoveredToSinglePrecision() {
    int[] m = {4, 4};
    int[] n = {4, 4};
    int[] r = {1, 3, 1};
    Matrix a = planted(m, n, r).toDense().toDType(DType.F32);
    StructureProjection p = projection.project(a, m, n, r);
    assertEquals(DType.F32, p.operator().dtype());
    assertTrue(p.relativeError() < 1e-5, "relative error " + p.relativeError());
  }

  @Test
  void dimensionsThatDoNotMatchAreCoded() {
    Matrix a = ProjectionFixtures.random(DType.F64, 6, 6, rnd);
    assertEquals(ErrorCode.DIMENSION_MISMATCH, assertThrows(InvalidArgumentException.class,
        () -> projection.project(a, new int[] {2, 2}, new int[] {2, 3}, new int[] {1, 1, 1})).code());
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(InvalidArgumentException.class,
        () -> projection.project(a, new int[] {2, 3}, new int[] {2, 3}, new int[] {1, 1})).code());
  }

  private LinearOperator planted(int[] m, int[] n, int[] r) {
    List<Matrix> cores = new ArrayList<>();
    for (int t = 0; t < m.length; t++) {
      int blocks = 1;
      for (int s = t + 1; s < m.length; s++) {
        blocks *= m[s];
      }
      for (int s = 0; s < t; s++) {
        blocks *= n[s];
      }
      cores.add(ProjectionFixtures.random(DType.F64, blocks * r[t + 1] * n[t], m[t] * r[t], rnd));
    }
    return Operators.blockTensorTrain(m, n, r, cores, Compute.reference());
  }
}
