package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.kernel.KernelApproximationFixtures.ball;
import static structura.algorithms.kernel.KernelApproximationFixtures.gram;
import static structura.algorithms.kernel.KernelApproximationFixtures.relativeError;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.NystromApproximation;
import structura.algorithms.linalg.NystromOptions;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;

/** Kernel Nyström (direct kernel columns) against the dense kernel matrix. */
class KernelNystromTest {
  private final Compute compute = Compute.reference();

  /** Same landmarks as the dense-matrix Nyström of linalg: the same approximation. */
  @Test
  void uniformMatchesTheDenseNystromOnTheSameLandmarks() {
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.7, 1.0);
    Matrix x = ball(1200, 3, 1.0, 1);
    KernelNystrom.Result r = new KernelNystrom(compute, KernelNystromOptions.of(80, KernelNystromOptions.Sampling.UNIFORM)).fit(k, x);
    Matrix dense = k.matrix(x, x, DType.F64);
    Matrix reference = new NystromApproximation(compute, NystromOptions.of(80, NystromOptions.Selection.UNIFORM))
        .fromLandmarks(dense, r.landmarks()).factor();
    assertTrue(relativeError(gram(reference), gram(r.factor())) < 1e-10);
    assertTrue(relativeError(dense, r.operator().toDense()) < 0.05);
    assertEquals(80, r.landmarks().length);
  }

  /**
   * On a dense cluster plus isolated outliers, uniform sampling rarely picks the outliers, each of
   * which then leaves about κ(0) in the trace of the residual K − K̃ (the trace norm, since the
   * Nyström residual is PSD); ridge-leverage sampling picks them (their leverage is about 1), so
   * its trace error is smaller, and both errors fall with the rank.
   */
  @Test
  void leverageSamplingFindsIsolatedPointsThatUniformMisses() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.3, 1.0);
    Matrix x = Matrix.zeros(DType.F64, 1500, 2);
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < 1500; i++) {
      double s = i < 1400 ? 0.2 : 3.0;
      x.set(i, 0, s * rnd.nextGaussian());
      x.set(i, 1, s * rnd.nextGaussian());
    }
    Matrix dense = k.matrix(x, x, DType.F64);
    double previousUniform = Double.POSITIVE_INFINITY;
    double previousLeverage = Double.POSITIVE_INFINITY;
    for (int rank : new int[] {100, 150}) {
      KernelNystrom.Result uniform = new KernelNystrom(compute, KernelNystromOptions.of(rank, KernelNystromOptions.Sampling.UNIFORM)).fit(k, x);
      KernelNystrom.Result leverage =
          new KernelNystrom(compute, KernelNystromOptions.of(rank, KernelNystromOptions.Sampling.RIDGE_LEVERAGE)).fit(k, x);
      double traceUniform = traceError(dense, uniform.factor());
      double traceLeverage = traceError(dense, leverage.factor());
      assertTrue(traceLeverage < 0.5 * traceUniform, "rank " + rank + ": leverage " + traceLeverage + ", uniform " + traceUniform);
      long outliers = java.util.Arrays.stream(leverage.landmarks()).filter(i -> i >= 1400).count();
      assertTrue(outliers > 0.3 * rank || outliers > 90, "rank " + rank + ": " + outliers + " outliers picked");
      assertTrue(traceUniform < previousUniform && traceLeverage < previousLeverage);
      previousUniform = traceUniform;
      previousLeverage = traceLeverage;
    }
  }

  /** tr(K − F·Fᵀ). */
  private static double traceError(Matrix k, Matrix f) {
    double t = 0;
    for (int i = 0; i < k.rows(); i++) {
      double s = 0;
      for (int q = 0; q < f.cols(); q++) {
        s += f.get(i, q) * f.get(i, q);
      }
      t += k.get(i, i) - s;
    }
    return t;
  }

  @Test
  void isSeededAndValidates() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1.0);
    Matrix x = ball(300, 2, 1.0, 3);
    KernelNystromOptions o = KernelNystromOptions.of(30, KernelNystromOptions.Sampling.RIDGE_LEVERAGE).withSeed(9);
    assertArrayEquals(new KernelNystrom(compute, o).fit(k, x).landmarks(), new KernelNystrom(compute, o).fit(k, x).landmarks());
    assertThrows(InvalidArgumentException.class,
        () -> new KernelNystrom(compute, KernelNystromOptions.of(301, KernelNystromOptions.Sampling.UNIFORM)).fit(k, x));
    assertThrows(InvalidArgumentException.class, () -> new KernelNystrom(compute, KernelNystromOptions.of(3,
        KernelNystromOptions.Sampling.UNIFORM)).fit(KernelFunction.isotropic(Kind.LAPLACE, 1, 1), x));
  }
}
