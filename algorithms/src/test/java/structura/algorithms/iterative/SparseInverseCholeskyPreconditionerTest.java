package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * The sparse inverse-Cholesky factor against dense EJML references: with every earlier index in
 * each set it is exact (P = A: P⁻¹A = I, P·P⁻¹ = I, log|P| = log|A|); with a few nearest earlier
 * points it is symmetric positive definite, cuts the condition number of a Matérn kernel system,
 * and CG with it reaches the Cholesky solution in far fewer iterations than without.
 */
class SparseInverseCholeskyPreconditionerTest {
  private static final int N = 300;

  private static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** For each index, the m earlier (in {@code order}) indices nearest to it. */
  private static int[][] nearestEarlier(double[][] x, int[] order, int m) {
    int[][] sets = new int[order.length][];
    for (int t = 0; t < order.length; t++) {
      int i = order[t];
      Integer[] earlier = new Integer[t];
      for (int q = 0; q < t; q++) {
        earlier[q] = order[q];
      }
      java.util.Arrays.sort(earlier, java.util.Comparator.comparingDouble(j -> dist2(x[i], x[j])));
      sets[i] = new int[Math.min(m, t)];
      for (int q = 0; q < sets[i].length; q++) {
        sets[i][q] = earlier[q];
      }
    }
    return sets;
  }

  private static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int t = 0; t < a.length; t++) {
      s += (a[t] - b[t]) * (a[t] - b[t]);
    }
    return s;
  }

  private static Matrix system(double[][] x, double lengthscale, double noise) {
    return Dense.plusDiagonal(Dense.matern52(x, lengthscale), noise);
  }

  @Test
  void everyEarlierIndexGivesTheExactInverse() {
    double[][] x = Dense.points(N, 2, 3);
    Matrix a = system(x, 0.3, 1e-3);
    int[] order = shuffled(N, 4);
    int[][] sets = nearestEarlier(x, order, N);
    SparseInverseCholeskyPreconditioner p = SparseInverseCholeskyPreconditioner.of(order, sets, a::get);
    Matrix v = Dense.gaussian(N, 3, 5);
    assertTrue(Dense.relativeError(p.applyInverse(Dense.multiply(a, v)), v) < 1e-8);
    assertTrue(Dense.relativeError(p.operator().apply(v), Dense.multiply(a, v)) < 1e-10);
    assertTrue(Dense.relativeError(p.operator().apply(p.applyInverse(v)), v) < 1e-10);
    assertEquals(Dense.logdet(a), p.logDeterminant(), 1e-8 * Math.abs(Dense.logdet(a)) + 1e-8);
    assertEquals((long) N * (N + 1) / 2, p.nonZeros());
  }

  @Test
  void fewNeighboursAreSymmetricPositiveDefiniteAndCutTheConditionNumber() {
    double[][] x = Dense.points(N, 2, 6);
    Matrix a = system(x, 0.2, 1e-4);
    int[] order = shuffled(N, 7);
    SparseInverseCholeskyPreconditioner p = SparseInverseCholeskyPreconditioner.of(order, nearestEarlier(x, order, 10), a::get);
    Matrix u = p.factor().toDense();
    Matrix pinv = Dense.multiply(u, u.transposeCopy());
    // P⁻¹ from the sparse products equals U·Uᵀ formed densely, and is SPD
    Matrix v = Dense.gaussian(N, 2, 8);
    assertTrue(Dense.relativeError(p.applyInverse(v), Dense.multiply(pinv, v)) < 1e-12);
    double[] pinvSpectrum = Dense.eigenvalues(pinv);
    for (double e : pinvSpectrum) {
      assertTrue(e > 0, "P⁻¹ not positive definite: " + e);
    }
    // log|P| = −log|U·Uᵀ|
    assertEquals(-Dense.logdet(pinv), p.logDeterminant(), 1e-7 * Math.abs(p.logDeterminant()));
    double[] plain = Dense.eigenvalues(a);
    double[] whitened = Dense.eigenvalues(Dense.multiply(u.transposeCopy(), Dense.multiply(a, u)));
    double kappaA = max(plain) / min(plain);
    double kappaW = max(whitened) / min(whitened);
    assertTrue(kappaA > 1e3, "test system too easy: κ(A) = " + kappaA);
    assertTrue(kappaW < kappaA / 100, "κ(UᵀAU) = " + kappaW + " against κ(A) = " + kappaA);
  }

  @Test
  void conjugateGradientWithItReachesTheCholeskySolution() {
    double[][] x = Dense.points(N, 2, 9);
    Matrix a = system(x, 0.2, 1e-4);
    Matrix b = Dense.gaussian(N, 1, 10);
    Matrix exact = Dense.solve(a, b);
    int[] order = shuffled(N, 11);
    SparseInverseCholeskyPreconditioner p = SparseInverseCholeskyPreconditioner.of(order, nearestEarlier(x, order, 15), a::get);
    ConjugateGradientOptions o = ConjugateGradientOptions.defaults().withTolerance(1e-10).withMaxIterations(5000);
    SolveResult with = ConjugateGradient.solve(structura.api.operator.Operators.dense(a, structura.api.backend.Compute.reference()), b, o.withPreconditioner(p));
    SolveResult without = ConjugateGradient.solve(structura.api.operator.Operators.dense(a, structura.api.backend.Compute.reference()), b, o);
    assertTrue(with.converged());
    assertTrue(Dense.relativeError(with.solution(), exact) < 1e-6, "error " + Dense.relativeError(with.solution(), exact));
    assertTrue(with.iterations() * 5 < without.iterations(), with.iterations() + " against " + without.iterations());
  }

  @Test
  void badSetsAndIndefiniteBlocksAreRejected() {
    double[][] x = Dense.points(4, 2, 12);
    Matrix a = system(x, 0.3, 1e-2);
    int[] order = {0, 1, 2, 3};
    assertThrows(InvalidArgumentException.class,
        () -> SparseInverseCholeskyPreconditioner.of(new int[] {0, 1, 1, 3}, new int[][] {{}, {0}, {0}, {0}}, a::get));
    assertThrows(InvalidArgumentException.class,
        () -> SparseInverseCholeskyPreconditioner.of(order, new int[][] {{}, {2}, {0}, {0}}, a::get));  // 2 comes after 1
    assertThrows(InvalidArgumentException.class,
        () -> SparseInverseCholeskyPreconditioner.of(order, new int[][] {{}, {0}, {0, 0}, {0}}, a::get));
    assertThrows(NumericalFailureException.class,
        () -> SparseInverseCholeskyPreconditioner.of(order, new int[][] {{}, {0}, {0, 1}, {0}}, (i, j) -> i == j ? 1 : 2));
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double e : v) {
      m = Math.max(m, e);
    }
    return m;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double e : v) {
      m = Math.min(m, e);
    }
    return m;
  }
}
