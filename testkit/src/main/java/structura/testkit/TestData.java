package structura.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Seeded test matrices embedded in larger arrays. Every element outside the view (before the
 * offset, in the gap between rows, after the end) holds a sentinel NaN with a recognisable bit
 * pattern: a kernel that reads outside its view poisons its result with NaN, and one that
 * writes outside it is caught by {@link #assertGuardsIntact}.
 */
public final class TestData {
  /** Sentinel NaN payloads; arithmetic yields the canonical NaN, so a written guard is detected. */
  public static final float GUARD_F32 = Float.intBitsToFloat(0x7fa0_1234);
  /** Sentinel NaN for F64 arrays. */
  public static final double GUARD_F64 = Double.longBitsToDouble(0x7ff4_0000_0000_1234L);

  /** How a view sits in its array. */
  public enum Layout {
    /** Offset 0, leading dimension = columns. */
    COMPACT,
    /** Offset 3, leading dimension = columns + 5, guards before, between and after. */
    PADDED
  }

  private TestData() {}

  /**
   * A seed that is the same in every JVM for the same case. {@code Objects.hash} is not: an
   * enum's hash code is its identity hash, so seeds built from it change from run to run and a
   * failure could not be reproduced. This hashes the parts' string forms instead.
   */
  public static long seed(Object... parts) {
    return java.util.Arrays.toString(parts).hashCode();
  }

  /** A view with uniform entries in [-1, 1) in an array guarded as {@code layout} says. */
  public static Matrix random(DType dtype, int rows, int cols, Layout layout, SplittableRandom rnd) {
    Matrix m = guarded(dtype, rows, cols, layout);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1.0, 1.0));
      }
    }
    return m;
  }

  /** A view whose own elements are NaN too, to check that {@code beta = 0} never reads C. */
  public static Matrix poisoned(DType dtype, int rows, int cols, Layout layout) {
    Matrix m = guarded(dtype, rows, cols, layout);
    m.fill(Double.NaN);
    return m;
  }

  /** A view filled with guards everywhere, elements included, ready to be set. */
  public static Matrix guarded(DType dtype, int rows, int cols, Layout layout) {
    int offset = layout == Layout.PADDED ? 3 : 0;
    int ld = layout == Layout.PADDED ? cols + 5 : Math.max(1, cols);
    int tail = layout == Layout.PADDED ? 7 : 0;
    int length = offset + (rows == 0 ? 0 : (rows - 1) * ld + cols) + tail;
    if (dtype == DType.F32) {
      float[] a = new float[length];
      java.util.Arrays.fill(a, GUARD_F32);
      return Matrix.wrap(a, offset, rows, cols, ld);
    }
    double[] a = new double[length];
    java.util.Arrays.fill(a, GUARD_F64);
    return Matrix.wrap(a, offset, rows, cols, ld);
  }

  /** A copy of the whole backing array with the same view on it (offset and leading dimension kept). */
  public static Matrix snapshot(Matrix m) {
    return m.dtype() == DType.F32
        ? Matrix.wrap(m.f32().clone(), m.offset(), m.rows(), m.cols(), m.ld())
        : Matrix.wrap(m.f64().clone(), m.offset(), m.rows(), m.cols(), m.ld());
  }

  /** Fails if any array element outside the view no longer holds its guard bits. */
  public static void assertGuardsIntact(String context, Matrix m) {
    int length = m.dtype() == DType.F32 ? m.f32().length : m.f64().length;
    for (int idx = 0; idx < length; idx++) {
      int rel = idx - m.offset();
      boolean inside = rel >= 0 && m.cols() > 0 && rel / m.ld() < m.rows() && rel % m.ld() < m.cols();
      if (inside) {
        continue;
      }
      boolean intact = m.dtype() == DType.F32
          ? Float.floatToRawIntBits(m.f32()[idx]) == Float.floatToRawIntBits(GUARD_F32)
          : Double.doubleToRawLongBits(m.f64()[idx]) == Double.doubleToRawLongBits(GUARD_F64);
      if (!intact) {
        fail(context + ": element " + idx + " outside the view " + m + " was written");
      }
    }
  }
}
