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
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.testkit.TestData.Layout;

/**
 * GEMM conformance: every dtype × transpose pair × alpha ∈ {0, 1, −0.75} × beta ∈ {0, 1, 0.5}
 * × shapes (empty, 1, primes, non-multiples of 8 and 16, tall, wide) × compact and padded
 * layouts, against the {@link Oracle} and against the reference backend. Also checks that
 * inputs are unchanged, nothing outside C is written, and beta = 0 never reads C.
 * Extend it and implement {@link #provider()}.
 */
public abstract class GemmConformanceSuite extends BackendSuite {
  /** m, n, k. */
  public record Shape(int m, int n, int k) {
    @Override
    public String toString() {
      return m + "x" + n + "x" + k;
    }
  }

  static final List<Shape> SHAPES = List.of(
      new Shape(0, 0, 0), new Shape(0, 5, 3), new Shape(4, 0, 3), new Shape(3, 4, 0),
      new Shape(1, 1, 1), new Shape(1, 7, 1), new Shape(7, 1, 13), new Shape(2, 3, 5),
      new Shape(13, 17, 11), new Shape(31, 29, 37), new Shape(33, 17, 65), new Shape(17, 33, 16),
      new Shape(64, 64, 64), new Shape(129, 5, 7), new Shape(5, 129, 9));

  // depths around the SIMD backend's F32 K block (KC = 384): 300 in one block, 400 in two; a
  // small C from a long depth (the SIMD backend splits such products along k, from k = 2048)
  static final List<Shape> LARGE_SHAPES = List.of(new Shape(130, 257, 300), new Shape(261, 67, 129), new Shape(67, 45, 400),
      new Shape(21, 13, 3500));

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    double[] alphas = {0, 1, -0.75};
    double[] betas = {0, 1, 0.5};
    for (DType dtype : DType.values()) {
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          for (int ai = 0; ai < alphas.length; ai++) {
            for (int bi = 0; bi < betas.length; bi++) {
              for (int si = 0; si < SHAPES.size(); si++) {
                Layout layout = (si + ai + bi) % 2 == 0 ? Layout.COMPACT : Layout.PADDED;
                out.add(Arguments.of(dtype, ta, tb, alphas[ai], betas[bi], SHAPES.get(si), layout));
              }
            }
          }
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> largeCases() {
    List<Arguments> out = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          for (Shape s : LARGE_SHAPES) {
            out.add(Arguments.of(dtype, ta, tb, 1.25, 0.5, s, Layout.PADDED));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}{2} alpha={3} beta={4} {5} {6}")
  @MethodSource("cases")
  void matchesOracleAndReference(DType dtype, Transpose ta, Transpose tb, double alpha, double beta, Shape s, Layout layout) {
    check(dtype, ta, tb, alpha, beta, s, layout);
  }

  @ParameterizedTest(name = "{0} {1}{2} {5}")
  @MethodSource("largeCases")
  void matchesOracleOnBlockedSizes(DType dtype, Transpose ta, Transpose tb, double alpha, double beta, Shape s, Layout layout) {
    check(dtype, ta, tb, alpha, beta, s, layout);
  }

  private void check(DType dtype, Transpose ta, Transpose tb, double alpha, double beta, Shape s, Layout layout) {
    long seed = TestData.seed(dtype, ta, tb, alpha, beta, s, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix a = ta.transposed()
        ? TestData.random(dtype, s.k(), s.m(), layout, rnd) : TestData.random(dtype, s.m(), s.k(), layout, rnd);
    Matrix b = tb.transposed()
        ? TestData.random(dtype, s.n(), s.k(), layout, rnd) : TestData.random(dtype, s.k(), s.n(), layout, rnd);
    Matrix c = beta == 0
        ? TestData.poisoned(dtype, s.m(), s.n(), layout) : TestData.random(dtype, s.m(), s.n(), layout, rnd);
    Matrix a0 = a.copy();
    Matrix b0 = b.copy();
    Matrix c0 = c.copy();
    Matrix cRef = c.copy();
    String ctx = "gemm " + dtype + " " + ta + tb + " alpha=" + alpha + " beta=" + beta + " " + s + " " + layout + " seed=" + seed;

    compute.gemm(ta, tb, alpha, a, b, beta, c);

    double tol = Tolerances.accumulation(dtype, s.k());
    Oracle.Expected expected = Oracle.gemm(ta, tb, alpha, a0, b0, beta, c0);
    Tolerances.assertClose(ctx + " vs oracle", expected, c, tol);
    Compute.reference().gemm(ta, tb, alpha, a0, b0, beta, cRef);
    Tolerances.assertClose(ctx + " vs reference backend", asExpected(cRef, expected), c, 2 * tol);
    assertUnchanged(ctx + " A", a0, a);
    assertUnchanged(ctx + " B", b0, b);
    TestData.assertGuardsIntact(ctx + " A", a);
    TestData.assertGuardsIntact(ctx + " B", b);
    TestData.assertGuardsIntact(ctx + " C", c);
  }

  /** The reference result as an expectation with the oracle's bounds. */
  static Oracle.Expected asExpected(Matrix values, Oracle.Expected bounds) {
    double[] v = new double[bounds.rows() * bounds.cols()];
    boolean vector = bounds.cols() == 1 && (values.rows() == 1 || values.cols() == 1);
    for (int i = 0; i < bounds.rows(); i++) {
      for (int j = 0; j < bounds.cols(); j++) {
        v[i * bounds.cols() + j] = vector ? Oracle.entry(values, i) : values.get(i, j);
      }
    }
    return new Oracle.Expected(bounds.rows(), bounds.cols(), v, bounds.bound());
  }

  static void assertUnchanged(String ctx, Matrix before, Matrix after) {
    for (int i = 0; i < before.rows(); i++) {
      for (int j = 0; j < before.cols(); j++) {
        assertEquals(before.get(i, j), after.get(i, j), 0.0, ctx + " input modified at (" + i + ", " + j + ")");
      }
    }
  }
}
