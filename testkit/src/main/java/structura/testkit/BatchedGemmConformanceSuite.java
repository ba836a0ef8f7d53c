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
import structura.api.backend.Transpose;

/**
 * Strided batched GEMM conformance over the layouts that occur in practice: blocks one after
 * another, output blocks side by side within rows (per-head attention), a broadcast A
 * (stride 0), and a single block; each product is checked against the {@link Oracle}.
 */
public abstract class BatchedGemmConformanceSuite extends BackendSuite {
  static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {17, 16, 9}, {33, 31, 20}, {4, 0, 3}, {2, 3, 0}};

  /** Where the batch members sit. */
  public enum BatchLayout {
    /** Three products, each operand block after the previous one. */
    CONSECUTIVE(3),
    /** Four products; the C blocks are side by side in the rows of one matrix. */
    INTERLEAVED(4),
    /** Three products sharing one A (strideA = 0). */
    BROADCAST_A(3),
    /** One product. */
    SINGLE(1),
    /** No product at all. */
    EMPTY(0);

    final int batch;

    BatchLayout(int batch) {
      this.batch = batch;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (Transpose ta : Transpose.values()) {
        for (Transpose tb : Transpose.values()) {
          for (double[] ab : new double[][] {{1, 0}, {-0.75, 0.5}, {0, 0.5}}) {
            for (int[] s : SHAPES) {
              for (BatchLayout l : BatchLayout.values()) {
                out.add(Arguments.of(dtype, ta, tb, ab[0], ab[1], s[0], s[1], s[2], l));
              }
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}{2} alpha={3} beta={4} {5}x{6}x{7} {8}")
  @MethodSource("cases")
  void matchesOracle(DType dtype, Transpose ta, Transpose tb, double alpha, double beta, int m, int n, int k, BatchLayout layout) {
    long seed = TestData.seed(dtype, ta, tb, alpha, beta, m, n, k, layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    int batch = layout.batch;
    int aRows = ta.transposed() ? k : m;
    int aCols = ta.transposed() ? m : k;
    int bRows = tb.transposed() ? n : k;
    int bCols = tb.transposed() ? k : n;
    // A and B: consecutive blocks (A shared when broadcasting); C: consecutive or interleaved
    int aBlocks = layout == BatchLayout.BROADCAST_A ? 1 : Math.max(batch, 1);
    Matrix aAll = TestData.random(dtype, aRows * aBlocks, aCols, TestData.Layout.PADDED, rnd);
    Matrix bAll = TestData.random(dtype, bRows * Math.max(batch, 1), bCols, TestData.Layout.PADDED, rnd);
    int strideA = layout == BatchLayout.BROADCAST_A ? 0 : aRows * aAll.ld();
    int strideB = bRows * bAll.ld();
    Matrix cAll;
    int strideC;
    Matrix c;
    if (layout == BatchLayout.INTERLEAVED) {
      cAll = beta == 0 ? TestData.poisoned(dtype, m, n * batch, TestData.Layout.PADDED)
          : TestData.random(dtype, m, n * batch, TestData.Layout.PADDED, rnd);
      strideC = n;
      c = cAll.view(0, 0, m, n);
    } else {
      int blocks = Math.max(batch, 1);
      cAll = beta == 0 ? TestData.poisoned(dtype, m * blocks, n, TestData.Layout.PADDED)
          : TestData.random(dtype, m * blocks, n, TestData.Layout.PADDED, rnd);
      strideC = m * cAll.ld();
      c = cAll.view(0, 0, m, n);
    }
    Matrix a = aAll.view(0, 0, aRows, aCols);
    Matrix b = bAll.view(0, 0, bRows, bCols);
    Matrix cBefore = TestData.snapshot(cAll);
    Matrix aBefore = TestData.snapshot(aAll);
    Matrix bBefore = TestData.snapshot(bAll);
    String ctx = "batchedGemm " + dtype + " " + ta + tb + " alpha=" + alpha + " beta=" + beta + " " + m + "x" + n + "x" + k
        + " " + layout + " seed=" + seed;

    compute.batchedGemm(ta, tb, batch, alpha, a, strideA, b, strideB, beta, c, strideC);

    double tol = Tolerances.accumulation(dtype, k);
    for (int p = 0; p < batch; p++) {
      Matrix ap = shifted(aBefore, a, (long) p * strideA);
      Matrix bp = shifted(bBefore, b, (long) p * strideB);
      Matrix cp0 = shifted(cBefore, c, (long) p * strideC);
      Matrix cp = shifted(cAll, c, (long) p * strideC);
      Tolerances.assertClose(ctx + " product " + p, Oracle.gemm(ta, tb, alpha, ap, bp, beta, cp0), cp, tol);
    }
    if (batch == 0 || m == 0 || n == 0) {
      GemmConformanceSuite.assertUnchanged(ctx + " C untouched", cBefore, cAll);
    }
    GemmConformanceSuite.assertUnchanged(ctx + " A", aBefore, aAll);
    GemmConformanceSuite.assertUnchanged(ctx + " B", bBefore, bAll);
    TestData.assertGuardsIntact(ctx + " C", cAll);
  }

  /** The view {@code like} moved by {@code by} elements, over {@code host}'s array (same layout as like's array). */
  private static Matrix shifted(Matrix host, Matrix like, long by) {
    int offset = Math.toIntExact(like.offset() + by);
    return host.dtype() == DType.F32
        ? Matrix.wrap(host.f32(), offset, like.rows(), like.cols(), like.ld())
        : Matrix.wrap(host.f64(), offset, like.rows(), like.cols(), like.ld());
  }
}
