package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.testkit.TestData.Layout;

/**
 * Conformance of the transformer elementwise routines (softmax with masks, GELU, SiLU, SwiGLU,
 * LayerNorm, RMSNorm, and the fused bias + GELU and bias + residual + LayerNorm, which must also
 * give the bits of the backend's own unfused composition) against an oracle written differently from any backend: softmax as
 * {@code 1 / Σ_k exp(z_k − z_j)}, erf by Simpson quadrature of {@code 2/√π·exp(−t²)}, norms by
 * two-pass double sums. Shapes cover 1×1, vector-width tails and padded layouts; the guard
 * elements around every view must stay untouched.
 */
public abstract class ElementwiseConformanceSuite extends BackendSuite {
  private static final int[][] SHAPES = {{1, 1}, {3, 7}, {5, 17}, {16, 33}, {2, 100}, {4, 129}};

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    for (int[] s : SHAPES) {
      for (Layout layout : Layout.values()) {
        out.add(Arguments.of(s[0], s[1], layout));
      }
    }
    return out.stream();
  }

  /** Scaled random input: entries uniform in [-scale, scale). */
  private static Matrix input(int m, int n, Layout layout, double scale, SplittableRandom rnd) {
    Matrix x = TestData.guarded(DType.F32, m, n, layout);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        x.set(i, j, rnd.nextDouble(-scale, scale));
      }
    }
    return x;
  }

  private static void assertClose(String ctx, double[][] expected, Matrix actual, double rel) {
    for (int i = 0; i < actual.rows(); i++) {
      for (int j = 0; j < actual.cols(); j++) {
        double e = expected[i][j];
        double a = actual.get(i, j);
        if (!(Math.abs(a - e) <= rel * (1 + Math.abs(e)))) {
          fail(ctx + ": element (" + i + ", " + j + ") is " + a + ", expected " + e);
        }
      }
    }
    TestData.assertGuardsIntact(ctx, actual);
  }

  private static double[][] values(Matrix x) {
    double[][] v = new double[x.rows()][x.cols()];
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.cols(); j++) {
        v[i][j] = x.get(i, j);
      }
    }
    return v;
  }

  /** erf by composite Simpson quadrature with 600 panels (error below 1e-10 for |x| ≤ 8). */
  static double erfOracle(double x) {
    double a = Math.min(Math.abs(x), 8);
    int panels = 600;
    double h = a / panels;
    double sum = 1 + Math.exp(-a * a);
    for (int k = 1; k < panels; k++) {
      double t = k * h;
      sum += (k % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
    }
    double r = sum * h / 3 * 2 / Math.sqrt(Math.PI);
    return Math.copySign(r, x);
  }

  @ParameterizedTest(name = "softmax {0}x{1} {2}")
  @MethodSource("shapes")
  void softmaxMatchesOracleWithAndWithoutMasks(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("softmax", m, n, layout));
    for (int maskKind = 0; maskKind < 3; maskKind++) {
      Matrix x = input(m, n, layout, 8, rnd);
      Matrix mask = maskKind == 0 ? null : TestData.guarded(DType.F32, maskKind == 1 ? 1 : m, n, layout);
      if (mask != null) {
        for (int i = 0; i < mask.rows(); i++) {
          for (int j = 0; j < n; j++) {
            // masked keys as HuggingFace does it, the rest a finite additive bias
            mask.set(i, j, rnd.nextInt(4) == 0 && j > 0 ? -Float.MAX_VALUE : rnd.nextDouble(-1, 1));
          }
        }
      }
      double alpha = 0.3;
      double[][] xv = values(x);
      double[][] expected = new double[m][n];
      for (int i = 0; i < m; i++) {
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
          z[j] = alpha * xv[i][j] + (mask == null ? 0 : mask.get(mask.rows() == 1 ? 0 : i, j));
        }
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            s += Math.exp(Math.max(-700, z[k] - z[j]));
          }
          expected[i][j] = 1 / s;
        }
      }
      compute.softmaxRows(alpha, x, mask);
      assertClose("softmax mask=" + maskKind, expected, x, 2e-6);
    }
  }

  @ParameterizedTest(name = "gelu/silu {0}x{1} {2}")
  @MethodSource("shapes")
  void activationsMatchOracle(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("act", m, n, layout));
    check("gelu", m, n, layout, rnd, v -> 0.5 * v * (1 + erfOracle(v / Math.sqrt(2))), compute::gelu);
    check("silu", m, n, layout, rnd, v -> v / (1 + Math.exp(-v)), compute::silu);
  }

  private static void check(String name, int m, int n, Layout layout, SplittableRandom rnd, DoubleUnaryOperator f,
      java.util.function.Consumer<Matrix> op) {
    Matrix x = input(m, n, layout, 6, rnd);
    double[][] expected = values(x);
    for (double[] row : expected) {
      for (int j = 0; j < row.length; j++) {
        row[j] = f.applyAsDouble(row[j]);
      }
    }
    op.accept(x);
    assertClose(name, expected, x, 2e-6);
  }

  @ParameterizedTest(name = "swiglu {0}x{1} {2}")
  @MethodSource("shapes")
  void swigluMatchesOracleAndLeavesUpAlone(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("swiglu", m, n, layout));
    Matrix gate = input(m, n, layout, 6, rnd);
    Matrix up = input(m, n, layout, 2, rnd);
    Matrix upBefore = TestData.snapshot(up);
    double[][] g = values(gate);
    double[][] u = values(up);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        g[i][j] = g[i][j] / (1 + Math.exp(-g[i][j])) * u[i][j];
      }
    }
    compute.swiglu(gate, up);
    assertClose("swiglu", g, gate, 2e-6);
    assertTrue(java.util.Arrays.equals(upBefore.f32(), up.f32()), "swiglu modified up");
  }

  @ParameterizedTest(name = "norms {0}x{1} {2}")
  @MethodSource("shapes")
  void normsMatchOracle(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("norm", m, n, layout));
    Matrix gamma = input(1, n, layout, 2, rnd);
    Matrix beta = input(1, n, layout, 1, rnd);
    double eps = 1e-5;
    for (boolean rms : new boolean[] {false, true}) {
      Matrix x = input(m, n, layout, 3, rnd);
      // a shifted row checks that the mean is removed before squaring (no one-pass variance)
      for (int j = 0; j < n; j++) {
        x.set(0, j, x.get(0, j) + 100);
      }
      double[][] v = values(x);
      for (double[] row : v) {
        double mean = 0;
        if (!rms) {
          for (double t : row) {
            mean += t;
          }
          mean /= n;
        }
        double ss = 0;
        for (double t : row) {
          ss += (t - mean) * (t - mean);
        }
        double inv = 1 / Math.sqrt(ss / n + eps);
        for (int j = 0; j < n; j++) {
          row[j] = (row[j] - mean) * inv * gamma.get(0, j) + (rms ? 0 : beta.get(0, j));
        }
      }
      if (rms) {
        compute.rmsNorm(x, gamma, eps);
      } else {
        compute.layerNorm(x, gamma, beta, eps);
      }
      assertClose(rms ? "rmsNorm" : "layerNorm", v, x, 1e-5);
    }
  }

  /** Fails unless a and b hold the same bits in every element of their views. */
  private static void assertSameBits(String ctx, Matrix a, Matrix b) {
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        int x = Float.floatToIntBits((float) a.get(i, j));
        int y = Float.floatToIntBits((float) b.get(i, j));
        if (x != y) {
          fail(ctx + ": element (" + i + ", " + j + ") is " + a.get(i, j) + " fused but " + b.get(i, j) + " unfused");
        }
      }
    }
  }

  /** {@code x_ij ← fl(x_ij + bias_j)} (float addition, as the fused routines round it), bias may be null. */
  private static void addBiasInFloat(Matrix x, Matrix bias) {
    for (int i = 0; i < x.rows() && bias != null; i++) {
      for (int j = 0; j < x.cols(); j++) {
        x.set(i, j, (float) x.get(i, j) + (float) bias.get(0, j));
      }
    }
  }

  @ParameterizedTest(name = "biasGelu {0}x{1} {2}")
  @MethodSource("shapes")
  void biasGeluMatchesOracleAndTheUnfusedComposition(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("biasGelu", m, n, layout));
    Matrix x = input(m, n, layout, 6, rnd);
    Matrix bias = input(1, n, layout, 1, rnd);
    Matrix biasBefore = TestData.snapshot(bias);
    Matrix unfused = TestData.snapshot(x);
    Matrix reference = TestData.snapshot(x);
    addBiasInFloat(unfused, bias);
    addBiasInFloat(reference, bias);
    double[][] expected = values(unfused);
    for (double[] row : expected) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 0.5 * row[j] * (1 + erfOracle(row[j] / Math.sqrt(2)));
      }
    }
    compute.biasGelu(x, bias);
    assertClose("biasGelu", expected, x, 2e-6);
    compute.gelu(unfused);
    assertSameBits("biasGelu against bias add + this backend's gelu", x, unfused);
    Compute.reference().gelu(reference);
    assertClose("biasGelu against bias add + the reference gelu", values(reference), x, 2e-6);
    assertTrue(java.util.Arrays.equals(biasBefore.f32(), bias.f32()), "biasGelu modified the bias");
  }

  @ParameterizedTest(name = "addLayerNorm {0}x{1} {2}")
  @MethodSource("shapes")
  void addLayerNormMatchesOracleAndTheUnfusedComposition(int m, int n, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("addLayerNorm", m, n, layout));
    Matrix gamma = input(1, n, layout, 2, rnd);
    Matrix beta = input(1, n, layout, 1, rnd);
    double eps = 1e-5;
    for (boolean withBias : new boolean[] {false, true}) {
      Matrix x = input(m, n, layout, 3, rnd);
      Matrix r = input(m, n, layout, 3, rnd);
      Matrix bias = withBias ? input(1, n, layout, 1, rnd) : null;
      // a shifted residual row checks that the mean of the sum is removed before squaring
      for (int j = 0; j < n; j++) {
        r.set(0, j, r.get(0, j) + 100);
      }
      Matrix rBefore = TestData.snapshot(r);
      Matrix unfused = TestData.snapshot(x);
      addBiasInFloat(unfused, bias);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          unfused.set(i, j, (float) unfused.get(i, j) + (float) r.get(i, j));
        }
      }
      Matrix reference = TestData.snapshot(unfused);
      double[][] v = values(unfused);
      for (double[] row : v) {
        double mean = 0;
        for (double t : row) {
          mean += t;
        }
        mean /= n;
        double ss = 0;
        for (double t : row) {
          ss += (t - mean) * (t - mean);
        }
        double inv = 1 / Math.sqrt(ss / n + eps);
        for (int j = 0; j < n; j++) {
          row[j] = (row[j] - mean) * inv * gamma.get(0, j) + beta.get(0, j);
        }
      }
      String ctx = "addLayerNorm bias=" + withBias;
      compute.addLayerNorm(x, bias, r, gamma, beta, eps);
      assertClose(ctx, v, x, 1e-5);
      compute.layerNorm(unfused, gamma, beta, eps);
      assertSameBits(ctx + " against bias + residual adds and this backend's layerNorm", x, unfused);
      Compute.reference().layerNorm(reference, gamma, beta, eps);
      assertClose(ctx + " against the reference layerNorm", values(reference), x, 1e-5);
      assertTrue(java.util.Arrays.equals(rBefore.f32(), r.f32()), "addLayerNorm modified the residual");
    }
  }

  @Test
  void rejectsMismatchedShapesAndF64() {
    Matrix x = Matrix.zeros(DType.F32, 2, 3);
    assertThrows(InvalidArgumentException.class, () -> compute.softmaxRows(1, x, Matrix.zeros(DType.F32, 2, 4)));
    assertThrows(InvalidArgumentException.class, () -> compute.layerNorm(x, Matrix.zeros(DType.F32, 1, 2),
        Matrix.zeros(DType.F32, 1, 3), 1e-5));
    assertThrows(InvalidArgumentException.class, () -> compute.gelu(Matrix.zeros(DType.F64, 2, 2)));
    assertThrows(InvalidArgumentException.class, () -> compute.swiglu(x, x));
    Matrix row = Matrix.zeros(DType.F32, 1, 3);
    assertThrows(InvalidArgumentException.class, () -> compute.biasGelu(x, Matrix.zeros(DType.F32, 1, 2)));
    assertThrows(InvalidArgumentException.class, () -> compute.addLayerNorm(x, null, Matrix.zeros(DType.F32, 3, 3), row, row, 1e-5));
    assertThrows(InvalidArgumentException.class, () -> compute.addLayerNorm(x, null, x, row, row, 1e-5));
    assertThrows(InvalidArgumentException.class,
        () -> compute.addLayerNorm(x, Matrix.zeros(DType.F32, 2, 3), Matrix.zeros(DType.F32, 2, 3), row, row, 1e-5));
  }
}
