package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The polynomial exp of the fused kernel blocks ({@link F32Exp}) against {@code Math.pow}/{@code
 * Math.exp} in F64, over the whole argument range the kernels use: the documented bounds (2^y
 * within 2.5·10⁻⁷ relative on [−125, 0]; exp(x) within 1.2·10⁻⁷·(|x| + 2) relative on [−86, 0]),
 * the clamp below, and that exact powers of two come out exact.
 */
class F32ExpTest {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final int L = S.length();

  @Test
  void exp2IsWithinTwoAndAHalfTenthsOfAMillionthOnItsWholeRange() {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] y = new float[1 << 16];
    for (int i = 0; i < y.length; i++) {
      // a dense sweep of [−125, 0] plus uniform random points, both ends included
      y[i] = i < y.length / 2 ? -125f * i / (y.length / 2 - 1) : (float) rnd.nextDouble(-125, 0);
    }
    y[1] = 0f;
    y[2] = -0.5f;
    y[3] = -124.5f;
    float[] out = apply(y, true);
    double worst = 0;
    for (int i = 0; i < y.length; i++) {
      double exact = Math.pow(2, y[i]);
      worst = Math.max(worst, Math.abs(out[i] - exact) / exact);
    }
    assertTrue(worst <= 2.5e-7, "max relative error of 2^y on [-125, 0]: " + worst);
    assertTrue(worst > 0, "a polynomial cannot be exact everywhere: is the test comparing the right thing?");
  }

  @Test
  void expErrorGrowsOnlyWithTheArgumentsOwnRounding() {
    SplittableRandom rnd = new SplittableRandom(2);
    float[] x = new float[1 << 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-86, 0);
    }
    float[] out = apply(x, false);
    for (int i = 0; i < x.length; i++) {
      double exact = Math.exp(x[i]);
      double allowed = 1.2e-7 * (Math.abs(x[i]) + 2);
      double err = Math.abs(out[i] - exact) / exact;
      assertTrue(err <= allowed, "exp(" + x[i] + "): relative error " + err + " > " + allowed);
    }
  }

  @Test
  void powersOfTwoAreExactAndTheClampHoldsBelow() {
    float[] y = new float[2 * L];
    for (int i = 0; i < y.length; i++) {
      y[i] = -i;
    }
    float[] out = apply(y, true);
    for (int i = 0; i < y.length; i++) {
      assertEquals(Math.scalb(1f, -i), out[i], "2^" + (-i));
    }
    float[] deep = new float[L];
    java.util.Arrays.fill(deep, -1000f);
    deep[0] = Float.NEGATIVE_INFINITY;
    for (float v : apply(deep, true)) {
      assertEquals(Math.scalb(1f, -125), v, "below the clamp");
    }
  }

  /** 2^y (exp2) or exp(y) lane-wise through the vector code, in chunks of the species length. */
  private static float[] apply(float[] in, boolean exp2) {
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i += L) {
      FloatVector v = FloatVector.fromArray(S, in, i);
      (exp2 ? F32Exp.exp2NonPositive(v) : F32Exp.expNonPositive(v)).intoArray(out, i);
    }
    return out;
  }
}
