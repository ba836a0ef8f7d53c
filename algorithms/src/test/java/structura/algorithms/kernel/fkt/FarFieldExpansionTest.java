package structura.algorithms.kernel.fkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.backend.RadialKernel;
import structura.api.backend.RadialKernel.Kind;

/**
 * The far-field expansion of one (target, source) pair against the kernel formula: the
 * truncation error falls like (r′/r)^(p+1) in every dimension and for every kernel, and the
 * pieces (harmonic counts, Taylor coefficients, zonal addition theorem) are what the math says.
 */
class FarFieldExpansionTest {

  /** Σ over the features of o(x)·G⁻¹·s(x′): the expansion's value of κ(‖x − x′‖). */
  private static double expanded(FarFieldExpansion e, double[] target, double[] source, double[] center) {
    int m = e.size();
    FarFieldExpansion.Workspace w = e.workspace();
    e.sourceFeatures(source, 0, center, 0, w);
    double[] moments = w.features.clone();
    e.toWeights(moments, 1, new double[m]);
    e.targetFeatures(target, 0, center, 0, w);
    double s = 0;
    for (int f = 0; f < m; f++) {
      s += w.features[f] * moments[f];
    }
    return s;
  }

  private static double[] randomUnit(SplittableRandom rnd, int d, double radius) {
    double[] u = new double[d];
    double norm = 0;
    for (int t = 0; t < d; t++) {
      u[t] = rnd.nextGaussian();
      norm += u[t] * u[t];
    }
    norm = Math.sqrt(norm);
    for (int t = 0; t < d; t++) {
      u[t] *= radius / norm;
    }
    return u;
  }

