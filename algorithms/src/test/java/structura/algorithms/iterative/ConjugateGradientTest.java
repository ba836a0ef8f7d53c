package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

class ConjugateGradientTest {
  @Test
  void blockOfRightHandSidesMatchesDenseSolve() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(200, 1e3), 1);
    Matrix b = Dense.gaussian(200, 3, 2);
    AtomicInteger calls = new AtomicInteger();
    SolveResult r = ConjugateGradient.solve(Operators.denseOnReference(a), b, ConjugateGradientOptions.defaults()
        .withTolerance(1e-10).withListener(new IterationListener() {
          @Override
          public void iteration(String method, int iteration, double residual) {
            calls.incrementAndGet();
          }
        }));
    assertTrue(r.converged(), r.reason() + " " + r.maxResidual());
    assertEquals(StopReason.CONVERGED, r.reason());
    double err = Dense.relativeError(r.solution(), Dense.solve(a, b));
    assertTrue(err < 1e-7, "relative error vs EJML solve " + err);
    assertTrue(r.maxResidual() <= 1e-10);
    assertEquals(Dense.relativeResidual(a, r.solution(), b), r.maxResidual(), 1e-12);
    assertEquals(r.iterations(), calls.get());
    assertEquals(r.iterations() + 1, r.residualHistory().length);
    // one 3-column product per iteration, 2 for the symmetry test, 3 for the final residual
    assertEquals(3L * r.iterations() + 2 + 3, r.matrixVectorProducts());
  }

  @Test
  void illConditionedKappa1e8ConvergesWithReorthogonalization() {
    int n = 120;
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(n, 1e8), 3);
    Matrix b = Dense.gaussian(n, 2, 4);
    SolveResult plain = ConjugateGradient.solve(Operators.denseOnReference(a), b,
        ConjugateGradientOptions.defaults().withTolerance(1e-7).withMaxIterations(n));
    // 1e-7: the attainable relative residual in F64 is about eps·κ = 1e-8 here
    SolveResult reorth = ConjugateGradient.solve(Operators.denseOnReference(a), b,
        ConjugateGradientOptions.defaults().withTolerance(1e-7).withMaxIterations(n).withReorthogonalization(true));
    assertTrue(reorth.converged(), "residual " + reorth.maxResidual());
    assertTrue(reorth.iterations() <= n);
    assertEquals(Dense.relativeResidual(a, reorth.solution(), b), reorth.maxResidual(), 1e-12);
    // error bound from the residual: ‖e‖/‖x‖ ≤ κ·‖r‖/‖b‖
    double err = Dense.relativeError(reorth.solution(), Dense.solve(a, b));
    assertTrue(err < 1e8 * 1e-7, "error " + err);
    // without re-orthogonalization, rounding delays CG past n iterations on this spectrum
    assertFalse(plain.converged(), "plain CG converged in " + plain.iterations());
    assertEquals(StopReason.MAX_ITERATIONS, plain.reason());
  }

  @Test
  void pivotedCholeskyPreconditionerCutsIterationsOnKernelSystem() {
    double[][] x = Dense.points(600, 2, 5);
    Matrix k = Dense.rbf(x, 0.3);
    double noise = 1e-2;
    Matrix a = Dense.plusDiagonal(k, noise);
    Matrix b = Dense.gaussian(600, 2, 6);
    LinearOperator op = Operators.sum(Operators.denseOnReference(k), Operators.diagonal(DType.F64, filled(600, noise)));
    ConjugateGradientOptions o = ConjugateGradientOptions.defaults().withTolerance(1e-8);
    SolveResult plain = ConjugateGradient.solve(op, b, o);
    PivotedCholeskyPreconditioner p = PivotedCholeskyPreconditioner.of(Operators.denseOnReference(k), noise, 60);
    SolveResult pre = ConjugateGradient.solve(op, b, o.withPreconditioner(p));
    assertTrue(plain.converged() && pre.converged());
    Matrix want = Dense.solve(a, b);
    assertTrue(Dense.relativeError(pre.solution(), want) < 1e-6);
    assertTrue(Dense.relativeError(plain.solution(), want) < 1e-6);
    assertTrue(pre.iterations() * 3 < plain.iterations(),
        "preconditioned " + pre.iterations() + " vs plain " + plain.iterations());
  }

  @Test
  void pivotedCholeskyPreconditionerTripleMatchesDense() {
    double[][] x = Dense.points(80, 3, 7);
    Matrix k = Dense.matern52(x, 0.5);
    double[] noise = new double[80];
    for (int i = 0; i < 80; i++) {
      noise[i] = 0.05 + 0.01 * (i % 5);
    }
    PivotedCholeskyPreconditioner p = PivotedCholeskyPreconditioner.of(Operators.denseOnReference(k), noise,
        structura.algorithms.linalg.PivotedCholeskyOptions.ofRank(12));
    assertEquals(12, p.rank());
    Matrix l = p.factor();
    Matrix dense = Dense.multiply(l, l.transposeCopy());
    for (int i = 0; i < 80; i++) {
      dense.set(i, i, dense.get(i, i) + noise[i]);
    }
    Matrix v = Dense.gaussian(80, 3, 8);
    assertTrue(Dense.relativeError(p.applyInverse(v), Dense.solve(dense, v)) < 1e-10);
    assertEquals(Dense.logdet(dense), p.logDeterminant(), 1e-9 * Math.abs(Dense.logdet(dense)));
    assertTrue(Dense.relativeError(p.operator().toDense(), dense) < 1e-13);
  }

  @Test
  void jacobiEquilibratesBadlyScaledOperator() {
    int n = 150;
    Matrix base = Dense.withSpectrum(Dense.geometricSpectrum(n, 10), 9);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(10, 3.0 * i / n);
    }
    Matrix a = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a.set(i, j, s[i] * base.get(i, j) * s[j]);
      }
    }
    Matrix b = Dense.gaussian(n, 1, 10);
    ConjugateGradientOptions o = ConjugateGradientOptions.defaults().withTolerance(1e-8).withMaxIterations(5000)
        .withReorthogonalization(true);
    SolveResult plain = ConjugateGradient.solve(Operators.denseOnReference(a), b, o);
    SolveResult jacobi = ConjugateGradient.solve(Operators.denseOnReference(a), b,
        o.withPreconditioner(JacobiPreconditioner.of(Operators.denseOnReference(a))));
    assertTrue(jacobi.converged());
    assertTrue(jacobi.iterations() * 2 < plain.iterations(), jacobi.iterations() + " vs " + plain.iterations());
    assertTrue(Dense.relativeError(jacobi.solution(), Dense.solve(a, b)) < 1e-4);
  }

  @Test
  void kroneckerOperatorIsSolvedWithoutDensifying() {
    Matrix a1 = Dense.withSpectrum(Dense.geometricSpectrum(20, 50), 11);
    Matrix a2 = Dense.withSpectrum(Dense.geometricSpectrum(15, 20), 12);
    LinearOperator kron = Operators.kronecker(Operators.denseOnReference(a1), Operators.denseOnReference(a2));
    Matrix b = Dense.gaussian(300, 2, 13);
    SolveResult r = ConjugateGradient.solve(kron, b, ConjugateGradientOptions.defaults().withTolerance(1e-10));
    assertTrue(r.converged());
    assertTrue(Dense.relativeError(r.solution(), Dense.solve(kron.toDense(), b)) < 1e-7);
  }

  @Test
  void tooFewIterationsIsReportedNotConverged() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(100, 1e4), 14);
    Matrix b = Dense.gaussian(100, 2, 15);
    SolveResult r = ConjugateGradient.solve(Operators.denseOnReference(a), b,
        ConjugateGradientOptions.defaults().withMaxIterations(5));
    assertFalse(r.converged());
    assertEquals(StopReason.MAX_ITERATIONS, r.reason());
    assertEquals(5, r.iterations());
    assertTrue(r.maxResidual() > 1e-6);
    assertEquals(Dense.relativeResidual(a, r.solution(), b), r.maxResidual(), 1e-12);
  }

  @Test
  void initialGuessAndZeroColumn() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(50, 100), 16);
    Matrix b = Dense.gaussian(50, 2, 17);
    for (int i = 0; i < 50; i++) {
      b.set(i, 1, 0);
    }
    Matrix want = Dense.solve(a, b);
    SolveResult warm = ConjugateGradient.solve(Operators.denseOnReference(a), b,
        ConjugateGradientOptions.defaults().withTolerance(1e-10).withInitialGuess(want));
    assertTrue(warm.converged());
    assertEquals(0, warm.iterations());
    SolveResult cold = ConjugateGradient.solve(Operators.denseOnReference(a), b, ConjugateGradientOptions.defaults());
    assertTrue(cold.converged());
    assertEquals(0.0, cold.residualNorms()[1]);
    assertEquals(0.0, Math.abs(cold.solution().get(7, 1)));
  }

  @Test
  void indefiniteOperatorIsNegativeCurvature() {
    double[] spectrum = Dense.geometricSpectrum(40, 10);
    spectrum[20] = -0.5;
    Matrix a = Dense.withSpectrum(spectrum, 18);
    StructuraException e = assertThrows(StructuraException.class,
        () -> ConjugateGradient.solve(Operators.denseOnReference(a), Dense.gaussian(40, 1, 19), ConjugateGradientOptions.defaults()));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, e.code());
    assertTrue(e.getMessage().contains("curvature"), e.getMessage());
  }

  @Test
  void nonSymmetricOperatorIsDetected() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(30, 10), 20);
    a.set(3, 7, a.get(3, 7) + 0.5);
    StructuraException e = assertThrows(StructuraException.class,
        () -> ConjugateGradient.solve(Operators.denseOnReference(a), Dense.gaussian(30, 1, 21), ConjugateGradientOptions.defaults()));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, e.code());
    assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
  }

  @Test
  void nonFiniteInputsAreCoded() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(10, 10), 22);
    Matrix b = Dense.gaussian(10, 1, 23);
    b.set(4, 0, Double.NaN);
    StructuraException e = assertThrows(StructuraException.class,
        () -> ConjugateGradient.solve(Operators.denseOnReference(a), b, ConjugateGradientOptions.defaults()));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    Matrix bad = a.copy();
    bad.set(2, 2, Double.POSITIVE_INFINITY);
    StructuraException f = assertThrows(StructuraException.class, () -> ConjugateGradient.solve(Operators.denseOnReference(bad),
        Dense.gaussian(10, 1, 24), ConjugateGradientOptions.defaults().withSymmetryCheck(false)));
    assertEquals(ErrorCode.INVALID_INPUT, f.code());
    assertTrue(f.getMessage().contains("operator returned"), f.getMessage());
  }

  static double[] filled(int n, double v) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, v);
    return d;
  }
}
