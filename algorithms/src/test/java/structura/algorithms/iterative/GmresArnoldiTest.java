package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.Operators;

class GmresArnoldiTest {
  /** A non-symmetric convection–diffusion stencil plus a small random part: eigenvalues in the right half plane. */
  static Matrix convectionDiffusion(int n, double convection, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix a = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      a.set(i, i, 2.5);
      if (i > 0) {
        a.set(i, i - 1, -1 - convection);
      }
      if (i + 1 < n) {
        a.set(i, i + 1, -1 + convection);
      }
      for (int j = 0; j < n; j++) {
        a.set(i, j, a.get(i, j) + 0.02 * (rng.nextDouble() - 0.5));
      }
    }
    return a;
  }

  @Test
  void nonSymmetricBlockMatchesDenseSolve() {
    Matrix a = convectionDiffusion(300, 0.4, 71);
    Matrix b = Dense.gaussian(300, 2, 72);
    SolveResult r = Gmres.solve(Operators.denseOnReference(a), b, GmresOptions.defaults().withTolerance(1e-10).withRestart(40));
    assertTrue(r.converged(), r.reason() + " " + r.maxResidual());
    assertTrue(Dense.relativeError(r.solution(), Dense.solve(a, b)) < 1e-8);
    assertEquals(Dense.relativeResidual(a, r.solution(), b), r.maxResidual(), 1e-12);
  }

  @Test
  void indefiniteSymmetricSystemThatCgRefuses() {
    double[] spectrum = Dense.geometricSpectrum(120, 100);
    for (int i = 0; i < 120; i += 3) {
      spectrum[i] = -spectrum[i];
    }
    Matrix a = Dense.withSpectrum(spectrum, 73);
    Matrix b = Dense.gaussian(120, 1, 74);
    SolveResult r = Gmres.solve(Operators.denseOnReference(a), b, GmresOptions.defaults().withTolerance(1e-9).withRestart(120));
    assertTrue(r.converged());
    assertTrue(Dense.relativeError(r.solution(), Dense.solve(a, b)) < 1e-6);
  }

  @Test
  void preconditionerIsActuallyUsed() {
    int n = 200;
    Matrix base = convectionDiffusion(n, 0.3, 75);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(10, 3.0 * i / n);
    }
    Matrix a = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a.set(i, j, s[i] * base.get(i, j));
      }
    }
    Matrix b = Dense.gaussian(n, 1, 76);
    GmresOptions o = GmresOptions.defaults().withTolerance(1e-8).withRestart(30).withMaxIterations(3000);
    SolveResult plain = Gmres.solve(Operators.denseOnReference(a), b, o);
    SolveResult jacobi = Gmres.solve(Operators.denseOnReference(a), b, o.withPreconditioner(JacobiPreconditioner.of(Operators.denseOnReference(a))));
    assertTrue(jacobi.converged());
    assertTrue(jacobi.iterations() * 3 < plain.iterations(), jacobi.iterations() + " vs " + plain.iterations());
    assertTrue(Dense.relativeResidual(a, jacobi.solution(), b) <= 1e-8);
  }

  @Test
  void tooFewStepsIsNotConverged() {
    Matrix a = convectionDiffusion(200, 0.2, 77);
    Matrix b = Dense.gaussian(200, 1, 78);
    SolveResult r = Gmres.solve(Operators.denseOnReference(a), b, GmresOptions.defaults().withRestart(5).withMaxIterations(10));
    assertFalse(r.converged());
    assertEquals(StopReason.MAX_ITERATIONS, r.reason());
    assertEquals(10, r.iterations());
    assertEquals(Dense.relativeResidual(a, r.solution(), b), r.maxResidual(), 1e-12);
    assertTrue(r.maxResidual() > 1e-6);
  }

  @Test
  void arnoldiRelationAndRitzValues() {
    int n = 150;
    Matrix a = convectionDiffusion(n, 0.4, 79);
    ArnoldiResult r = Arnoldi.decompose(Operators.denseOnReference(a), Dense.gaussian(n, 1, 80), 40, 1e-12);
    Matrix q = r.basis();
    assertTrue(Dense.relativeError(Dense.multiply(q.transposeCopy(), q), Matrix.identity(DType.F64, 40)) < 1e-12);
    assertTrue(Dense.relativeError(Dense.multiply(q.transposeCopy(), Dense.multiply(a, q)), r.hessenberg()) < 1e-10);
    assertEquals(StopReason.MAX_ITERATIONS, r.reason());
    // an operator with 4 distinct eigenvalues: the space is invariant after 4 steps and the Ritz values are exact
    double[] spectrum = new double[60];
    for (int i = 0; i < 60; i++) {
      spectrum[i] = 1 + i % 4;
    }
    ArnoldiResult small = Arnoldi.decompose(Operators.denseOnReference(Dense.withSpectrum(spectrum, 81)), Dense.gaussian(60, 1, 82),
        30, 1e-10);
    assertEquals(StopReason.INVARIANT_SUBSPACE, small.reason());
    double[][] ritz = small.ritzValues();
    assertEquals(4, ritz.length);
    double[] re = new double[4];
    for (int i = 0; i < 4; i++) {
      re[i] = ritz[i][0];
      assertEquals(0, ritz[i][1], 1e-9);
    }
    java.util.Arrays.sort(re);
    for (int i = 0; i < 4; i++) {
      assertEquals(i + 1, re[i], 1e-9);
    }
  }
}