  private static double worstError(RadialKernel kernel, int d, int p, double ratio, double r) {
    FarFieldExpansion e = new FarFieldExpansion(kernel, d, p, 3);
    SplittableRandom rnd = new SplittableRandom(11 + d);
    double[] center = new double[d];
    double worst = 0;
    for (int trial = 0; trial < 40; trial++) {
      double[] x = randomUnit(rnd, d, r);
      double[] y = randomUnit(rnd, d, ratio * r * (0.5 + 0.5 * rnd.nextDouble()));
      double r2 = 0;
      for (int t = 0; t < d; t++) {
        r2 += (x[t] - y[t]) * (x[t] - y[t]);
      }
      double exact = kernel.ofSquaredDistance(r2);
      worst = Math.max(worst, Math.abs(expanded(e, x, y, center) - exact) / Math.abs(exact));
    }
    return worst;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void cauchyErrorFallsGeometricallyWithTheOrderInEveryDimension(int d) {
    // The paper repository's own expansion check: Cauchy 1/(1 + r²) at r = 2, r′ ≤ 1 (ratio 1/2).
    RadialKernel cauchy = RadialKernel.of(Kind.CAUCHY, 1);
    double previous = Double.POSITIVE_INFINITY;
    int maxOrder = d <= 4 ? 12 : 8;
    for (int p = 2; p <= maxOrder; p += 2) {
      double err = worstError(cauchy, d, p, 0.5, 2);
      // Predicted: about (r′/r)^(p+1) = 2^−(p+1) times a slowly growing factor; allow 4× slack.
      assertTrue(err <= 4 * Math.pow(0.5, p + 1) * (p + 1), "d=" + d + " p=" + p + " error " + err);
      assertTrue(err < previous, "d=" + d + " p=" + p + " error " + err + " did not fall from " + previous);
      previous = err;
    }
    assertTrue(previous < (d <= 4 ? 1e-3 : 2e-2), "p=" + maxOrder + " error " + previous);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyKernelReachesTenDigitsAtWideSeparation(Kind kind) {
    RadialKernel kernel = kind == Kind.RATIONAL_QUADRATIC ? new RadialKernel(kind, 1.7, 0.8) : RadialKernel.of(kind, 1.7);
    for (int d : new int[] {2, 3}) {
      double coarse = worstError(kernel, d, 4, 0.2, 1.5);
      double fine = worstError(kernel, d, 14, 0.2, 1.5);
      assertTrue(fine < 1e-9, kind + " d=" + d + " p=14 error " + fine);
      assertTrue(fine < 1e-3 * coarse, kind + " d=" + d + " p=4 error " + coarse + ", p=14 error " + fine);
    }
  }

  @Test
  void featureCountIsTheBinomialAndHarmonicCountsMatchTheFormula() {
    int[][] table = {{2, 4, 15}, {3, 4, 35}, {3, 8, 165}, {4, 6, 210}, {5, 5, 252}, {1, 6, 7}};
    for (int[] row : table) {
      assertEquals(row[2], new FarFieldExpansion(RadialKernel.of(Kind.GAUSSIAN, 1), row[0], row[1], 0).size(),
          "d=" + row[0] + " p=" + row[1]);
    }
    assertEquals(1, ZonalHarmonics.harmonicCount(3, 0));
    assertEquals(5, ZonalHarmonics.harmonicCount(3, 2));   // 2k + 1 on the 2-sphere
    assertEquals(2, ZonalHarmonics.harmonicCount(2, 7));   // cos 7φ, sin 7φ
    assertEquals(16, ZonalHarmonics.harmonicCount(4, 3));  // (k + 1)² on S³
  }

  @Test
  void zonalAdditionTheoremIsExact() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int d = 2; d <= 5; d++) {
      ZonalHarmonics z = new ZonalHarmonics(d, 9, 1);
      int dirs = z.directionCount();
      double[] zx = new double[(z.order() + 1) * dirs];
      double[] zy = new double[(z.order() + 1) * dirs];
      for (int trial = 0; trial < 10; trial++) {
        double[] x = randomUnit(rnd, d, 1);
        double[] y = randomUnit(rnd, d, 1);
        z.evaluate(x, 0, zx);
        z.evaluate(y, 0, zy);
        double t = 0;
        for (int i = 0; i < d; i++) {
          t += x[i] * y[i];
        }
        for (int k = 0; k <= z.order(); k++) {
          int[] piv = z.pivots(k);
          double[] ginv = z.gramInverse(k);
          double s = 0;
          for (int a = 0; a < piv.length; a++) {
            for (int b = 0; b < piv.length; b++) {
              s += zx[k * dirs + piv[a]] * ginv[a * piv.length + b] * zy[k * dirs + piv[b]];
            }
          }
          double want = z.zonal(k, t);
          assertEquals(want, s, 1e-9 * Math.max(1, z.zonal(k, 1)), "d=" + d + " k=" + k);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void radialTaylorCoefficientsMatchFiniteDifferences(Kind kind) {
    RadialKernel kernel = kind == Kind.RATIONAL_QUADRATIC ? new RadialKernel(kind, 1.3, 2.5) : RadialKernel.of(kind, 1.3);
    double s0 = 1.7;
    int p = 3;
    double[] g = new double[p + 1];
    RadialTaylor.coefficients(kernel, s0, p, g, new double[3 * (p + 1)]);
    double h = 1e-3;
    double f0 = kernel.ofSquaredDistance(s0);
    double fp = kernel.ofSquaredDistance(s0 + h);
    double fm = kernel.ofSquaredDistance(s0 - h);
    double fpp = kernel.ofSquaredDistance(s0 + 2 * h);
    double fmm = kernel.ofSquaredDistance(s0 - 2 * h);
    assertEquals(f0, g[0], 1e-14);
    assertEquals((fp - fm) / (2 * h), g[1], 1e-6);
    assertEquals((fp - 2 * f0 + fm) / (h * h) / 2, g[2], 1e-5);
    assertEquals((fpp - 2 * fp + 2 * fm - fmm) / (2 * h * h * h) / 6, g[3], 1e-4);
  }
}
