package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.testkit.BackendSuite;

/**
 * Accuracy of the vector backend's own exp and erf on dense grids, against {@link Math#exp}
 * and a double-precision erf, and bit-equality of the vector lanes with the scalar tail
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
  void erfIsWithinOneTenthMicroAbsoluteAndVectorEqualsScalar() {
    float[] xs = grid(-7f, 7f, 400_003);
    float[] r = both(xs, F32Elementwise::erf, v -> F32Elementwise.erf((float) v), "erf");
    double worst = 0;
    for (int i = 0; i < xs.length; i++) {
      worst = Math.max(worst, Math.abs(r[i] - erf(xs[i])));
    }
    assertTrue(worst < 1e-7, "erf worst absolute error " + worst);
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
