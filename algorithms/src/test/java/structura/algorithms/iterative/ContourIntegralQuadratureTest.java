package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

class ContourIntegralQuadratureTest {
  @Test
  void quadratureMatchesTheNotesTestVector() {
    // linalg.md §4.2: λ_min = 1, λ_max = 100, N = 5 (GPyTorch's signs: shifts and weights negated)
    ContourQuadrature r = ContourQuadrature.inverseSquareRoot(1, 100, 5);
    assertArrayEquals(new double[] {0.142979378, 1.83625280, 10.0, 54.4587324, 699.401558}, r.shifts(), 1e-6);
    assertArrayEquals(new double[] {0.50341821, 0.79969272, 1.63678695, 4.35502518, 35.20914789}, r.weights(), 1e-7);
  }

  @Test
  void quadratureErrorMatchesTheNotesTable() {
    // linalg.md §4.2 table of max relative errors of Σ w/(σ + λ) against λ^{-1/2}
    assertEquals(6.1e-6, ContourIntegralQuadrature.ruleError(ContourQuadrature.inverseSquareRoot(1, 1e2, 5), 1, 1e2), 0.2e-6);
    assertEquals(2.8e-7, ContourIntegralQuadrature.ruleError(ContourQuadrature.inverseSquareRoot(1, 1e4, 10), 1, 1e4), 0.2e-7);
    assertEquals(7.1e-8, ContourIntegralQuadrature.ruleError(ContourQuadrature.inverseSquareRoot(1, 1e6, 15), 1, 1e6), 0.3e-8);
    assertTrue(ContourIntegralQuadrature.ruleError(ContourQuadrature.inverseSquareRoot(1, 1e6, 20), 1, 1e6) < 3e-10);
  }

  @Test
  void ellipticFunctionsSatisfyTheirIdentities() {
    // K(m = 1/2) = Γ(1/4)²/(4√π)
    assertEquals(1.8540746773013719, JacobiElliptic.completeK(Math.sqrt(0.5)), 1e-14);
    assertEquals(Math.PI / 2, JacobiElliptic.completeK(1), 1e-15);
    double kp = 1e-3;
    double m = 1 - kp * kp;
    double bigK = JacobiElliptic.completeK(kp);
    for (double u : new double[] {0.1, 1.0, 0.5 * bigK, bigK}) {
      double[] f = JacobiElliptic.snCnDn(u, kp);
      assertEquals(1, f[0] * f[0] + f[1] * f[1], 1e-13);
      assertEquals(1, f[2] * f[2] + m * f[0] * f[0], 1e-12);
    }
    // m → 0: sn = sin
    assertEquals(Math.sin(0.7), JacobiElliptic.snCnDn(0.7, 1)[0], 1e-15);
  }

  @Test
  void multiShiftMinresSolvesEveryShiftAgainstDense() {
    double[] spectrum = Dense.geometricSpectrum(150, 1e3);
    for (int i = 0; i < 150; i += 4) {
      spectrum[i] = -spectrum[i];
    }
    Matrix a = Dense.withSpectrum(spectrum, 93);
    Matrix b = Dense.gaussian(150, 2, 94);
    double[] shifts = {0, 0.3, 2.5, 40};
    MultiShiftResult r = MultiShiftMinres.solve(Operators.denseOnReference(a), b, shifts,
        MultiShiftMinresOptions.defaults().withTolerance(1e-8));
    assertTrue(r.converged(), r.reason() + " " + r.maxResidual());
    for (int q = 0; q < shifts.length; q++) {
      Matrix shifted = Dense.plusDiagonal(a, shifts[q]);
      assertTrue(Dense.relativeError(r.solutions().get(q), Dense.solve(shifted, b)) < 1e-5, "shift " + shifts[q]);
      assertEquals(Dense.relativeResidual(shifted, r.solutions().get(q), b), Blocks.max(
          new double[] {r.residualNorms()[q][0], r.residualNorms()[q][1]}), 1e-12);
    }
    MultiShiftResult capped = MultiShiftMinres.solve(Operators.denseOnReference(a), b, shifts,
        MultiShiftMinresOptions.defaults().withMaxIterations(5));
    assertFalse(capped.converged());
    assertEquals(StopReason.MAX_ITERATIONS, capped.reason());
  }

