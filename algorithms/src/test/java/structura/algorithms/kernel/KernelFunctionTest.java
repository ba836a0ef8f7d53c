package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.RadialKernel.Kind;

/** Every kernel against its textbook F64 formula, written here independently of the implementation. */
class KernelFunctionTest {
  private static final double SIGMA2 = 1.7;

  /** κ(r)/σ² written out from the definitions (Rasmussen and Williams, ch. 4), with α = 1 for RQ. */
  private static DoubleUnaryOperator textbook(Kind kind) {
    return switch (kind) {
      case GAUSSIAN -> r -> Math.exp(-r * r / 2);
      case EXPONENTIAL, MATERN_12 -> r -> Math.exp(-r);
      case MATERN_32 -> r -> (1 + Math.sqrt(3) * r) * Math.exp(-Math.sqrt(3) * r);
      case MATERN_52 -> r -> (1 + Math.sqrt(5) * r + 5 * r * r / 3) * Math.exp(-Math.sqrt(5) * r);
      case RATIONAL_QUADRATIC -> r -> 1 / (1 + r * r / 2);
      case CAUCHY -> r -> 1 / (1 + r * r);
      case LAPLACE -> r -> r == 0 ? 0 : 1 / r;
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void isotropicKernelMatchesTheFormula(Kind kind) {
    SplittableRandom rnd = new SplittableRandom(11 + kind.ordinal());
    double ell = 0.37;
    KernelFunction k = KernelFunction.isotropic(kind, ell, SIGMA2);
    for (int trial = 0; trial < 200; trial++) {
      int d = 1 + trial % 5;
      double[] x = new double[d];
      double[] y = new double[d];
      double dist2 = 0;
      for (int t = 0; t < d; t++) {
        x[t] = rnd.nextDouble(-1, 1);
        y[t] = rnd.nextDouble(-1, 1);
        dist2 += (x[t] - y[t]) * (x[t] - y[t]);
      }
      double want = SIGMA2 * textbook(kind).applyAsDouble(Math.sqrt(dist2) / ell);
      assertEquals(want, k.value(x, y), 1e-14 * Math.abs(want), kind + " trial " + trial);
    }
    double[] p = {0.3, -0.2};
    assertEquals(kind == Kind.LAPLACE ? 0 : SIGMA2, k.value(p, p), 0, "value at r = 0");
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = "LAPLACE", mode = EnumSource.Mode.EXCLUDE)
  void ardScalesEachCoordinate(Kind kind) {
    double[] ell = {0.5, 2.0, 1.25};
    KernelFunction k = KernelFunction.ard(kind, ell, SIGMA2);
    double[] x = {0.1, -0.7, 0.4};
    double[] y = {-0.3, 0.9, 0.2};
    double r = Math.sqrt(Math.pow(0.4 / 0.5, 2) + Math.pow(1.6 / 2.0, 2) + Math.pow(0.2 / 1.25, 2));
    double want = SIGMA2 * textbook(kind).applyAsDouble(r);
    assertEquals(want, k.value(x, y), 1e-14 * want);
    // ARD with equal lengthscales is the isotropic kernel
    KernelFunction same = KernelFunction.ard(kind, new double[] {0.8, 0.8, 0.8}, SIGMA2);
    assertEquals(KernelFunction.isotropic(kind, 0.8, SIGMA2).value(x, y), same.value(x, y), 1e-15);
  }

  @Test
  void rationalQuadraticWithShapeAlphaAndItsGaussianLimit() {
    double alpha = 2.5;
    KernelFunction rq = KernelFunction.rationalQuadratic(0.9, 1.0, alpha);
    double[] x = {0.2, 0.1};
    double[] y = {-0.4, 0.6};
    double r2 = (0.36 + 0.25) / 0.81;
    assertEquals(Math.pow(1 + r2 / (2 * alpha), -alpha), rq.value(x, y), 1e-15);
    double gauss = KernelFunction.isotropic(Kind.GAUSSIAN, 0.9, 1.0).value(x, y);
    assertEquals(gauss, KernelFunction.rationalQuadratic(0.9, 1.0, 1e7).value(x, y), 1e-7);
  }

  @Test
  void scaleDividesByTheLengthscalesAndMatrixAgreesWithValue() {
    KernelFunction k = KernelFunction.ard(Kind.MATERN_32, new double[] {2, 4}, 1);
    Matrix pts = Matrix.wrap(new double[] {2, 4, -2, 8, 1, 1}, 3, 2);
    Matrix s = k.scale(pts);
    assertEquals(1, s.get(0, 0));
    assertEquals(2, s.get(1, 1));
    Matrix km = k.matrix(pts, pts, DType.F64);
    assertEquals(k.value(new double[] {2, 4}, new double[] {1, 1}), km.get(0, 2), 0);
    assertEquals(km.get(2, 0), km.get(0, 2), 0);
  }

  @Test
  void badParametersGetCodedErrorsNamingTheArgument() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> KernelFunction.isotropic(Kind.GAUSSIAN, 0, 1));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("lengthscale"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> KernelFunction.ard(Kind.MATERN_52, new double[] {1, -2}, 1));
    assertThrows(InvalidArgumentException.class, () -> KernelFunction.isotropic(Kind.CAUCHY, 1, Double.NaN));
    assertThrows(InvalidArgumentException.class, () -> KernelFunction.ard(Kind.LAPLACE, new double[] {1, 1}, 1));
    assertThrows(InvalidArgumentException.class, () -> KernelFunction.rationalQuadratic(1, 1, 0));
    KernelFunction ard = KernelFunction.ard(Kind.GAUSSIAN, new double[] {1, 1, 1}, 1);
    assertThrows(InvalidArgumentException.class, () -> ard.value(new double[2], new double[2]));
    assertThrows(InvalidArgumentException.class, () -> ard.value(new double[0], new double[0]));
    assertEquals(Kind.MATERN_52, KernelFunction.kindNamed("Matern52"));
    assertEquals(Kind.GAUSSIAN, KernelFunction.kindNamed("rbf"));
    assertThrows(InvalidArgumentException.class, () -> KernelFunction.kindNamed("sinc"));
  }
}
