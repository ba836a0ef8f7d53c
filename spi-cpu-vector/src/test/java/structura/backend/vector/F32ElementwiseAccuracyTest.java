package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.testkit.BackendSuite;

/**
 * Accuracy of the vector backend's own exp and GELU ({@link F32Gelu}) on dense grids, against
 * {@link Math#exp} and a double-precision erf, and bit-equality of the vector lanes with the scalar tail
 * versions (an element must not change with its position in the row).
 */
class F32ElementwiseAccuracyTest {
  private static final int L = Simd.FLOAT.length();

  @BeforeAll
  static void available() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
  }

  /** Runs the vector and the scalar version over {@code xs} and returns the vector results (checking equality). */
  private static float[] both(float[] xs, java.util.function.UnaryOperator<FloatVector> vec,
      java.util.function.DoubleUnaryOperator scalar, String name) {
    float[] out = new float[xs.length];
    int body = Simd.FLOAT.loopBound(xs.length);
    for (int j = 0; j < body; j += L) {
      vec.apply(FloatVector.fromArray(Simd.FLOAT, xs, j)).intoArray(out, j);
    }
    for (int j = 0; j < xs.length; j++) {
      float s = (float) scalar.applyAsDouble(xs[j]);
      if (j < body) {
        assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(out[j]), name + "(" + xs[j] + "): vector " + out[j] + ", scalar " + s);
      } else {
        out[j] = s;
      }
    }
    return out;
  }

  private static float[] grid(float lo, float hi, int count) {
    float[] xs = new float[count];
    for (int i = 0; i < count; i++) {
      xs[i] = lo + (hi - lo) * i / (count - 1);
    }
    return xs;
  }

  @Test
  void expIsWithinTwoUlpsAndVectorEqualsScalar() {
    float[] xs = grid(-87f, 88f, 400_003);
    float[] e = both(xs, F32Elementwise::exp, v -> F32Elementwise.exp((float) v), "exp");
    double worst = 0;
    for (int i = 0; i < xs.length; i++) {
      float ref = (float) Math.exp(xs[i]);
      worst = Math.max(worst, Math.abs(e[i] - ref) / Math.ulp(ref));
    }
    assertTrue(worst <= 2, "exp worst error " + worst + " ulp");
    float[] edge = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1000f, -87.5f, 0f, -0f, Float.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] ee = both(edge, F32Elementwise::exp, v -> F32Elementwise.exp((float) v), "exp");
    assertEquals(0f, ee[0]);
    assertEquals(0f, ee[1]);
    assertEquals(0f, ee[2]);
    assertEquals(0f, ee[3]);
    assertEquals(1f, ee[4]);
    assertEquals(1f, ee[5]);
    assertTrue(Float.isNaN(ee[6]), "exp(NaN) is NaN");
  }

  @Test
  void geluIsWithinFourTenthsMicroAbsoluteAndTailsMatchBodies() {
    float[] xs = grid(-12f, 12f, 800_003);
    float[] g = xs.clone();
    F32Gelu.geluInPlace(g, 0, g.length);
    double worstAbs = 0;
    double worstUlpNearZero = 0;
    double worstUlpAboveOne = 0;
    double worstNegative = 0;
    for (int i = 0; i < xs.length; i++) {
      double ref = 0.5 * xs[i] * (1 + erf(xs[i] / Math.sqrt(2)));
      double d = Math.abs(g[i] - ref);
      worstAbs = Math.max(worstAbs, d);
      if (xs[i] >= 1) {
        worstUlpAboveOne = Math.max(worstUlpAboveOne, d / Math.ulp((float) ref));
      } else if (xs[i] >= -1) {
        worstUlpNearZero = ref == 0 ? worstUlpNearZero : Math.max(worstUlpNearZero, d / Math.ulp((float) ref));
      } else {
        worstNegative = Math.max(worstNegative, d);
      }
    }
    // measured 3.8e-7, 1.8 ulp, 4.3 ulp and 6.2e-8
    assertTrue(worstAbs < 4e-7, "gelu worst absolute error " + worstAbs);
    assertTrue(worstUlpAboveOne < 2, "gelu worst error for x >= 1: " + worstUlpAboveOne + " ulp");
    assertTrue(worstUlpNearZero < 5, "gelu worst error for -1 <= x < 1: " + worstUlpNearZero + " ulp");
    assertTrue(worstNegative < 1e-7, "gelu worst absolute error for x < -1: " + worstNegative);
    // the same values at every position of a row: bodies, masked tails, and rows of every length
    for (int len = 1; len <= 3 * L + 1; len++) {
      for (int shift = 0; shift < 2; shift++) {
        float[] row = new float[len + shift];
        for (int j = 0; j < len; j++) {
          row[shift + j] = xs[(j * 7919 + len) % xs.length];
        }
        F32Gelu.geluInPlace(row, shift, len);
        for (int j = 0; j < len; j++) {
          int k = (j * 7919 + len) % xs.length;
          assertEquals(Float.floatToIntBits(g[k]), Float.floatToIntBits(row[shift + j]), "gelu(" + xs[k] + ") in a row of " + len);
        }
      }
    }
    float[] edge = {0f, -0f, 6f, -6f, 100f, -100f, Float.NaN, Float.POSITIVE_INFINITY};
    F32Gelu.geluInPlace(edge, 0, edge.length);
    assertEquals(0f, edge[0]);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(edge[1]));
    assertEquals(6f, edge[2], 1e-6f);
    assertEquals(0f, edge[3], 1e-8f);
    assertEquals(100f, edge[4]);
    assertEquals(0f, edge[5], 1e-30f);
    assertTrue(Float.isNaN(edge[6]), "gelu(NaN) is NaN");
    assertEquals(Float.POSITIVE_INFINITY, edge[7]);
  }

  @Test
  void biasGeluIsGeluOfTheFloatSum() {
    float[] xs = grid(-6f, 6f, 1_003);
    float[] bias = grid(-1f, 1f, 1_003);
    float[] fused = xs.clone();
    F32Gelu.biasGeluInPlace(fused, 0, fused.length, bias, 0);
    float[] unfused = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      unfused[i] = xs[i] + bias[i];
    }
    F32Gelu.geluInPlace(unfused, 0, unfused.length);
    for (int i = 0; i < xs.length; i++) {
      assertEquals(Float.floatToIntBits(unfused[i]), Float.floatToIntBits(fused[i]), "element " + i);
    }
  }

  /** erf in double by its Maclaurin series (|x| < 3) or 1 − erfc continued fraction, error far below float. */
  private static double erf(double x) {
    double a = Math.abs(x);
    double r;
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int k = 1; k < 200 && Math.abs(term) > 1e-20; k++) {
        term *= -a * a / k;
        sum += term / (2 * k + 1);
      }
      r = sum * 2 / Math.sqrt(Math.PI);
    } else {
      // erfc(a) = exp(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), evaluated bottom-up
      double f = a;
      for (int k = 60; k >= 1; k--) {
        f = a + k * 0.5 / f;
      }
      r = 1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
    }
    return Math.copySign(r, x);
  }
}
