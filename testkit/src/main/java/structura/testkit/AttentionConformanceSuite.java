package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.testkit.TestData.Layout;

/**
 * Conformance of {@link structura.api.backend.Compute#attention} (fused attention, or its
 * composition from batched GEMM and softmax where the backend has none): the result must hold the
 * bits of {@link structura.api.backend.Compute#composedAttention} on the same backend, and lie
 * within a float tolerance of an oracle in double arithmetic written without GEMMs. Shapes cover one token, vector-width tails of the sequence
 * and of both head widths, multi-head, grouped-query and multi-query heads, causal masks, padded
 * keys, a sequence whose keys are all padded, MiniLM's 12 heads of 32 at 128 tokens, and a
 * sequence longer than a fused implementation is expected to take; Q, K and V are column blocks
 * of one stacked matrix (as the transformer's fused Q/K/V projection leaves them), O a padded
 * view whose guards must stay untouched.
 */
public abstract class AttentionConformanceSuite extends BackendSuite {
  /** batch, len, heads, kvHeads, headDim, valueDim. */
  private static final int[][] SHAPES = {
      {1, 1, 1, 1, 1, 1}, {2, 7, 3, 3, 5, 3}, {2, 17, 4, 2, 8, 9}, {3, 33, 2, 1, 16, 16}, {2, 128, 12, 12, 32, 32},
      {1, 130, 2, 2, 32, 20}, {2, 21, 6, 3, 17, 33}, {1, 600, 2, 1, 8, 8}};

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (int[] s : SHAPES) {
      for (boolean causal : new boolean[] {false, true}) {
        out.add(Arguments.of(s[0], s[1], s[2], s[3], s[4], s[5], causal, s[1] > 64 ? Layout.COMPACT : Layout.PADDED));
      }
    }
    return out.stream();
  }

  /** Inputs: Q, K, V as column blocks of one stacked matrix, a key mask with padded tails, and O. */
  private record Inputs(Matrix q, Matrix k, Matrix v, Matrix keyMask, int batch, int heads, int kvHeads) {
    static Inputs of(int batch, int len, int heads, int kvHeads, int dh, int dv, Layout layout, SplittableRandom rnd) {
      int n = batch * len;
      int qw = heads * dh;
      int kw = kvHeads * dh;
      int vw = kvHeads * dv;
      Matrix all = TestData.guarded(DType.F32, n, qw + kw + vw, layout);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < qw + kw + vw; j++) {
          // scores of a few units, so that the softmax is neither flat nor one-hot
          all.set(i, j, rnd.nextDouble(-1.5, 1.5));
        }
      }
      Matrix mask = TestData.guarded(DType.F32, batch, len, layout);
      for (int b = 0; b < batch; b++) {
        // sequence b has len − 3b real tokens (right padding); the third sequence none at all
        int real = b == 2 ? 0 : Math.max(1, len - 3 * b);
        for (int j = 0; j < len; j++) {
          mask.set(b, j, j < real ? 0 : -Float.MAX_VALUE);
        }
      }
      return new Inputs(all.view(0, 0, n, qw), all.view(0, qw, n, kw), all.view(0, qw + kw, n, vw), mask, batch, heads,
          kvHeads);
    }
  }

  @ParameterizedTest(name = "attention B={0} L={1} heads={2}/{3} dh={4} dv={5} causal={6}")
  @MethodSource("cases")
  void matchesTheComposedPathBitForBitAndTheOracle(int batch, int len, int heads, int kvHeads, int dh, int dv,
      boolean causal, Layout layout) {
    SplittableRandom rnd = new SplittableRandom(TestData.seed("attention", batch, len, heads, kvHeads, dh, dv, causal));
    Inputs in = Inputs.of(batch, len, heads, kvHeads, dh, dv, layout, rnd);
    double scale = 1 / Math.sqrt(dh);
    for (boolean masked : new boolean[] {true, false}) {
      Matrix mask = masked ? in.keyMask() : null;
      String ctx = "attention masked=" + masked;
      Matrix qBefore = TestData.snapshot(in.q());
      Matrix fused = TestData.poisoned(DType.F32, batch * len, heads * dv, layout);
      compute.attention(batch, heads, kvHeads, scale, causal, in.q(), in.k(), in.v(), mask, fused);
      TestData.assertGuardsIntact(ctx, fused);
      assertTrue(java.util.Arrays.equals(qBefore.f32(), in.q().f32()), ctx + " modified its inputs");
      Matrix composed = TestData.poisoned(DType.F32, batch * len, heads * dv, layout);
      compute.composedAttention(batch, heads, kvHeads, scale, causal, in.q(), in.k(), in.v(), mask, composed);
      assertSameBits(ctx + " against the composed path", fused, composed);
      assertClose(ctx, oracle(in, len, dh, dv, scale, causal, mask), fused, dh, len);
    }
  }

  /** softmax(scale·Q_h K_gᵀ + mask) V_g in double, per (sequence, head), without GEMMs. */
  private static double[][] oracle(Inputs in, int len, int dh, int dv, double scale, boolean causal, Matrix mask) {
    int group = in.heads() / in.kvHeads();
    double[][] out = new double[in.batch() * len][in.heads() * dv];
    for (int b = 0; b < in.batch(); b++) {
      for (int h = 0; h < in.heads(); h++) {
        int g = h / group;
        for (int i = 0; i < len; i++) {
          double[] z = new double[len];
          for (int j = 0; j < len; j++) {
            double s = 0;
            for (int p = 0; p < dh; p++) {
              s += in.q().get(b * len + i, h * dh + p) * in.k().get(b * len + j, g * dh + p);
            }
            double m = mask == null ? 0 : mask.get(b, j);
            z[j] = scale * s + (causal && j > i ? -Float.MAX_VALUE : m);
          }
          double max = Double.NEGATIVE_INFINITY;
          for (double zj : z) {
            max = Math.max(max, zj);
          }
          double denominator = 0;
          for (double zj : z) {
            denominator += Math.exp(zj - max);
          }
          for (int j = 0; j < len; j++) {
            double pj = Math.exp(z[j] - max) / denominator;
            for (int c = 0; c < dv; c++) {
              out[b * len + i][h * dv + c] += pj * in.v().get(b * len + j, g * dv + c);
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Float error: the scores carry about {@code dh·u} relative error, which the softmax turns into
   * an absolute error of the weights of a few times that; the outputs are convex combinations of
   * values in [−1.5, 1.5].
   */
  private static void assertClose(String ctx, double[][] expected, Matrix actual, int dh, int len) {
    double tol = 2e-6 * (8 + dh + Math.sqrt(len));
    for (int i = 0; i < actual.rows(); i++) {
      for (int j = 0; j < actual.cols(); j++) {
        double a = actual.get(i, j);
        if (!(Math.abs(a - expected[i][j]) <= tol)) {
          fail(ctx + ": element (" + i + ", " + j + ") is " + a + ", expected " + expected[i][j] + " (tolerance " + tol + ")");
        }
      }
    }
  }

  private static void assertSameBits(String ctx, Matrix a, Matrix b) {
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        int x = Float.floatToRawIntBits((float) a.get(i, j));
        int y = Float.floatToRawIntBits((float) b.get(i, j));
        if (x != y) {
          fail(ctx + ": element (" + i + ", " + j + ") is " + a.get(i, j) + " but " + b.get(i, j) + " composed");
        }
      }
    }
  }

  @Test
  void rejectsShapesThatDoNotFitTheLayout() {
    Matrix q = Matrix.zeros(DType.F32, 8, 12);
    Matrix k = Matrix.zeros(DType.F32, 8, 6);
    Matrix v = Matrix.zeros(DType.F32, 8, 6);
    Matrix o = Matrix.zeros(DType.F32, 8, 12);
    // 4 heads of 3 with 2 key/value heads: fine
    compute.attention(2, 4, 2, 1, false, q, k, v, null, o);
    assertThrows(InvalidArgumentException.class, () -> compute.attention(3, 4, 2, 1, false, q, k, v, null, o));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 4, 3, 1, false, q, k, v, null, o));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 5, 1, 1, false, q, k, v, null, o));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 4, 2, 1, false, q, k, v, null,
        Matrix.zeros(DType.F32, 8, 11)));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 4, 2, 1, false, q, k, v,
        Matrix.zeros(DType.F32, 2, 3), o));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 4, 2, 1, false, q, k, v, null, q));
    assertThrows(InvalidArgumentException.class, () -> compute.attention(2, 4, 2, 1, false, q, k, v, null,
        Matrix.zeros(DType.F64, 8, 12)));
  }
}
