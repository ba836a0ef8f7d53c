package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import structura.algorithms.iterative.Estimate;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.algorithms.kernel.fkt.FastKernelTransform;
import structura.algorithms.kernel.fkt.FktOptions;

/** The CG Gaussian process against the dense Cholesky GP and dense EJML references. */
class IterativeGaussianProcessTest {
  private final Compute compute = Compute.reference();

  /** n points in the unit square and noisy targets sin(6x) + cos(4y) + 0.1ε. */
  static Object[] data(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = Matrix.zeros(DType.F64, n, 2);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double a = rnd.nextDouble();
      double b = rnd.nextDouble();
      x.set(i, 0, a);
      x.set(i, 1, b);
      y[i] = Math.sin(6 * a) + Math.cos(4 * b) + 0.1 * rnd.nextGaussian() + 2;
    }
    return new Object[] {x, y};
  }

  @Test
  void posteriorMeanAndVarianceMatchTheCholeskyGpAtN2000() {
    Object[] train = data(2000, 1);
    Matrix test = (Matrix) data(100, 2)[0];
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.3, 1.2);
    DenseGaussianProcess dense = DenseGaussianProcess.fit(k, (Matrix) train[0], (double[]) train[1], 0.01, true, compute);
    IterativeGaussianProcess cg = IterativeGaussianProcess.fit(k, (Matrix) train[0], (double[]) train[1], 0.01, true,
        IterativeGaussianProcessOptions.defaults(), compute);
    assertTrue(cg.meanSolve().converged());
    double[] want = dense.predictMean(test);
    double[] got = cg.predictMean(test);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-6, "mean " + i);
    }
    double[] wantVar = dense.predictVariance(test);
    double[] gotVar = cg.predictVariance(test);
    for (int i = 0; i < want.length; i++) {
      assertEquals(wantVar[i], gotVar[i], 1e-6, "variance " + i);
    }
    Estimate lml = cg.logMarginalLikelihood();
    assertEquals(dense.logMarginalLikelihood(), lml.estimate(), 4 * lml.standardError() + 1e-3 * Math.abs(dense.logMarginalLikelihood()));
  }

  /**
   * The CG GP with its products through the fast kernel transform (p = 10, θ = 0.3: about 1e-6 per
   * product) against the dense Cholesky GP; and the operator is really used: a deliberately wrong
   * one (K·2 + σ²I) moves the mean far away.
   */
  @Test
  void posteriorMeanThroughTheFastKernelTransformMatchesTheCholeskyGp() {
    Object[] train = data(2000, 5);
    Matrix x = (Matrix) train[0];
    double[] y = (double[]) train[1];
    Matrix test = (Matrix) data(100, 6)[0];
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.3, 1.2);
    double[] want = DenseGaussianProcess.fit(k, x, y, 0.01, true, compute).predictMean(test);
    FastKernelTransform fkt = FastKernelTransform.factor(k, x, FktOptions.ofOrder(10).withSeparation(0.3).withLeafSize(64), compute);
    IterativeGaussianProcessOptions options = IterativeGaussianProcessOptions.defaults().withCgTolerance(1e-10);
    IterativeGaussianProcess gp = IterativeGaussianProcess.fit(k, x, y, 0.01, true, fkt.withNoise(0.01), options, compute);
    assertTrue(gp.meanSolve().converged());
    assertTrue(fkt.expandedPairs() > 0, "the far field was expanded");
    double[] got = gp.predictMean(test);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5, "mean " + i);
    }
    LinearOperator wrong = Operators.sum(Operators.scale(2, fkt), Operators.scale(0.01, Operators.identity(DType.F64, 2000)));
    double[] off = IterativeGaussianProcess.fit(k, x, y, 0.01, true, wrong, options, compute).predictMean(test);
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(off[i] - want[i]));
    }
    assertTrue(worst > 1e-2, "a wrong operator must change the mean: " + worst);
    assertThrows(InvalidArgumentException.class,
        () -> IterativeGaussianProcess.fit(k, x, y, 0.01, true, Operators.identity(DType.F64, 5), options, compute));
  }

  /** LOVE-style variances: conservative (never below the exact ones) and close to them. */
  @Test
  void loveVariancesAreConservativeAndClose() {
    Object[] train = data(1000, 9);
    Matrix test = (Matrix) data(100, 10)[0];
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.3, 1.2);
    double[] wantVar = DenseGaussianProcess.fit(k, (Matrix) train[0], (double[]) train[1], 0.01, true, compute).predictVariance(test);
    // LOVE with 100 Lanczos steps: variances within 15% (about 11% here) and never below the exact ones by more than rounding
    double[] love = IterativeGaussianProcess.fit(k, (Matrix) train[0], (double[]) train[1], 0.01, true,
        IterativeGaussianProcessOptions.defaults().withVarianceMethod(IterativeGaussianProcessOptions.VarianceMethod.LOVE), compute)
        .predictVariance(test);
    for (int i = 0; i < wantVar.length; i++) {
      assertEquals(wantVar[i], love[i], 0.15 * wantVar[i], "LOVE variance " + i);
      assertTrue(love[i] >= wantVar[i] - 1e-9, "LOVE variance " + i);
    }
  }

  /**
   * Hyperparameters fitted by Adam on the stochastic MLL gradient land near the dense optimum,
   * found independently by coordinate search on the exact (Cholesky) log marginal likelihood.
   */
  @Test
  void fittedHyperparametersAreCloseToTheDenseOptimum() {
    Object[] d = data(400, 3);
    Matrix x = (Matrix) d[0];
    double[] y = (double[]) d[1];
    MarginalLikelihoodFit.Result fit = new MarginalLikelihoodFit(compute, IterativeGaussianProcessOptions.defaults().withProbes(32), 150, 0.05)
        .fit(KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 0.5), 0.05, x, y, true);
    double[] best = denseOptimum(x, y, new double[] {Math.log(0.5), Math.log(0.5), Math.log(0.05)});
    double fitted = denseLml(x, y, Math.log(fit.kernel().lengthscales()[0]), Math.log(fit.kernel().variance()), Math.log(fit.noise()));
    double optimum = denseLml(x, y, best[0], best[1], best[2]);
    assertTrue(optimum - fitted < 1.0, "dense MLL at the fit " + fitted + " vs optimum " + optimum);
    assertEquals(best[0], Math.log(fit.kernel().lengthscales()[0]), 0.15, "log lengthscale");
    assertEquals(best[2], Math.log(fit.noise()), 0.2, "log noise");
  }

  private double denseLml(Matrix x, double[] y, double logL, double logV, double logN) {
    return DenseGaussianProcess.fit(KernelFunction.isotropic(Kind.GAUSSIAN, Math.exp(logL), Math.exp(logV)), x, y, Math.exp(logN), true,
        compute).logMarginalLikelihood();
  }

  /** Cyclic coordinate search with shrinking steps on the dense MLL. */
  private double[] denseOptimum(Matrix x, double[] y, double[] start) {
    double[] th = start.clone();
    double f = denseLml(x, y, th[0], th[1], th[2]);
    for (double step = 0.5; step > 1e-3; step /= 2) {
      boolean moved = true;
      while (moved) {
        moved = false;
        for (int p = 0; p < 3; p++) {
          for (double s : new double[] {step, -step}) {
            double[] tr = th.clone();
            tr[p] += s;
            double ft = denseLml(x, y, tr[0], tr[1], tr[2]);
            if (ft > f) {
              f = ft;
              th = tr;
              moved = true;
            }
          }
        }
      }
    }
    return th;
  }

  /** CIQ square root of the predictive covariance against the dense one (EJML eigendecomposition). */
  @Test
  void ciqSamplesHaveThePredictiveCovariance() {
    Object[] train = data(500, 4);
    Matrix test = (Matrix) data(40, 5)[0];
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.3, 1.0);
    IterativeGaussianProcess cg = IterativeGaussianProcess.fit(k, (Matrix) train[0], (double[]) train[1], 0.01, true,
        IterativeGaussianProcessOptions.defaults(), compute);
    // dense Σ* = K** − K*X (K + σ²I)⁻¹ KX* + σ²I
    DMatrixRMaj kxx = KernelOperatorTest.ejml(k.matrix((Matrix) train[0], (Matrix) train[0], DType.F64));
    for (int i = 0; i < kxx.numRows; i++) {
      kxx.add(i, i, 0.01);
    }
    DMatrixRMaj kxs = KernelOperatorTest.ejml(k.matrix((Matrix) train[0], test, DType.F64));
    DMatrixRMaj solved = new DMatrixRMaj(kxs.numRows, kxs.numCols);
    CommonOps_DDRM.solve(kxx, kxs, solved);
    DMatrixRMaj sigma = KernelOperatorTest.ejml(k.matrix(test, test, DType.F64));
    DMatrixRMaj reduce = new DMatrixRMaj(40, 40);
    CommonOps_DDRM.multTransA(kxs, solved, reduce);
    CommonOps_DDRM.subtractEquals(sigma, reduce);
    for (int i = 0; i < 40; i++) {
      sigma.add(i, i, 0.01);
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(40, true, true);
    assertTrue(eig.decompose(sigma.copy()));
    DMatrixRMaj root = new DMatrixRMaj(40, 40);
    for (int q = 0; q < 40; q++) {
      double lam = eig.getEigenvalue(q).real;
      DMatrixRMaj vq = eig.getEigenVector(q);
      for (int i = 0; i < 40; i++) {
        for (int j = 0; j < 40; j++) {
          root.add(i, j, Math.sqrt(lam) * vq.get(i) * vq.get(j));
        }
      }
    }
    Matrix z = KernelApproximationFixtures.gaussian(40, 3, 6);
    DMatrixRMaj want = new DMatrixRMaj(40, 3);
    CommonOps_DDRM.mult(root, KernelOperatorTest.ejml(z), want);
    Matrix got = cg.predictiveCovarianceRoot(test, z).solution();
    assertTrue(KernelOperatorTest.relativeError(want, got) < 1e-3, "CIQ error " + KernelOperatorTest.relativeError(want, got));
    Matrix samples = cg.predictiveSamples(test, 2, 7);
    assertEquals(40, samples.rows());
  }

  @Test
  void rejectsBadInput() {
    Object[] d = data(50, 8);
    Matrix x = (Matrix) d[0];
    double[] y = (double[]) d[1];
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.3, 1.0);
    IterativeGaussianProcessOptions o = IterativeGaussianProcessOptions.defaults();
    InvalidArgumentException noNoise = assertThrows(InvalidArgumentException.class, () -> IterativeGaussianProcess.fit(k, x, y, 0, true, o, compute));
    assertTrue(noNoise.getMessage().contains("noise"));
    double[] bad = y.clone();
    bad[7] = Double.NaN;
    assertThrows(InvalidArgumentException.class, () -> IterativeGaussianProcess.fit(k, x, bad, 0.1, true, o, compute));
    IterativeGaussianProcess gp = IterativeGaussianProcess.fit(k, x, y, 0.1, true, o, compute);
    assertThrows(InvalidArgumentException.class, () -> gp.predictMean(Matrix.zeros(DType.F64, 3, 3)));
  }
}
