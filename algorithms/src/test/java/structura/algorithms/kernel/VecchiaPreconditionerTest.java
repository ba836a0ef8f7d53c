package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import structura.algorithms.iterative.Estimate;
import structura.algorithms.iterative.SparseInverseCholeskyPreconditioner;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;

/**
 * The Vecchia preconditioner on a local kernel with small noise, at N = 2000 against the dense
 * Cholesky GP: the CG posterior mean matches it to 1e-6 in a few dozen iterations where the
 * pivoted-Cholesky preconditioner of rank 100 needs many more; the nearest-neighbour variances
 * bound the exact ones from above and are close; the neighbour search is exact.
 */
class VecchiaPreconditionerTest {
  private final Compute compute = Compute.reference();

  @Test
  void cgGpWithItMatchesTheCholeskyGpAtN2000AndBeatsPivotedCholesky() {
    Object[] train = IterativeGaussianProcessTest.data(2000, 21);
    Matrix x = (Matrix) train[0];
    double[] y = (double[]) train[1];
    Matrix test = (Matrix) IterativeGaussianProcessTest.data(200, 22)[0];
    // ℓ of a few point spacings and σ²/σ_f² = 1e-4: K has most of its eigenvalues above σ².
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.05, 1.0);
    double noise = 1e-4;
    DenseGaussianProcess dense = DenseGaussianProcess.fit(k, x, y, noise, true, compute);
    IterativeGaussianProcessOptions base = IterativeGaussianProcessOptions.defaults().withCgTolerance(1e-10).withMaxIterations(3000);
    IterativeGaussianProcess vecchia = IterativeGaussianProcess.fit(k, x, y, noise, true,
        base.withPreconditioner(IterativeGaussianProcessOptions.PreconditionerKind.VECCHIA).withNeighbours(30), compute);
    assertTrue(vecchia.meanSolve().converged());
    // pivoted Cholesky of rank 100, capped at 4× Vecchia's iterations (uncapped it runs for hundreds)
    int cap = 4 * vecchia.meanSolve().iterations();
    IterativeGaussianProcess pivoted = IterativeGaussianProcess.fit(k, x, y, noise, true, base.withMaxIterations(cap), compute);
    assertTrue(!pivoted.meanSolve().converged(), "pivoted Cholesky converged within " + cap + " iterations");
    assertTrue(vecchia.preconditioner() instanceof SparseInverseCholeskyPreconditioner);
    double[] want = dense.predictMean(test);
    double[] got = vecchia.predictMean(test);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-6, "mean " + i);
    }
  }

  @Test
  void logMarginalLikelihoodThroughTheWhitenedOperatorMatchesTheCholeskyGp() {
    Object[] train = IterativeGaussianProcessTest.data(400, 27);
    Matrix x = (Matrix) train[0];
    double[] y = (double[]) train[1];
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.1, 1.0);
    double noise = 1e-3;
    DenseGaussianProcess dense = DenseGaussianProcess.fit(k, x, y, noise, true, compute);
    Estimate lml = IterativeGaussianProcess.fit(k, x, y, noise, true, IterativeGaussianProcessOptions.defaults()
        .withPreconditioner(IterativeGaussianProcessOptions.PreconditionerKind.VECCHIA).withNeighbours(20), compute)
        .logMarginalLikelihood();
    assertEquals(dense.logMarginalLikelihood(), lml.estimate(), 4 * lml.standardError() + 1e-3 * Math.abs(dense.logMarginalLikelihood()));
  }

  @Test
  void nearestNeighbourVariancesBoundTheExactOnesFromAboveAndAreClose() {
    Object[] train = IterativeGaussianProcessTest.data(2000, 23);
    Matrix x = (Matrix) train[0];
    double[] y = (double[]) train[1];
    Matrix test = (Matrix) IterativeGaussianProcessTest.data(200, 24)[0];
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.05, 1.0);
    double noise = 1e-3;
    double[] exact = DenseGaussianProcess.fit(k, x, y, noise, true, compute).predictVariance(test);
    IterativeGaussianProcessOptions o = IterativeGaussianProcessOptions.defaults()
        .withPreconditioner(IterativeGaussianProcessOptions.PreconditionerKind.VECCHIA).withNeighbours(40)
        .withVarianceMethod(IterativeGaussianProcessOptions.VarianceMethod.NEAREST);
    double[] near = IterativeGaussianProcess.fit(k, x, y, noise, true, o, compute).predictVariance(test);
    double worst = 0;
    for (int i = 0; i < exact.length; i++) {
      assertTrue(near[i] >= exact[i] * (1 - 1e-9), "variance " + i + ": " + near[i] + " below the exact " + exact[i]);
      worst = Math.max(worst, near[i] / exact[i] - 1);
    }
    assertTrue(worst < 0.05, "nearest-neighbour variances within 5% of the exact ones: worst " + worst);
  }

  @Test
  void neighbourSearchIsExactAndOnlyLooksBackward() {
    Object[] data = IterativeGaussianProcessTest.data(500, 25);
    Matrix x = (Matrix) data[0];
    double[] pts = x.copy().f64();
    PreviousNeighbours nb = PreviousNeighbours.find(pts, 500, 2, 7, 26);
    int[] order = nb.order();
    int[] rank = new int[500];
    for (int t = 0; t < 500; t++) {
      rank[order[t]] = t;
    }
    for (int t : new int[] {0, 3, 7, 8, 100, 499}) {
      int i = order[t];
      Integer[] earlier = new Integer[t];
      for (int q = 0; q < t; q++) {
        earlier[q] = order[q];
      }
      Arrays.sort(earlier, Comparator.comparingDouble(j -> d2(pts, i, j)));
      int[] got = nb.sets()[i].clone();
      assertEquals(Math.min(7, t), got.length);
      Arrays.sort(got);
      int[] want = new int[got.length];
      for (int q = 0; q < want.length; q++) {
        want[q] = earlier[q];
      }
      Arrays.sort(want);
      assertTrue(Arrays.equals(want, got), "point " + i);
      for (int j : got) {
        assertTrue(rank[j] < t);
      }
    }
    assertThrows(InvalidArgumentException.class,
        () -> VecchiaPreconditioner.of(KernelFunction.isotropic(Kind.MATERN_52, 0.1, 1), x, 0.01, 0, 1));
    assertThrows(InvalidArgumentException.class,
        () -> VecchiaPreconditioner.of(KernelFunction.isotropic(Kind.MATERN_52, 0.1, 1), x, 0, 30, 1));
  }

  private static double d2(double[] p, int i, int j) {
    double dx = p[2 * i] - p[2 * j];
    double dy = p[2 * i + 1] - p[2 * j + 1];
    return dx * dx + dy * dy;
  }
}
