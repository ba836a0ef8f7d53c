package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link LaneSums} adds the lanes as the halving tree it documents, bit for bit, checked against
 * the same tree written with scalar adds on the lane values (values spread over many binades, so a
 * different order would round differently on most draws), and so gives the same bits on every run
 * whichever compiler runs it.
 */
class LaneSumsTest {
  private static final int DRAWS = 20_000;

  /** Σ x as the halving tree: x[i] += x[i + h] for h = L/2, …, 1, then x[0]. */
  private static double scalarTree(double[] x) {
    double[] t = x.clone();
    for (int h = t.length / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        t[i] = t[i] + t[i + h];
      }
    }
    return t[0];
  }

  private static float scalarTree(float[] x) {
    float[] t = x.clone();
    for (int h = t.length / 2; h >= 1; h /= 2) {
      for (int i = 0; i < h; i++) {
        t[i] = t[i] + t[i + h];
      }
    }
    return t[0];
  }

  @Test
  void floatSumIsTheHalvingTree() {
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = new float[Simd.FLOAT.length()];
    int leftToRightDiffers = 0;
    for (int d = 0; d < DRAWS; d++) {
      float leftToRight = 0;
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rnd.nextGaussian() * Math.exp(4 * rnd.nextGaussian()));
        leftToRight += x[i];
      }
      float got = LaneSums.sum(FloatVector.fromArray(Simd.FLOAT, x, 0));
      assertEquals(Float.floatToIntBits(scalarTree(x)), Float.floatToIntBits(got), "draw " + d);
      leftToRightDiffers += Float.floatToIntBits(leftToRight) != Float.floatToIntBits(got) ? 1 : 0;
    }
    // the data do tell the orders apart, so the equality above is a real check of the order
    if (x.length > 2) {
      assertEquals(true, leftToRightDiffers > DRAWS / 10, "left-to-right differed on " + leftToRightDiffers);
    }
  }

  @Test
  void doubleSumIsTheHalvingTree() {
    SplittableRandom rnd = new SplittableRandom(4);
    double[] x = new double[Simd.DOUBLE.length()];
    for (int d = 0; d < DRAWS; d++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextGaussian() * Math.exp(4 * rnd.nextGaussian());
      }
      double got = LaneSums.sum(DoubleVector.fromArray(Simd.DOUBLE, x, 0));
      assertEquals(Double.doubleToLongBits(scalarTree(x)), Double.doubleToLongBits(got), "draw " + d);
    }
  }
}
