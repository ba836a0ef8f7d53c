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
import structura.api.backend.Transpose;
import structura.testkit.TestData.Layout;

/**
 * GEMV conformance: dtype × transpose × alpha × beta × shapes × vector form (contiguous rows,
 * or strided columns of a padded matrix), against the {@link Oracle} and the reference backend.
 */
public abstract class GemvConformanceSuite extends BackendSuite {
  static final int[][] SHAPES = {{0, 0}, {0, 3}, {3, 0}, {1, 1}, {1, 9}, {9, 1}, {7, 13}, {33, 17}, {64, 65}, {200, 129}};

  /** How x and y are laid out. */
  public enum VectorForm {
    /** 1×n views, stride 1. */
    ROW,
    /** n×1 views of a padded matrix, stride = its leading dimension. */
    COLUMN
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (Transpose t : Transpose.values()) {
        for (double alpha : new double[] {0, 1, -0.75}) {
          for (double beta : new double[] {0, 1, 0.5}) {
            for (int[] s : SHAPES) {
              for (VectorForm f : VectorForm.values()) {
                out.add(Arguments.of(dtype, t, alpha, beta, s[0], s[1], f));
              }
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} alpha={2} beta={3} {4}x{5} {6}")
  @MethodSource("cases")
  void matchesOracleAndReference(DType dtype, Transpose t, double alpha, double beta, int m, int n, VectorForm form) {
    long seed = TestData.seed(dtype, t, alpha, beta, m, n, form);
    SplittableRandom rnd = new SplittableRandom(seed);
    Layout layout = form == VectorForm.COLUMN ? Layout.PADDED : Layout.COMPACT;
    Matrix a = TestData.random(dtype, m, n, layout, rnd);
    int xLen = t.transposed() ? m : n;
    int yLen = t.transposed() ? n : m;
    Matrix x = vector(dtype, xLen, form, rnd, false);
    Matrix y = vector(dtype, yLen, form, rnd, beta == 0);
    Matrix a0 = a.copy();
    Matrix x0 = x.copy();
    Matrix y0 = y.copy();
    Matrix yRef = y.copy();
    Matrix yHost = host(y, form);
    Matrix yHost0 = yHost.copy();
    String ctx = "gemv " + dtype + " " + t + " alpha=" + alpha + " beta=" + beta + " " + m + "x" + n + " " + form + " seed=" + seed;

    compute.gemv(t, alpha, a, x, beta, y);

    double tol = Tolerances.accumulation(dtype, t.transposed() ? m : n);
    Oracle.Expected expected = Oracle.gemv(t, alpha, a0, x0, beta, y0);
    Tolerances.assertClose(ctx + " vs oracle", expected, y, tol);
    Compute.reference().gemv(t, alpha, a0, x0, beta, yRef);
    Tolerances.assertClose(ctx + " vs reference backend", GemmConformanceSuite.asExpected(yRef, expected), y, 2 * tol);
    GemmConformanceSuite.assertUnchanged(ctx + " A", a0, a);
    GemmConformanceSuite.assertUnchanged(ctx + " x", x0, x);
    TestData.assertGuardsIntact(ctx + " A", a);
    TestData.assertGuardsIntact(ctx + " y", yHost);
    for (int i = 0; i < yHost.rows(); i++) {
      for (int j = 0; j < yHost.cols(); j++) {
        if (yHost != y && j != 1) {
          org.junit.jupiter.api.Assertions.assertEquals(yHost0.get(i, j), yHost.get(i, j), 0.0,
              ctx + " element next to y written at (" + i + ", " + j + ")");
        }
      }
    }
  }

  /** The whole padded matrix whose column 1 is y, or y itself for row vectors. */
  private static Matrix host(Matrix y, VectorForm form) {
    if (form == VectorForm.ROW || y.rows() == 0) {
      return y;
    }
    return y.dtype() == DType.F32
        ? Matrix.wrap(y.f32(), y.offset() - 1, y.rows(), 3, y.ld())
        : Matrix.wrap(y.f64(), y.offset() - 1, y.rows(), 3, y.ld());
  }

  private static Matrix vector(DType dtype, int len, VectorForm form, SplittableRandom rnd, boolean poisoned) {
    if (form == VectorForm.ROW) {
      return poisoned ? TestData.poisoned(dtype, 1, len, Layout.PADDED) : TestData.random(dtype, 1, len, Layout.PADDED, rnd);
    }
    // column 1 of a len x 3 padded matrix: stride = ld, neighbours are data, not guards
    Matrix host = TestData.random(dtype, len, 3, Layout.PADDED, rnd);
    Matrix col = host.column(1);
    if (poisoned) {
      col.fill(Double.NaN);
    }
    return col;
  }
}
