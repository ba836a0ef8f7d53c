package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMM's variants that must not change a bit: row-major A read in place
 * ({@code kernel4Rows}, no packing; MR = 4 only) and the grouped tile order of short-depth blocks
 * ({@code panelGroup}), each on and off, against the packed, ungrouped order of before: ragged
 * last row panels (m not a multiple of MR), several MC and KC blocks, few and many B panels
 * (around {@code DIRECT_A_MAX_PANELS}), several panel groups (k = 64, n = 520), beta ≠ 0,
 * lowerOnly, a depth split, on 1 and 2 threads. Also a transposed A (ta = T, packed step by step
 * as MR-lane vectors, the Gram's operand) against its explicit transpose (ta = N): the packed
 * panels, and so the bits, must be the same. The oracle checks of the same code paths are in
 * {@link MicroKernelEdgeTest} and the conformance kit; here the variants are held to each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GemmVariantsBitIdentityTest {
  private Parallel one;
  private Parallel two;

  @BeforeAll
  void open() {
    one = new Parallel(1);
    two = new Parallel(2);
  }

  @AfterAll
  void close() {
    one.close();
    two.close();
  }

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    int mr = F32Gemm.MR;
    int[][] mnk = {{mr + 1, 5, 3}, {23, 2 * F32Gemm.NR + 1, 37}, {101, 16 * F64Gemm.NR + 3, 50},
        {150, 16 * F32Gemm.NR, 200}, {33, 33, 2 * F32Gemm.SPLIT_CHUNK_DEPTH + 5}, {96, 300, 40}, {130, 520, 64}};
    for (int[] s : mnk) {
      for (boolean tb : new boolean[] {false, true}) {
        for (boolean lowerOnly : new boolean[] {false, true}) {
          if (!lowerOnly || s[0] == s[1]) {
            out.add(Arguments.of(s[0], s[1], s[2], tb, lowerOnly));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}x{1}x{2} tb={3} lowerOnly={4}")
  @MethodSource("shapes")
  void f32VariantsAreBitIdenticalToPackedUngrouped(int m, int n, int k, boolean tb, boolean lowerOnly) {
    SplittableRandom rnd = new SplittableRandom(41L * m + 7L * n + k);
    int lda = k + 5;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 3;
    float[] a = new float[m * lda];
    float[] b = new float[(tb ? n : k) * ldb];
    float[] c0 = new float[m * ldc];
    fill(rnd, a, b, c0);
    for (Parallel p : List.of(one, two)) {
      for (int[] blocks : new int[][] {{12, 16, 2 * F32Gemm.NR + 1}, {144, 384, 3072}}) {
        float[][] out = new float[4][];
        for (int v = 0; v < 4; v++) {
          F32Gemm engine = new F32Gemm(p, blocks[0], blocks[1], blocks[2]);
          engine.directA = (v & 1) == 1;
          engine.groupBytes = v < 2 ? 0 : F32Gemm.GROUP_BYTES;
          out[v] = c0.clone();
          engine.gemm(false, tb, m, n, k, -1.25f, a, 1, lda, b, 0, ldb, 0.5f, out[v], 0, ldc, lowerOnly, true);
        }
        String ctx = m + "x" + n + "x" + k + " tb=" + tb + " threads " + p.threads() + " blocks " + Arrays.toString(blocks);
        for (int v = 1; v < 4; v++) {
          assertArrayEquals(out[0], out[v], ctx + " variant " + v);
        }
        assertFalse(Arrays.equals(c0, out[0]), ctx + ": C was written");
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1}x{2} tb={3} lowerOnly={4}")
  @MethodSource("shapes")
  void f64VariantsAreBitIdenticalToPackedUngrouped(int m, int n, int k, boolean tb, boolean lowerOnly) {
    SplittableRandom rnd = new SplittableRandom(43L * m + 5L * n + k);
    int lda = k + 1;
    int ldb = (tb ? k : n) + 4;
    int ldc = n + 1;
    double[] a = new double[m * lda + 2];
    double[] b = new double[(tb ? n : k) * ldb];
    double[] c0 = new double[m * ldc];
    fill(rnd, a, b, c0);
    for (Parallel p : List.of(one, two)) {
      for (int[] blocks : new int[][] {{12, 16, 2 * F64Gemm.NR + 1}, {96, 384, 1536}}) {
        double[][] out = new double[4][];
        for (int v = 0; v < 4; v++) {
          F64Gemm engine = new F64Gemm(p, blocks[0], blocks[1], blocks[2]);
          engine.directA = (v & 1) == 1;
          engine.groupBytes = v < 2 ? 0 : F64Gemm.GROUP_BYTES;
          out[v] = c0.clone();
          engine.gemm(false, tb, m, n, k, -1.25, a, 2, lda, b, 0, ldb, 0.5, out[v], 0, ldc, lowerOnly, true);
        }
        String ctx = m + "x" + n + "x" + k + " tb=" + tb + " threads " + p.threads() + " blocks " + Arrays.toString(blocks);
        for (int v = 1; v < 4; v++) {
          assertArrayEquals(out[0], out[v], ctx + " variant " + v);
        }
        assertFalse(Arrays.equals(c0, out[0]), ctx + ": C was written");
      }
    }
  }
  @ParameterizedTest(name = "{0}x{1}x{2} tb={3} lowerOnly={4}")
  @MethodSource("shapes")
  void f32TransposedAIsBitIdenticalToItsExplicitTranspose(int m, int n, int k, boolean tb, boolean lowerOnly) {
    SplittableRandom rnd = new SplittableRandom(47L * m + 3L * n + k);
    int ldat = m + 3;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 1;
    float[] at = new float[k * ldat + 1];
    float[] b = new float[(tb ? n : k) * ldb];
    float[] c0 = new float[m * ldc];
    fill(rnd, at, b, c0);
    float[] a = transpose(at, 1, ldat, k, m);
    for (Parallel p : List.of(one, two)) {
      for (int[] blocks : new int[][] {{12, 16, 2 * F32Gemm.NR + 1}, {144, 384, 3072}}) {
        F32Gemm engine = new F32Gemm(p, blocks[0], blocks[1], blocks[2]);
        engine.directA = false;
        float[] viaT = c0.clone();
        float[] viaN = c0.clone();
        engine.gemm(true, tb, m, n, k, 0.75f, at, 1, ldat, b, 0, ldb, -0.5f, viaT, 0, ldc, lowerOnly, true);
        engine.gemm(false, tb, m, n, k, 0.75f, a, 0, k, b, 0, ldb, -0.5f, viaN, 0, ldc, lowerOnly, true);
        String ctx = m + "x" + n + "x" + k + " tb=" + tb + " threads " + p.threads() + " blocks " + Arrays.toString(blocks);
        assertArrayEquals(viaN, viaT, ctx);
        assertFalse(Arrays.equals(c0, viaT), ctx + ": C was written");
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1}x{2} tb={3} lowerOnly={4}")
  @MethodSource("shapes")
  void f64TransposedAIsBitIdenticalToItsExplicitTranspose(int m, int n, int k, boolean tb, boolean lowerOnly) {
    SplittableRandom rnd = new SplittableRandom(53L * m + 11L * n + k);
    int ldat = m + 2;
    int ldb = (tb ? k : n) + 1;
    int ldc = n + 2;
    double[] at = new double[k * ldat];
    double[] b = new double[(tb ? n : k) * ldb];
    double[] c0 = new double[m * ldc];
    fill(rnd, at, b, c0);
    double[] a = transpose(at, 0, ldat, k, m);
    for (Parallel p : List.of(one, two)) {
      for (int[] blocks : new int[][] {{12, 16, 2 * F64Gemm.NR + 1}, {144, 384, 1536}}) {
        F64Gemm engine = new F64Gemm(p, blocks[0], blocks[1], blocks[2]);
        engine.directA = false;
        double[] viaT = c0.clone();
        double[] viaN = c0.clone();
        engine.gemm(true, tb, m, n, k, 0.75, at, 0, ldat, b, 0, ldb, -0.5, viaT, 0, ldc, lowerOnly, true);
        engine.gemm(false, tb, m, n, k, 0.75, a, 0, k, b, 0, ldb, -0.5, viaN, 0, ldc, lowerOnly, true);
        String ctx = m + "x" + n + "x" + k + " tb=" + tb + " threads " + p.threads() + " blocks " + Arrays.toString(blocks);
        assertArrayEquals(viaN, viaT, ctx);
        assertFalse(Arrays.equals(c0, viaT), ctx + ": C was written");
      }
    }
  }

  /** Fills the arrays, one after the other, with uniform values in [−1, 1). */
  private static void fill(SplittableRandom rnd, float[]... xs) {
    for (float[] x : xs) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-1, 1);
      }
    }
  }

  private static void fill(SplittableRandom rnd, double[]... xs) {
    for (double[] x : xs) {
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextDouble(-1, 1);
      }
    }
  }

  /** The m × k transpose (ld k) of the k × m block at {@code at[off]} with leading dimension ldat. */
  private static float[] transpose(float[] at, int off, int ldat, int k, int m) {
    float[] a = new float[m * k];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        a[i * k + p] = at[off + p * ldat + i];
      }
    }
    return a;
  }

  private static double[] transpose(double[] at, int off, int ldat, int k, int m) {
    double[] a = new double[m * k];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        a[i * k + p] = at[off + p * ldat + i];
      }
    }
    return a;
  }
}
