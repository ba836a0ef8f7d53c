package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import structura.api.backend.RadialKernel;

/**
 * The dot-product form of the F32 Gaussian product ({@link F32GaussianDotForm},
 * {@link F32GaussianDotBlock}): when it is chosen, and that every kernel value it computes is
 * within the documented worst case 6.9·u·A + 2.8·u·r·√(κA) (u = 2⁻²⁴, A = max κ‖p − c‖², r the
 * pair's distance) plus the polynomial's 2.5·10⁻⁷ of the F64 formula, on data at the limit A ≈ {@value F32GaussianDotForm#MAX_A} where
 * the cancellation is largest. Entries are read one at a time: with v the j-th unit vector the
 * product is column j of K.
 */
class F32GaussianDotFormTest {
  private static final double U = 0x1p-24;
  private static final double KAPPA = 1.4426950408889634 / 2;

  @Test
  void isChosenOnlyWhereItsErrorBoundHolds() {
    int n = 2000;
    float[] cube = points(n, 3, 5f, 1);  // the unit cube at lengthscale 0.2: A ≤ 13.5
    assertNotNull(prepare(n, 3, cube, cube), "unit cube at lengthscale 0.2");
    float[] wide = points(n, 3, 6.7f, 2);  // side 6.7: A up to 3·3.35²·κ ≈ 24
    assertNull(prepare(n, 3, wide, wide), "A above the limit keeps the difference form");
    float[] far = cube.clone();
    far[0] = 1000f;  // one far point is enough: the bound is on the largest ‖p − c‖
    assertNull(prepare(n, 3, far, far), "one outlier keeps the difference form");
    assertNull(prepare(n, 4, points(n, 4, 1f, 3), points(n, 4, 1f, 3)), "d > 3 keeps the difference form");
    assertNull(prepare(F32GaussianDotForm.MIN_SOURCES - 1, 3, cube, cube), "too few sources keep the difference form");
    float[] nan = cube.clone();
    nan[5] = Float.NaN;
    assertNull(prepare(n, 3, nan, nan), "non-finite coordinates keep the difference form");
    // translation does not matter: only the spread does
    float[] shifted = cube.clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] += 100f;
    }
    assertNotNull(prepare(n, 3, shifted, shifted), "the same cloud moved away from the origin");
  }

  @ParameterizedTest(name = "d={0} symmetric={1}")
  @CsvSource({"3,false", "3,true", "2,false", "1,true"})
  void everyValueIsWithinTheDocumentedBoundAtTheLimit(int d, boolean symmetric) {
    int n = 160;  // ten symmetric row tiles: the symmetric path is taken
    // half the points on the sphere ‖p − c‖² = MAX_A/κ (largest cancellation), half in tight
    // pairs near it (kernel values near 1, where a relative error shows most)
    // (a little inside: the bounding-box centre is not exactly the sphere's)
    double radius = Math.sqrt(F32GaussianDotForm.MAX_A / KAPPA) * 0.97;
    SplittableRandom rnd = new SplittableRandom(17 + d);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      double[] dir = new double[d];
      double norm = 0;
      for (int t = 0; t < d; t++) {
        dir[t] = rnd.nextGaussian();
        norm += dir[t] * dir[t];
      }
      double r = i % 2 == 0 ? radius : radius * (1 - 0.05 * rnd.nextDouble());
      for (int t = 0; t < d; t++) {
        x[i * d + t] = (float) (dir[t] / Math.sqrt(norm) * r + 3.0);  // centred at 3, not 0
      }
    }
    float[] y = symmetric ? x : x.clone();
    assertNotNull(prepare(n, d, x, y), "these points must take the dot form");
    // A as the routine sees it: about the bounding-box centre
    float[] centre = new float[d];
    for (int t = 0; t < d; t++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, x[i * d + t]);
        hi = Math.max(hi, x[i * d + t]);
      }
      centre[t] = (float) ((lo + hi) / 2);
    }
    double a = 0;
    for (int i = 0; i < n; i++) {
      double r2 = 0;
      for (int t = 0; t < d; t++) {
        double e = x[i * d + t] - centre[t];
        r2 += e * e;
      }
      a = Math.max(a, KAPPA * r2);
    }
    assertTrue(a > 0.85 * F32GaussianDotForm.MAX_A, "the data must be near the limit: A = " + a);
    // the form's cancellation, the centred points' rounding (∝ r, as the difference form's), the
    // polynomial, 2^(a_i) and the scaling by σ²
    double formBound = 6.9 * U * a + 2.5e-7 + 4 * U;
    RadialKernel kernel = RadialKernel.of(RadialKernel.Kind.GAUSSIAN, 1.3);
    double worst = 0;
    double sumOfErrors = 0;
    try (Parallel parallel = new Parallel(2)) {
      F32PairwiseKernel routine = new F32PairwiseKernel(parallel);
      float[] v = new float[n];
      float[] o = new float[n];
      for (int j = 0; j < n; j++) {
        java.util.Arrays.fill(v, 0f);
        v[j] = 1f;
        routine.multiply(kernel, n, n, d, 1, x, 0, d, y, 0, d, v, 0, 1, 0f, o, 0, 1);
        for (int i = 0; i < n; i++) {
          double r2 = 0;
          for (int t = 0; t < d; t++) {
            double diff = (double) x[i * d + t] - y[j * d + t];
            r2 += diff * diff;
          }
          double exact = kernel.ofSquaredDistance(r2);
          double err = Math.abs(o[i] - exact) / exact;
          double bound = formBound + 2.8 * U * Math.sqrt(r2) * Math.sqrt(KAPPA * a);
          worst = Math.max(worst, err / bound);
          sumOfErrors += err;
        }
      }
    }
    assertTrue(worst <= 1, "largest relative error of a kernel value in units of its bound: " + worst + " (A = " + a + ")");
    // a bound that is never approached would not test the form: the cancellation must show
    assertTrue(sumOfErrors / ((double) n * n) > 4 * U, "mean relative error " + sumOfErrors / ((double) n * n));
  }

  @Test
  void givesTheSameBitsForOneTwoAndThreeThreads() {
    int n = 1501;
    float[] x = points(n, 3, 5f, 9);
    float[] v = points(n, 1, 2f, 10);
    RadialKernel kernel = RadialKernel.of(RadialKernel.Kind.GAUSSIAN, 0.7);
    assertNotNull(prepare(n, 3, x, x));
    float[][] general = new float[3][];
    float[][] symmetric = new float[3][];
    float[] targets = x.clone();
    for (int threads = 1; threads <= 3; threads++) {
      try (Parallel parallel = new Parallel(threads)) {
        F32PairwiseKernel routine = new F32PairwiseKernel(parallel);
        general[threads - 1] = new float[n];
        symmetric[threads - 1] = new float[n];
        routine.multiply(kernel, n, n, 3, 1, targets, 0, 3, x, 0, 3, v, 0, 1, 0f, general[threads - 1], 0, 1);
        routine.multiply(kernel, n, n, 3, 1, x, 0, 3, x, 0, 3, v, 0, 1, 0f, symmetric[threads - 1], 0, 1);
      }
    }
    for (int t = 1; t < 3; t++) {
      assertArrayEquals(general[0], general[t], 0f, "general path, " + (t + 1) + " threads");
      assertArrayEquals(symmetric[0], symmetric[t], 0f, "symmetric path, " + (t + 1) + " threads");
    }
  }

  @Test
  void twoToTheIsAccurateFarBeyondF32() {
    double worst = 0;
    for (int i = 0; i <= 100_000; i++) {
      double a = -17.0 * i / 100_000;
      worst = Math.max(worst, Math.abs(F32GaussianDotForm.twoToThe(a) / Math.pow(2, a) - 1));
    }
    assertTrue(worst < 1e-14, "largest relative error of 2^a on [-17, 0]: " + worst);
    assertTrue(F32GaussianDotForm.twoToThe(-3) == 0.125, "powers of two are exact");
  }

  private static F32GaussianDotForm prepare(int n, int d, float[] x, float[] y) {
    int nPad = (n + Simd.FLOAT.length() - 1) / Simd.FLOAT.length() * Simd.FLOAT.length();
    return F32GaussianDotForm.prepareIfAccurate(n, n, nPad, d, x, 0, d, y, 0, d);
  }

  /** n points with coordinates uniform in [−side/2, side/2) + 0.5·side. */
  private static float[] points(int n, int d, float side, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] p = new float[n * d];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (rnd.nextDouble() * side);
    }
    return p;
  }
}