  /**
   * The paper's headline: 4 digits in fewer than 100 products on a Matérn-5/2 kernel matrix,
   * n = 2000 (κ ≈ 320), against scipy.linalg.eigh (fixture from make_iterative_fixtures.py).
   */
  @Test
  void matern52SquareRootsToFourDigitsInUnderOneHundredProducts() {
    Map<String, Matrix> fx = Fixtures.load("ciq_matern52");
    Matrix x = fx.get("X");
    double[][] points = new double[x.rows()][3];
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < 3; j++) {
        points[i][j] = x.get(i, j);
      }
    }
    Matrix k = Dense.plusDiagonal(Dense.matern52(points, 0.1), 0.1);
    Matrix b = fx.get("b");
    LinearOperator op = Operators.denseOnReference(k);
    ContourIntegralQuadratureOptions o = ContourIntegralQuadratureOptions.defaults()
        .withMinres(MultiShiftMinresOptions.defaults().withTolerance(1e-4));
    ContourIntegralQuadratureResult inv = ContourIntegralQuadrature.inverseSqrt(op, b, o);
    ContourIntegralQuadratureResult sqrt = ContourIntegralQuadrature.sqrt(op, b, o);
    double errInv = Dense.relativeError(inv.solution(), fx.get("invSqrtB"));
    double errSqrt = Dense.relativeError(sqrt.solution(), fx.get("sqrtB"));
    assertTrue(inv.converged() && sqrt.converged());
    assertTrue(errInv < 1e-4, "K^-1/2 b relative error " + errInv);
    assertTrue(errSqrt < 1e-4, "K^1/2 b relative error " + errSqrt);
    assertTrue(inv.krylovProducts() < 100, inv.krylovProducts() + " products");
    assertTrue(sqrt.krylovProducts() < 100, sqrt.krylovProducts() + " products");
    assertTrue(inv.quadratureError() < 1e-6);
    // the estimated interval contains the true spectrum [0.1006, 31.94]
    assertTrue(inv.lambdaMin() <= fx.get("eig").get(0, 0) && inv.lambdaMax() >= fx.get("eig").get(0, 1));
  }

  /**
   * The same fixture with the shared Lanczos basis re-orthogonalized inside msMINRES: the same four
   * digits, converged, in no more products than the plain recurrence (orthogonality lost to
   * rounding only ever delays MINRES).
   */
  @Test
  void reorthogonalizedMinresMatchesTheFixtureInNoMoreProducts() {
    Map<String, Matrix> fx = Fixtures.load("ciq_matern52");
    Matrix x = fx.get("X");
    double[][] points = new double[x.rows()][3];
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < 3; j++) {
        points[i][j] = x.get(i, j);
      }
    }
    LinearOperator op = Operators.denseOnReference(Dense.plusDiagonal(Dense.matern52(points, 0.1), 0.1));
    Matrix b = fx.get("b");
    ContourIntegralQuadratureOptions plain = ContourIntegralQuadratureOptions.defaults();
    ContourIntegralQuadratureOptions reorth = plain.withMinres(plain.minres().withReorthogonalization(true));
    ContourIntegralQuadratureResult p = ContourIntegralQuadrature.inverseSqrt(op, b, plain);
    ContourIntegralQuadratureResult r = ContourIntegralQuadrature.inverseSqrt(op, b, reorth);
    assertTrue(r.converged(), r.reason().toString());
    double err = Dense.relativeError(r.solution(), fx.get("invSqrtB"));
    assertTrue(err < 1e-4, "K^-1/2 b relative error " + err);
    assertTrue(r.minres().maxResidual() <= 1e-5, "recomputed residual " + r.minres().maxResidual());
    assertTrue(r.krylovProducts() <= p.krylovProducts(), r.krylovProducts() + " > " + p.krylovProducts());
  }

  @Test
  void tooFewMinresStepsIsNotConverged() {
    Matrix k = Dense.plusDiagonal(Dense.matern52(Dense.points(300, 2, 95), 0.2), 0.01);
    ContourIntegralQuadratureResult r = ContourIntegralQuadrature.inverseSqrt(Operators.denseOnReference(k), Dense.gaussian(300, 1, 96),
        ContourIntegralQuadratureOptions.defaults().withMinres(MultiShiftMinresOptions.defaults().withMaxIterations(10)));
    assertFalse(r.converged());
    assertEquals(StopReason.MAX_ITERATIONS, r.reason());
  }
}
