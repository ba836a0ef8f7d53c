package structura.testkit;

import static org.junit.jupiter.api.Assertions.fail;

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
 * Gram / symmetric rank-k update conformance: F32, F64 and F32 input with F64 accumulation ×
 * transpose × alpha × beta × shapes × layouts, against the {@link Oracle} and the reference
 * backend, and bit-exact symmetry of the result.
 */
public abstract class GramConformanceSuite extends BackendSuite {
  // n, k; {19, 3500}: a small Gram from a long depth (the SIMD backend splits it along k)
  static final int[][] SHAPES = {{0, 0}, {0, 3}, {3, 0}, {1, 1}, {1, 7}, {7, 1}, {5, 13}, {17, 16}, {33, 65}, {64, 100}, {130, 47},
      {19, 3500}};

  /** Input and accumulation precision. */
  public enum Precision {
    /** F32 in, F32 out. */
    F32(DType.F32, DType.F32),
    /** F64 in, F64 out. */
    F64(DType.F64, DType.F64),
    /** F32 in, F64 products and accumulation. */
    F32_TO_F64(DType.F32, DType.F64);

    final DType input;
    final DType output;

    Precision(DType input, DType output) {
      this.input = input;
      this.output = output;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    double[] alphas = {0, 1, -0.75};
    double[] betas = {0, 1, 0.5};
    for (Precision p : Precision.values()) {
      for (Transpose t : Transpose.values()) {
        for (int ai = 0; ai < alphas.length; ai++) {
          for (int bi = 0; bi < betas.length; bi++) {
            for (int si = 0; si < SHAPES.length; si++) {
              Layout layout = (si + ai + bi) % 2 == 0 ? Layout.COMPACT : Layout.PADDED;
              out.add(Arguments.of(p, t, alphas[ai], betas[bi], SHAPES[si][0], SHAPES[si][1], layout));
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} alpha={2} beta={3} n={4} k={5} {6}")
  @MethodSource("cases")
  void matchesOracleAndIsSymmetric(Precision p, Transpose t, double alpha, double beta, int n, int k, Layout layout) {
    long seed = TestData.seed(p, t, alpha, beta, n, k, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix a = t.transposed() ? TestData.random(p.input, k, n, layout, rnd) : TestData.random(p.input, n, k, layout, rnd);
    Matrix c = beta == 0 ? TestData.poisoned(p.output, n, n, layout) : symmetricRandom(p.output, n, layout, rnd);
    Matrix a0 = a.copy();
    Matrix c0 = c.copy();
    Matrix cRef = c.copy();
    String ctx = "gram " + p + " " + t + " alpha=" + alpha + " beta=" + beta + " n=" + n + " k=" + k + " " + layout + " seed=" + seed;

    compute.gram(t, alpha, a, beta, c);

    double tol = Tolerances.accumulation(p.output, k);
    Oracle.Expected expected = Oracle.gram(t, alpha, a0, beta, c0);
    Tolerances.assertClose(ctx + " vs oracle", expected, c, tol);
    Compute.reference().gram(t, alpha, a0, beta, cRef);
    Tolerances.assertClose(ctx + " vs reference backend", GemmConformanceSuite.asExpected(cRef, expected), c, 2 * tol);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if (Double.doubleToRawLongBits(c.get(i, j)) != Double.doubleToRawLongBits(c.get(j, i))) {
          fail(ctx + ": result not exactly symmetric at (" + i + ", " + j + "): " + c.get(i, j) + " vs " + c.get(j, i));
        }
      }
    }
    GemmConformanceSuite.assertUnchanged(ctx + " A", a0, a);
    TestData.assertGuardsIntact(ctx + " A", a);
    TestData.assertGuardsIntact(ctx + " C", c);
  }

  private static Matrix symmetricRandom(DType dtype, int n, Layout layout, SplittableRandom rnd) {
    Matrix c = TestData.guarded(dtype, n, n, layout);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = rnd.nextDouble(-1, 1);
        c.set(i, j, v);
        c.set(j, i, v);
      }
    }
    return c;
  }
}
