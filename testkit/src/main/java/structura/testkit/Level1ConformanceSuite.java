package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.testkit.TestData.Layout;

/**
 * Dot, axpy and scale conformance on contiguous rows, strided columns and 2-D matrices with
 * padded rows, for lengths around the vector widths (0, 1, 7, 16, 17, 33, 100, 1000).
 */
public abstract class Level1ConformanceSuite extends BackendSuite {
  static final int[] LENGTHS = {0, 1, 7, 16, 17, 33, 100, 1000};

  /** Operand form. */
  public enum Form {
    /** 1×n contiguous views. */
    ROW,
    /** n×1 views with stride = leading dimension. */
    COLUMN,
    /** 3×n matrices with padded rows. */
    MATRIX
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (int n : LENGTHS) {
        for (Form f : Form.values()) {
          for (double alpha : new double[] {0, 1, -0.75}) {
            out.add(Arguments.of(dtype, n, f, alpha));
          }
        }
      }
    }
    return out.stream();
  }

  private static Matrix operand(DType dtype, int n, Form f, SplittableRandom rnd) {
    return switch (f) {
      case ROW -> TestData.random(dtype, 1, n, Layout.PADDED, rnd);
      case COLUMN -> TestData.random(dtype, n, 1, Layout.PADDED, rnd);
      case MATRIX -> TestData.random(dtype, 3, n, Layout.PADDED, rnd);
    };
  }

  @ParameterizedTest(name = "dot {0} n={1} {2}")
  @MethodSource("cases")
  void dotMatchesOracle(DType dtype, int n, Form f, double alpha) {
    long seed = TestData.seed("dot", dtype, n, f, alpha);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = operand(dtype, n, f, rnd);
    Matrix y = operand(dtype, n, f, rnd);
    double got = compute.dot(x, y);
    Oracle.Expected e = Oracle.dot(x, y);
    int k = (int) x.size();
    double allowed = Tolerances.accumulation(dtype, k) * e.bound(0, 0) + Double.MIN_NORMAL;
    assertEquals(e.value(0, 0), got, allowed, "dot " + dtype + " n=" + n + " " + f + " seed=" + seed);
  }

  @ParameterizedTest(name = "axpy {0} n={1} {2} alpha={3}")
  @MethodSource("cases")
  void axpyMatchesOracle(DType dtype, int n, Form f, double alpha) {
    long seed = TestData.seed("axpy", dtype, n, f, alpha);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = operand(dtype, n, f, rnd);
    Matrix y = operand(dtype, n, f, rnd);
    Matrix x0 = x.copy();
    Matrix y0 = y.copy();
    compute.axpy(alpha, x, y);
    String ctx = "axpy " + dtype + " n=" + n + " " + f + " alpha=" + alpha + " seed=" + seed;
    for (int i = 0; i < y.rows(); i++) {
      for (int j = 0; j < y.cols(); j++) {
        double want = alpha * x0.get(i, j) + y0.get(i, j);
        double allowed = 4 * dtype.unitRoundoff() * (Math.abs(alpha * x0.get(i, j)) + Math.abs(y0.get(i, j)));
        assertEquals(want, y.get(i, j), allowed, ctx + " at (" + i + ", " + j + ")");
      }
    }
    GemmConformanceSuite.assertUnchanged(ctx + " x", x0, x);
    TestData.assertGuardsIntact(ctx + " y", y);
  }

  @ParameterizedTest(name = "scale {0} n={1} {2} alpha={3}")
  @MethodSource("cases")
  void scaleMatchesOracle(DType dtype, int n, Form f, double alpha) {
    long seed = TestData.seed("scale", dtype, n, f, alpha);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix x = operand(dtype, n, f, rnd);
    Matrix x0 = x.copy();
    compute.scale(alpha, x);
    String ctx = "scale " + dtype + " n=" + n + " " + f + " alpha=" + alpha + " seed=" + seed;
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.cols(); j++) {
        double want = alpha * x0.get(i, j);
        assertEquals(want, x.get(i, j), 2 * dtype.unitRoundoff() * Math.abs(want), ctx + " at (" + i + ", " + j + ")");
      }
    }
    TestData.assertGuardsIntact(ctx + " x", x);
  }
}
