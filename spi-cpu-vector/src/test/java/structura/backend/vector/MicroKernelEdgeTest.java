package structura.backend.vector;

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
 * Edge tiles of the packed GEMM: sizes one below, at and one above the register tile (MR rows,
 * NR columns, which depend on the machine's vector width) and the cache blocks (MC, KC, NC),
 * for both precisions and all transposes, against the compensated oracle. The cache blocks are
 * set small ({@value #MC}×{@value #KC}, NC = 2·NR + 1 rounded up) so that every block boundary is
 * crossed at sizes that run in milliseconds; a second backend with the default blocks checks the
 * register-tile edges in the production configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroKernelEdgeTest {
  static final int MC = 12;
  static final int KC = 16;

  private Compute small;
  private Compute standard;

  @BeforeAll
  void open() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    BackendConfig.Builder b = BackendConfig.builder().strict(true).threads(2);
    for (String p : new String[] {"f32", "f64"}) {
      b.property("structura.vector." + p + ".mc", Integer.toString(MC))
          .property("structura.vector." + p + ".kc", Integer.toString(KC))
          .property("structura.vector." + p + ".nc", Integer.toString(2 * F32Gemm.NR + 1));
    }
    small = Compute.of(VectorBackendConformanceTest.vector().open(b.build()), true);
    standard = Compute.of(VectorBackendConformanceTest.vector().open(BackendConfig.builder().strict(true).threads(2).build()), true);
  }

  @AfterAll
  void close() {
    small.close();
    standard.close();
  }

  static Stream<Arguments> smallBlockShapes() {
    List<Arguments> out = new ArrayList<>();
    int mr = F32Gemm.MR;
    int[] ms = {mr - 1, mr, mr + 1, MC - 1, MC, MC + 1, 2 * MC + mr + 1};
    int[] ks = {1, KC - 1, KC, KC + 1, 3 * KC + 5};
    for (DType d : DType.values()) {
      int nr = d == DType.F32 ? F32Gemm.NR : F64Gemm.NR;
      int nc = (2 * F32Gemm.NR + 1 + nr - 1) / nr * nr;  // NC as rounded up by the engine
      int[] ns = {nr - 1, nr, nr + 1, nc - 1, nc, nc + 1, 2 * nc + nr - 1};
      int i = 0;
      for (int m : ms) {
        for (int n : ns) {
          int k = ks[i++ % ks.length];
          Transpose ta = Transpose.values()[i % 2];
          Transpose tb = Transpose.values()[(i / 2) % 2];
          out.add(Arguments.of(d, ta, tb, m, n, k));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> registerTileShapes() {
    List<Arguments> out = new ArrayList<>();
    for (DType d : DType.values()) {
      int nr = d == DType.F32 ? F32Gemm.NR : F64Gemm.NR;
      int mcDefault = d == DType.F32 ? VectorBackend.F32_MC : VectorBackend.F64_MC;
      int kcDefault = d == DType.F32 ? VectorBackend.F32_KC : VectorBackend.F64_KC;
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          out.add(Arguments.of(d, ta, tb, F32Gemm.MR + 1, nr - 1, 3));
          out.add(Arguments.of(d, ta, tb, 2 * F32Gemm.MR, 2 * nr, kcDefault + 1));
          out.add(Arguments.of(d, ta, tb, mcDefault + 1, nr + 1, 5));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}{2} {3}x{4}x{5}")
  @MethodSource("smallBlockShapes")
  void blockEdgesMatchTheOracle(DType dtype, Transpose ta, Transpose tb, int m, int n, int k) {
    check(small, dtype, ta, tb, m, n, k);
  }

  @ParameterizedTest(name = "{0} {1}{2} {3}x{4}x{5}")
  @MethodSource("registerTileShapes")
  void registerTileEdgesMatchTheOracleWithDefaultBlocks(DType dtype, Transpose ta, Transpose tb, int m, int n, int k) {
    check(standard, dtype, ta, tb, m, n, k);
  }

  private static void check(Compute compute, DType dtype, Transpose ta, Transpose tb, int m, int n, int k) {
    SplittableRandom rnd = new SplittableRandom(31L * m + 17L * n + k);
    Matrix a = ta.transposed() ? TestData.random(dtype, k, m, TestData.Layout.PADDED, rnd)
        : TestData.random(dtype, m, k, TestData.Layout.PADDED, rnd);
    Matrix b = tb.transposed() ? TestData.random(dtype, n, k, TestData.Layout.PADDED, rnd)
        : TestData.random(dtype, k, n, TestData.Layout.PADDED, rnd);
    Matrix c = TestData.random(dtype, m, n, TestData.Layout.PADDED, rnd);
    Matrix c0 = c.copy();
    compute.gemm(ta, tb, -1.25, a, b, 0.5, c);
    String ctx = "gemm " + dtype + " " + ta + tb + " " + m + "x" + n + "x" + k + " on " + compute.backend().describe();
    Tolerances.assertClose(ctx, Oracle.gemm(ta, tb, -1.25, a, b, 0.5, c0), c, Tolerances.accumulation(dtype, k));
    TestData.assertGuardsIntact(ctx + " C", c);
  }
}
