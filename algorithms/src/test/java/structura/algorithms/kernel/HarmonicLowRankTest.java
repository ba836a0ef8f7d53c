package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.kernel.KernelApproximationFixtures.ball;
import static structura.algorithms.kernel.KernelApproximationFixtures.gaussian;
import static structura.algorithms.kernel.KernelApproximationFixtures.relativeError;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.algorithms.linalg.NystromApproximation;
import structura.algorithms.linalg.NystromOptions;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;
import structura.api.backend.Transpose;

/** The harmonic low-rank approximation against the dense kernel (entry by entry in double). */
class HarmonicLowRankTest {
  private final Compute compute = Compute.reference();

  /**
   * Fitted on 2000 points in a 3-D ball, checked on 200 held-out points inside it: the entries of
   * K(held-out, X) and the products K(held-out, X)·v, relative Frobenius error within
   * {@code factor}·rtol (factor 1 for the Gaussian: rtol is met; the Cauchy and Matérn profiles
   * need a higher Chebyshev degree and land within a small multiple).
   */
  @ParameterizedTest
  @CsvSource({"GAUSSIAN, 1e-3, 1", "GAUSSIAN, 1e-5, 1", "CAUCHY, 1e-3, 3", "MATERN_52, 1e-3, 3"})
  void meetsToleranceOnHeldOutPoints(Kind kind, double rtol, double factor) {
    KernelFunction k = KernelFunction.isotropic(kind, 0.5, 1.3);
    Matrix x = ball(2000, 3, 1.0, 11);
    Matrix held = ball(200, 3, 0.9, 12);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(rtol)).fit(k, x);
    assertTrue(h.toleranceReached(), h.toString());
    Matrix exact = k.matrix(held, x, DType.F64);
    Matrix approx = h.crossOperator(held).toDense();
    double entries = relativeError(exact, approx);
    Matrix v = gaussian(2000, 2, 13);
    double products = relativeError(compute.multiply(Transpose.N, exact, Transpose.N, v), h.crossOperator(held).apply(v));
    assertTrue(entries <= factor * rtol, "entries " + entries + " " + h);
    assertTrue(products <= factor * rtol, "products " + products + " " + h);
    assertTrue(h.rank() < 2000, h.toString());
  }

  /** The fitted operator itself against the whole dense K (N = 1500), and its symmetry. */
  @ParameterizedTest
  @CsvSource({"1, 1e-6", "2, 1e-4", "3, 1e-4"})
  void approximatesTheWholeMatrixInLowDimensions(int d, double rtol) {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.4, 1.0);
    Matrix x = ball(1500, d, 1.0, 21 + d);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(rtol)).fit(k, x);
    Matrix approx = h.operator().toDense();
    assertTrue(relativeError(k.matrix(x, x, DType.F64), approx) <= rtol, h.toString());
    assertEquals(approx.get(3, 700), approx.get(700, 3), 1e-12);
    assertEquals(h.rank(), h.factor().cols());
  }

  /**
   * The comparison on a 3-D set: the rank the harmonic method needs for rtol, given to
   * Nyström (uniform and pivoted-Cholesky landmarks, and ridge-leverage sampling), gives Nyström
   * a larger error; so Nyström needs more rank for the same error.
   */
  @Test
  void needsNoMoreRankThanNystromForTheSameError() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1.0);
    Matrix x = ball(2000, 3, 1.0, 31);
    Matrix dense = k.matrix(x, x, DType.F64);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-4)).fit(k, x);
    double harmonic = relativeError(dense, h.operator().toDense());
    int r = h.rank();
    Matrix uniform = new NystromApproximation(compute, NystromOptions.of(r, NystromOptions.Selection.UNIFORM)).approximate(dense).factor();
    double nystromUniform = relativeError(dense, KernelApproximationFixtures.gram(uniform));
    Matrix leverage = new KernelNystrom(compute, KernelNystromOptions.of(r, KernelNystromOptions.Sampling.RIDGE_LEVERAGE)).fit(k, x).factor();
    double nystromLeverage = relativeError(dense, KernelApproximationFixtures.gram(leverage));
    assertTrue(harmonic < nystromUniform, "harmonic " + harmonic + " vs uniform Nyström " + nystromUniform + " at rank " + r);
    assertTrue(harmonic < nystromLeverage, "harmonic " + harmonic + " vs leverage Nyström " + nystromLeverage + " at rank " + r);
  }

  /**
   * The skeleton method (proxy → pivoted skeleton points → Nyström on kernel columns) meets rtol
   * on 200 held-out points, for a volume (ball) and a surface (sphere, intrinsic dimension 2, the
   * bunny's case), and uses no more rank than the harmonic proxy.
   */
  @ParameterizedTest
  @CsvSource({"ball, 1e-3", "ball, 1e-5", "sphere, 1e-3", "sphere, 1e-4"})
  void skeletonMeetsToleranceOnHeldOutPoints(String shape, double rtol) {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1.3);
    Matrix x = shape.equals("ball") ? ball(2000, 3, 1.0, 71) : sphere(2000, 1.0, 71);
    Matrix held = shape.equals("ball") ? ball(200, 3, 0.9, 72) : sphere(200, 1.0, 72);
    HarmonicSkeleton h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(rtol)).approximate(k, x);
    if (shape.equals("ball")) {
      assertTrue(h.toleranceReached(), h.toString());  // on the sphere the proxy's flag is conservative (its last degree is kept)
    }
    Matrix exact = k.matrix(held, x, DType.F64);
    double entries = relativeError(exact, h.crossOperator(held).toDense());
    Matrix v = gaussian(2000, 2, 73);
    double products = relativeError(compute.multiply(Transpose.N, exact, Transpose.N, v), h.crossOperator(held).apply(v));
    assertTrue(entries <= rtol, "entries " + entries + " " + h);
    assertTrue(products <= rtol, "products " + products + " " + h);
    assertTrue(h.rank() <= h.proxy().rank(), h.toString());
    assertEquals(h.rank(), h.skeleton().length);
  }

  /**
   * The comparison, at equal rank: on a surface (a sphere, like the bunny) and in a ball,
   * Nyström with the skeleton method's rank — uniform and ridge-leverage landmarks — has a larger
   * error than the skeleton method, so it needs more rank for the same error (three seeds each).
   */
  @ParameterizedTest
  @CsvSource({"ball, 1e-3", "sphere, 1e-3"})
  void skeletonNeedsNoMoreRankThanNystromForTheSameError(String shape, double rtol) {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1.0);
    Matrix x = shape.equals("ball") ? ball(2000, 3, 1.0, 81) : sphere(2000, 1.0, 81);
    Matrix dense = k.matrix(x, x, DType.F64);
    HarmonicSkeleton h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(rtol)).approximate(k, x);
    double skeleton = relativeError(dense, KernelApproximationFixtures.gram(h.factor()));
    int r = h.rank();
    for (KernelNystromOptions.Sampling sampling : KernelNystromOptions.Sampling.values()) {
      for (long seed = 0; seed < 3; seed++) {
        Matrix f = new KernelNystrom(compute, new KernelNystromOptions(r, sampling, seed)).fit(k, x).factor();
        double nystrom = relativeError(dense, KernelApproximationFixtures.gram(f));
        assertTrue(skeleton < nystrom, "skeleton " + skeleton + " vs " + sampling + " Nyström " + nystrom + " at rank " + r);
      }
    }
  }

  /** n points uniform on the sphere of radius {@code radius} in 3-D. */
  private static Matrix sphere(int n, double radius, long seed) {
    Matrix g = gaussian(n, 3, seed);
    for (int i = 0; i < n; i++) {
      double norm = Math.sqrt(g.get(i, 0) * g.get(i, 0) + g.get(i, 1) * g.get(i, 1) + g.get(i, 2) * g.get(i, 2));
      for (int t = 0; t < 3; t++) {
        g.set(i, t, radius * g.get(i, t) / norm);
      }
    }
    return g;
  }

  /** ARD lengthscales are folded into the points: an axis stretched by its lengthscale gives the same matrix. */
  @Test
  void handlesArdLengthscales() {
    KernelFunction ard = KernelFunction.ard(Kind.GAUSSIAN, new double[] {0.5, 1.0, 2.0}, 1.0);
    Matrix x = ball(800, 3, 1.0, 41);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-5)).fit(ard, x);
    assertTrue(relativeError(ard.matrix(x, x, DType.F64), h.operator().toDense()) <= 1e-5, h.toString());
  }

  /** A kink at r = 0 (exponential) needs a huge Chebyshev degree: the result says the tolerance was not reached. */
  @Test
  void saysWhenTheToleranceIsNotReached() {
    KernelFunction k = KernelFunction.isotropic(Kind.EXPONENTIAL, 0.3, 1.0);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-8)).fit(k, ball(300, 3, 1.0, 51));
    assertFalse(h.toleranceReached());
    HarmonicExpansion capped = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-4).withMaxRank(10))
        .fit(KernelFunction.isotropic(Kind.GAUSSIAN, 0.3, 1.0), ball(300, 3, 1.0, 52));
    assertFalse(capped.toleranceReached());
    assertTrue(capped.rank() <= 10);
  }

  @Test
  void rejectsLaplaceAndPointsOutsideTheBall() {
    Matrix x = ball(100, 3, 1.0, 61);
    HarmonicLowRank method = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-3));
    assertThrows(InvalidArgumentException.class, () -> method.fit(KernelFunction.isotropic(Kind.LAPLACE, 1, 1), x));
    HarmonicExpansion h = method.fit(KernelFunction.isotropic(Kind.GAUSSIAN, 1, 1), x);
    assertThrows(InvalidArgumentException.class, () -> h.features(ball(5, 3, 3.0, 62)));
    assertThrows(InvalidArgumentException.class, () -> new HarmonicLowRankOptions(0, 70, 10, 0));
  }

  /** Coincident points: K = κ(0)·11ᵀ, rank 1, to the tolerance (rtol·κ(0)). */
  @Test
  void coincidentPointsGiveRankOne() {
    Matrix x = Matrix.zeros(DType.F64, 50, 2);
    HarmonicExpansion h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(1e-6))
        .fit(KernelFunction.isotropic(Kind.MATERN_32, 1, 2.0), x);
    assertEquals(1, h.rank());
    assertEquals(2.0, h.operator().toDense().get(7, 30), 2e-6);
  }
}
