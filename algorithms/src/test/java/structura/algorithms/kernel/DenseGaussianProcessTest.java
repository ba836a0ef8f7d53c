package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;

/** The dense GP against the textbook formulas evaluated with EJML's LU solve and inverse. */
class DenseGaussianProcessTest {

  @Test
  void posteriorMeanAndVarianceMatchAnIndependentSolve() {
    int n = 500;
    int m = 37;
    SplittableRandom rnd = new SplittableRandom(3);
    Matrix x = KernelOperatorTest.points(DType.F64, n, 2, 21);
    Matrix xs = KernelOperatorTest.points(DType.F64, m, 2, 22);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = Math.sin(2 * x.get(i, 0)) + 0.5 * x.get(i, 1) + 0.05 * rnd.nextGaussian() + 3;
    }
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.7, 1.2);
    double noise = 0.01;
    DenseGaussianProcess gp = DenseGaussianProcess.fit(k, x, y, noise, true, Compute.reference());

    DMatrixRMaj kk = KernelOperatorTest.ejml(k.matrix(x, x, DType.F64));
    for (int i = 0; i < n; i++) {
      kk.add(i, i, noise);
    }
    double mu = 0;
    for (double v : y) {
      mu += v / n;
    }
    DMatrixRMaj r = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      r.set(i, 0, y[i] - mu);
    }
    DMatrixRMaj alpha = new DMatrixRMaj(n, 1);
    assertTrue(CommonOps_DDRM.solve(kk, r, alpha));
    DMatrixRMaj ks = KernelOperatorTest.ejml(k.matrix(xs, x, DType.F64));  // m×n
    DMatrixRMaj mean = new DMatrixRMaj(m, 1);
    CommonOps_DDRM.mult(ks, alpha, mean);
    DMatrixRMaj inv = new DMatrixRMaj(n, n);
    assertTrue(CommonOps_DDRM.invert(kk, inv));
    DMatrixRMaj tmp = new DMatrixRMaj(m, n);
    CommonOps_DDRM.mult(ks, inv, tmp);

    double[] gotMean = gp.predictMean(xs);
    double[] gotVar = gp.predictVariance(xs);
    assertEquals(mu, gp.priorMean(), 1e-12);
    for (int i = 0; i < m; i++) {
      double want = mu + mean.get(i, 0);
      assertEquals(want, gotMean[i], 1e-8 * (1 + Math.abs(want)), "mean " + i);
      double quad = 0;
      for (int j = 0; j < n; j++) {
        quad += tmp.get(i, j) * ks.get(i, j);
      }
      double wantVar = 1.2 - quad + noise;
      assertEquals(wantVar, gotVar[i], 1e-8, "variance " + i);
    }
    // log marginal likelihood from EJML's determinant and the solve above
    double fit = 0;
    for (int i = 0; i < n; i++) {
      fit += r.get(i, 0) * alpha.get(i, 0);
    }
    // log det by LU (the determinant itself underflows): Σ log|U_ii|
    org.ejml.interfaces.decomposition.LUDecomposition_F64<DMatrixRMaj> lu = org.ejml.dense.row.factory.DecompositionFactory_DDRM.lu(n, n);
    assertTrue(lu.decompose(kk.copy()));
    DMatrixRMaj u = lu.getUpper(null);
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      logDet += Math.log(Math.abs(u.get(i, i)));
    }
    double wantLml = -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
    assertEquals(wantLml, gp.logMarginalLikelihood(), 1e-8 * Math.abs(wantLml));
    // near a training point with little noise, the mean interpolates the data
    double[] atTrain = gp.predictMean(KernelOperatorTest.points(DType.F64, n, 2, 21));
    double worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(atTrain[i] - y[i]));
    }
    assertTrue(worst < 0.5, "training residual " + worst);
  }

  @Test
  void duplicatedPointsWithoutNoiseSuggestANoiseTerm() {
    Matrix x = Matrix.wrap(new double[] {0, 0, 1, 1, 0, 0, 2, 0.5}, 4, 2);
    double[] y = {1, 2, 1.5, 0};
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 1, 1);
    NumericalFailureException e = assertThrows(NumericalFailureException.class,
        () -> DenseGaussianProcess.fit(k, x, y, 0, false, Compute.reference()));
    assertTrue(e.getMessage().contains("noise"), e.getMessage());
    DenseGaussianProcess ok = DenseGaussianProcess.fit(k, x, y, 1e-3, false, Compute.reference());
    InvalidArgumentException dim = assertThrows(InvalidArgumentException.class, () -> ok.predictMean(Matrix.zeros(DType.F64, 2, 3)));
    assertEquals(ErrorCode.DIMENSION_MISMATCH, dim.code());
    assertTrue(dim.getMessage().contains("dimension 3"), dim.getMessage());
    assertThrows(InvalidArgumentException.class, () -> DenseGaussianProcess.fit(k, x, new double[] {1, 2, Double.NaN, 0}, 1e-3, false,
        Compute.reference()));
    assertThrows(InvalidArgumentException.class, () -> DenseGaussianProcess.fit(k, x, new double[] {1, 2}, 1e-3, false, Compute.reference()));
  }
}
