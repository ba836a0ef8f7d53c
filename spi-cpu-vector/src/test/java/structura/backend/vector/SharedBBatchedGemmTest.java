package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.testkit.BackendSuite;
import structura.testkit.Oracle;
import structura.testkit.TestData;
import structura.testkit.Tolerances;

/**
 * A batch whose items share B (stride 0) packs B once ({@code F32Gemm.gemmSharedB}): each C_p
 * must carry exactly the bits of the item computed alone by {@code gemm}, at block edges (small
 * MC, KC, NC so that several NC and KC blocks and ragged tiles occur), with depth-split items
 * (k ≥ 2·SPLIT_CHUNK_DEPTH), all transposes and beta ≠ 0; and it must match the oracle through
 * {@link Compute#batchedGemm}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedBBatchedGemmTest {
  static final int MC = 12;
  static final int KC = 16;

  private Parallel two;
  private Compute compute;

  @BeforeAll
  void open() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    two = new Parallel(2);
    compute = Compute.of(VectorBackendConformanceTest.vector().open(BackendConfig.builder().strict(true).threads(2)
        .build()), true);
  }

  @AfterAll
  void close() {
    two.close();
    compute.close();
  }

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    int mr = F32Gemm.MR;
    // m, n, k: ragged register tiles, several KC and NC blocks, a depth split (k ≥ 2048).
    int[][] mnk = {{mr - 1, 3, 1}, {MC + 1, 2 * F32Gemm.NR + 3, 3 * KC + 5}, {2 * MC + mr + 1, F64Gemm.NR - 1, KC},
        {13, F32Gemm.NR + 5, 2 * F32Gemm.SPLIT_CHUNK_DEPTH + 3 * KC + 7}, {64, 64, 2 * F32Gemm.SPLIT_CHUNK_DEPTH + 1}};
    for (int[] s : mnk) {
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          out.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}{1} {2}x{3}x{4}")
  @MethodSource("shapes")
  void f32ItemsAreBitIdenticalToSeparateProducts(Transpose ta, Transpose tb, int m, int n, int k) {
    int batch = 3;
    int lda = (ta.transposed() ? m : k) + 3;
    int ldb = (tb.transposed() ? k : n) + 1;
    int ldc = n + 2;
    int strideA = (ta.transposed() ? k : m) * lda;
    int strideC = m * ldc;
    SplittableRandom rnd = new SplittableRandom(m * 1009L + n * 31L + k);
    float[] a = new float[batch * strideA];
    float[] b = new float[(tb.transposed() ? n : k) * ldb];
    float[] c0 = new float[batch * strideC];
    fill(a, rnd);
    fill(b, rnd);
    fill(c0, rnd);
    boolean t = ta.transposed();
    boolean u = tb.transposed();
    for (int nc : new int[] {2 * F32Gemm.NR + 1, 3072}) {
      F32Gemm engine = new F32Gemm(two, MC, nc == 3072 ? 384 : KC, nc);
      float[] expected = c0.clone();
      for (int p = 0; p < batch; p++) {
        engine.gemm(t, u, m, n, k, -1.25f, a, p * strideA, lda, b, 0, ldb, 0.5f, expected, p * strideC, ldc, false,
            false);
      }
      float[] actual = c0.clone();
      assertTrue(engine.gemmSharedB(t, u, m, n, k, -1.25f, a, 0, lda, strideA, b, 0, ldb, 0.5f, actual, 0, ldc,
          strideC, batch, true), "the shared-B path ran");
      assertArrayEquals(expected, actual, "F32 " + ta + tb + " " + m + "x" + n + "x" + k + " NC " + nc);
    }
  }

  @ParameterizedTest(name = "{0}{1} {2}x{3}x{4}")
  @MethodSource("shapes")
  void f64ItemsAreBitIdenticalToSeparateProducts(Transpose ta, Transpose tb, int m, int n, int k) {
    int batch = 3;
    int lda = (ta.transposed() ? m : k) + 1;
    int ldb = (tb.transposed() ? k : n) + 3;
    int ldc = n + 1;
    int strideA = (ta.transposed() ? k : m) * lda;
    int strideC = m * ldc;
    SplittableRandom rnd = new SplittableRandom(m * 1013L + n * 37L + k);
    double[] a = new double[batch * strideA];
    double[] b = new double[(tb.transposed() ? n : k) * ldb];
    double[] c0 = new double[batch * strideC];
    fill(a, rnd);
    fill(b, rnd);
    fill(c0, rnd);
    boolean t = ta.transposed();
    boolean u = tb.transposed();
    for (int nc : new int[] {2 * F64Gemm.NR + 1, 1536}) {
      F64Gemm engine = new F64Gemm(two, MC, nc == 1536 ? 384 : KC, nc);
      double[] expected = c0.clone();
      for (int p = 0; p < batch; p++) {
        engine.gemm(t, u, m, n, k, -1.25, a, p * strideA, lda, b, 0, ldb, 0.5, expected, p * strideC, ldc, false,
            false);
      }
      double[] actual = c0.clone();
      assertTrue(engine.gemmSharedB(t, u, m, n, k, -1.25, a, 0, lda, strideA, b, 0, ldb, 0.5, actual, 0, ldc,
          strideC, batch, true), "the shared-B path ran");
      assertArrayEquals(expected, actual, "F64 " + ta + tb + " " + m + "x" + n + "x" + k + " NC " + nc);
    }
  }

  /** The shapes but the last (64×64 from depth 2049), which the compensated oracle would take seconds over. */
  static Stream<Arguments> oracleShapes() {
    return shapes().filter(s -> (int) s.get()[2] != 64);
  }

  @ParameterizedTest(name = "{0}{1} {2}x{3}x{4}")
  @MethodSource("oracleShapes")
  void batchedGemmWithASharedBMatchesTheOracle(Transpose ta, Transpose tb, int m, int n, int k) {
    for (DType dtype : DType.values()) {
      int batch = 4;
      SplittableRandom rnd = new SplittableRandom(7L * m + 11L * n + k);
      int aRows = ta.transposed() ? k : m;
      Matrix a = TestData.random(dtype, batch * aRows, ta.transposed() ? m : k, TestData.Layout.PADDED, rnd);
      Matrix b = tb.transposed() ? TestData.random(dtype, n, k, TestData.Layout.PADDED, rnd)
          : TestData.random(dtype, k, n, TestData.Layout.PADDED, rnd);
      Matrix c = TestData.random(dtype, batch * m, n, TestData.Layout.PADDED, rnd);
      Matrix c0 = c.copy();
      compute.batchedGemm(ta, tb, batch, -1.25, a.view(0, 0, aRows, a.cols()), aRows * a.ld(), b, 0, 0.5,
          c.view(0, 0, m, n), m * c.ld());
      for (int p = 0; p < batch; p++) {
        String ctx = "batched shared-B " + dtype + " " + ta + tb + " " + m + "x" + n + "x" + k + " item " + p;
        Tolerances.assertClose(ctx, Oracle.gemm(ta, tb, -1.25, a.view(p * aRows, 0, aRows, a.cols()), b, 0.5,
            c0.view(p * m, 0, m, n)), c.view(p * m, 0, m, n), Tolerances.accumulation(dtype, k));
      }
      TestData.assertGuardsIntact("batched shared-B C", c);
    }
  }

  private static void fill(float[] x, SplittableRandom rnd) {
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
  }

  private static void fill(double[] x, SplittableRandom rnd) {
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble(-1, 1);
    }
  }
}
