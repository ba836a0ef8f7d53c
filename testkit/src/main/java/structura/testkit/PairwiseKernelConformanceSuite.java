package structura.testkit;

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
import structura.api.backend.RadialKernel;
import structura.testkit.TestData.Layout;

/**
 * Kernel-matrix product conformance ({@code Compute.kernelMultiply}): F32 and F64 × every
 * {@link RadialKernel.Kind} × beta × shapes (single points, primes, tails of the vector width,
 * long source lists, 1..16 right-hand sides) × layouts, against the {@link Oracle} and the
 * reference backend. Some sources coincide with targets, so r = 0 (and LAPLACE's 0 there) is
 * exercised; inputs must be left unchanged and guards intact.
 */
public abstract class PairwiseKernelConformanceSuite extends BackendSuite {
  // m targets, n sources, d dimension, k vectors
  static final int[][] SHAPES = {{1, 1, 1, 1}, {1, 9, 3, 1}, {7, 13, 3, 1}, {33, 65, 2, 5}, {17, 100, 5, 16}, {5, 1031, 3, 2},
      {70, 37, 1, 3}, {129, 257, 3, 4}, {16, 16, 4, 8}};

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    double[] betas = {0, 1, 0.5};
    for (DType dtype : DType.values()) {
      for (RadialKernel.Kind kind : RadialKernel.Kind.values()) {
        for (int bi = 0; bi < betas.length; bi++) {
          for (int si = 0; si < SHAPES.length; si++) {
            Layout layout = (si + bi + kind.ordinal()) % 2 == 0 ? Layout.COMPACT : Layout.PADDED;
            int[] s = SHAPES[si];
            out.add(Arguments.of(dtype, kind, betas[bi], s[0], s[1], s[2], s[3], layout));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} beta={2} m={3} n={4} d={5} k={6} {7}")
  @MethodSource("cases")
  void matchesOracle(DType dtype, RadialKernel.Kind kind, double beta, int m, int n, int d, int k, Layout layout) {
    long seed = TestData.seed(dtype, kind, beta, m, n, d, k, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    RadialKernel kernel = new RadialKernel(kind, 0.5 + rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble());
    // points spread over a few lengthscales, so the kernels range from ~1 down to ~1e-3
    Matrix x = points(dtype, m, d, layout, rnd);
    Matrix y = points(dtype, n, d, layout, rnd);
    for (int j = 0; j < Math.min(m, n); j += 3) {
      for (int t = 0; t < d; t++) {
        y.set(j, t, x.get(j, t));  // coincident pairs: r = 0 exactly
      }
    }
    Matrix v = TestData.random(dtype, n, k, layout, rnd);
    Matrix o = beta == 0 ? TestData.poisoned(dtype, m, k, layout) : TestData.random(dtype, m, k, layout, rnd);
    Matrix x0 = TestData.snapshot(x);
    Matrix y0 = TestData.snapshot(y);
    Matrix v0 = TestData.snapshot(v);
    Matrix o0 = TestData.snapshot(o);
    Matrix oRef = TestData.snapshot(o);
    String ctx = "kernelMultiply " + dtype + " " + kernel + " beta=" + beta + " m=" + m + " n=" + n + " d=" + d + " k=" + k + " "
        + layout + " seed=" + seed;

    compute.kernelMultiply(kernel, x, y, v, beta, o);

    double tol = Tolerances.accumulation(dtype, n + 2 * d + 8);
    Oracle.Expected expected = Oracle.kernelMultiply(kernel, x0, y0, v0, beta, o0);
    Tolerances.assertClose(ctx + " vs oracle", expected, o, tol);
    Compute.reference().kernelMultiply(kernel, x0, y0, v0, beta, oRef);
    Tolerances.assertClose(ctx + " vs reference backend", GemmConformanceSuite.asExpected(oRef, expected), o, 2 * tol);
    GemmConformanceSuite.assertUnchanged(ctx + " X", x0, x);
    GemmConformanceSuite.assertUnchanged(ctx + " Y", y0, y);
    GemmConformanceSuite.assertUnchanged(ctx + " V", v0, v);
    TestData.assertGuardsIntact(ctx + " X", x);
    TestData.assertGuardsIntact(ctx + " V", v);
    TestData.assertGuardsIntact(ctx + " O", o);
  }

  private static Matrix points(DType dtype, int rows, int d, Layout layout, SplittableRandom rnd) {
    Matrix p = TestData.guarded(dtype, rows, d, layout);
    for (int i = 0; i < rows; i++) {
      for (int t = 0; t < d; t++) {
        p.set(i, t, rnd.nextDouble(-1.5, 1.5));
      }
    }
    return p;
  }
}
