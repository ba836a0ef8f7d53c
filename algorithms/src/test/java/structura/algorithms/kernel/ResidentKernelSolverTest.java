package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentRoutines;
import structura.algorithms.iterative.ConjugateGradient;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.SolveResult;
import structura.algorithms.iterative.StopReason;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.api.operator.Operators;

/**
 * The resident kernel CG on the reference backend's resident routines against a dense Cholesky
 * solve of {@code K + σ²I} (EJML-free, our blocked Cholesky on the reference backend) and the host
 * {@link ConjugateGradient} on the dense matrix, at N = 1000.
 */
class ResidentKernelSolverTest {
  private static ResidentRoutines device() {
    return Compute.reference().backend().resident().orElseThrow();
  }

  private static Matrix points(int n, int d, DType t, SplittableRandom rnd) {
    Matrix p = Matrix.zeros(t, n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        p.set(i, j, rnd.nextDouble(0, 4));
      }
    }
    return p;
  }

  private static Matrix random(int n, int k, SplittableRandom rnd) {
    Matrix b = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        b.set(i, j, rnd.nextGaussian());
      }
    }
    return b;
  }

  private static Matrix denseSystem(KernelFunction kernel, Matrix points, double sigma2) {
    Matrix a = kernel.matrix(points.toDType(DType.F64), points.toDType(DType.F64), DType.F64);
    for (int i = 0; i < a.rows(); i++) {
      a.set(i, i, a.get(i, i) + sigma2);
    }
    return a;
  }

  private static double relativeError(Matrix x, Matrix ref, int col) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.rows(); i++) {
      double e = x.get(i, col) - ref.get(i, col);
      num += e * e;
      den += ref.get(i, col) * ref.get(i, col);
    }
    return Math.sqrt(num / den);
  }

  /** ‖b_j − A·x_j‖/‖b_j‖ computed densely in double. */
  private static double trueResidual(Matrix a, Matrix x, Matrix b, int col) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.rows(); i++) {
      double s = b.get(i, col);
      for (int j = 0; j < a.cols(); j++) {
        s -= a.get(i, j) * x.get(j, col);
      }
      num += s * s;
      den += b.get(i, col) * b.get(i, col);
    }
    return Math.sqrt(num / den);
  }

  @Test
  void blockSolveMatchesDenseCholeskyAndHostCg() {
    SplittableRandom rnd = new SplittableRandom(21);
    int n = 1000;
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.MATERN_52, 0.4, 1.0);
    Matrix pts = points(n, 2, DType.F64, rnd);
    double sigma2 = 0.2;
    Matrix b = random(n, 3, rnd);
    ConjugateGradientOptions opts = ConjugateGradientOptions.defaults().withTolerance(1e-9).withMaxIterations(2000);

    SolveResult res = ResidentKernelSolver.solve(device(), kernel, pts, sigma2, b, opts);

    assertTrue(res.converged(), "did not converge: " + res.reason() + " after " + res.iterations());
    assertEquals(StopReason.CONVERGED, res.reason());
    Matrix a = denseSystem(kernel, pts, sigma2);
    Matrix ref = new Cholesky(Compute.reference(), CholeskyOptions.defaults()).solve(a, b);
    SolveResult host = ConjugateGradient.solve(Operators.dense(a, Compute.reference()), b, opts);
    for (int j = 0; j < 3; j++) {
      assertTrue(res.residualNorms()[j] <= 1e-9, "reported residual " + res.residualNorms()[j]);
      double reported = res.residualNorms()[j];
      double actual = trueResidual(a, res.solution(), b, j);
      assertEquals(actual, reported, 1e-3 * actual + 1e-14, "the reported residual is the true one, column " + j);
      assertTrue(relativeError(res.solution(), ref, j) < 1e-6, "column " + j + " differs from Cholesky by "
          + relativeError(res.solution(), ref, j));
      assertTrue(relativeError(res.solution(), host.solution(), j) < 1e-6, "column " + j + " differs from the host CG");
    }
    // same method, same arithmetic up to summation order: the iteration counts agree closely
    assertTrue(Math.abs(res.iterations() - host.iterations()) <= Math.max(3, host.iterations() / 20),
        "resident CG took " + res.iterations() + " iterations, host CG " + host.iterations());
    assertEquals(3L * (res.iterations() + 1), res.matrixVectorProducts(), "one block product per iteration plus the final check");
    assertEquals(res.iterations() + 1, res.residualHistory().length);
  }

  @Test
  void singleRightHandSideInF32ReportsHonestly() {
    SplittableRandom rnd = new SplittableRandom(22);
    int n = 1000;
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.GAUSSIAN, 0.5, 1.0);
    Matrix pts = points(n, 3, DType.F32, rnd);
    double sigma2 = 0.1;
    Matrix b = random(n, 1, rnd);
    SolveResult res = ResidentKernelSolver.solve(device(), kernel, pts, sigma2, b,
        ConjugateGradientOptions.defaults().withTolerance(1e-4).withMaxIterations(500));
    Matrix a = denseSystem(kernel, pts, sigma2);
    double actual = trueResidual(a, res.solution(), b, 0);
    assertTrue(res.converged(), "F32 solve to 1e-4 did not converge: " + res.reason());
    assertTrue(actual <= 1.5e-4, "converged claimed but the true residual is " + actual);
    Matrix ref = new Cholesky(Compute.reference(), CholeskyOptions.defaults()).solve(a, b);
    assertTrue(relativeError(res.solution(), ref, 0) < 1e-2, "F32 solution error " + relativeError(res.solution(), ref, 0));
  }

  @Test
  void runningOutOfIterationsIsNotConvergence() {
    SplittableRandom rnd = new SplittableRandom(23);
    int n = 1000;
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.MATERN_32, 1.0, 1.0);
    Matrix pts = points(n, 2, DType.F64, rnd);
    Matrix b = random(n, 2, rnd);
    SolveResult res = ResidentKernelSolver.solve(device(), kernel, pts, 1e-3, b,
        ConjugateGradientOptions.defaults().withTolerance(1e-10).withMaxIterations(5));
    assertFalse(res.converged());
    assertEquals(StopReason.MAX_ITERATIONS, res.reason());
    assertEquals(5, res.iterations());
    Matrix a = denseSystem(kernel, pts, 1e-3);
    for (int j = 0; j < 2; j++) {
      double actual = trueResidual(a, res.solution(), b, j);
      assertEquals(actual, res.residualNorms()[j], 1e-6 * actual, "reported residual of column " + j);
      assertTrue(actual > 1e-10);
    }
  }

  @Test
  void unsupportedOptionsAndIndefiniteKernelsFailWithCodes() {
    SplittableRandom rnd = new SplittableRandom(24);
    Matrix pts = points(50, 2, DType.F64, rnd);
    Matrix b = random(50, 1, rnd);
    KernelFunction gauss = KernelFunction.isotropic(RadialKernel.Kind.GAUSSIAN, 1, 1);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ResidentKernelSolver.solve(device(), gauss, pts,
        0.1, b, ConjugateGradientOptions.defaults().withReorthogonalization(true)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    KernelFunction laplace = KernelFunction.isotropic(RadialKernel.Kind.LAPLACE, 1, 1);
    StructuraException s = assertThrows(StructuraException.class,
        () -> ResidentKernelSolver.solve(device(), laplace, pts, 0.0, b, ConjugateGradientOptions.defaults()));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, s.code());
    Matrix bad = b.copy();
    bad.set(3, 0, Double.NaN);
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(InvalidArgumentException.class,
        () -> ResidentKernelSolver.solve(device(), gauss, pts, 0.1, bad, ConjugateGradientOptions.defaults())).code());
  }
}
