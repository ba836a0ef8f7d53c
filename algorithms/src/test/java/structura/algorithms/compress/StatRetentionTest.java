package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The sequential pass gives the same network whether it retains a block's head outputs and FFN
 * activations ({@link StatEngine.Retention#ALWAYS}) or streams them and recomputes the kept ones
 * ({@link StatEngine.Retention#NEVER}): every weight and bias bit-identical, for STAT (heads and
 * neurons, multi-head and grouped-query attention, with and without the low-rank remainder) and
 * id-prune (neurons only), under a MAC budget (allocation pass) and under fixed keep fractions.
 * (With {@code residual-id} the two agree only to rounding: retained activations come from the
 * folded layer before its zero columns are dropped, recomputed ones after.)
 */
class StatRetentionTest {
  private static final Compute C = Compute.reference();

  private static CompressionResult run(TransformerNetwork net, Budget budget, StatEngine.Settings s,
      StatEngine.Retention retention) {
    return StatEngine.run(new CompressionRequest(net, CompressionFixtures.calibration(52), budget, C, Map.of(), null), s,
        retention);
  }

  private static StatEngine.Settings stat() {
    return new StatEngine.Settings("stat", new StatStrategy().citation(), true, true, StatEngine.Allocation.OUTPUT_ERROR_PER_COST, 0.9, 1, 64,
        StatEngine.DEFAULT_SKETCH_ROWS, 7);
  }

  private static StatEngine.Settings idPrune() {
    return new StatEngine.Settings("id-prune", new IdPruneStrategy().citation(), false, true, StatEngine.Allocation.PIVOT_RATIO_PER_COST, 0.9, 1, 64,
        StatEngine.DEFAULT_SKETCH_ROWS, 7);
  }

  private static void assertIdentical(TransformerNetwork want, TransformerNetwork got) {
    assertEquals(want.depth(), got.depth());
    for (int b = 0; b < want.depth(); b++) {
      TransformerBlock x = want.blocks().get(b);
      TransformerBlock y = got.blocks().get(b);
      String at = "block " + b + " ";
      assertEquals(x.attention().heads(), y.attention().heads(), at + "heads");
      assertEquals(x.mlp().width(), y.mlp().width(), at + "neurons");
      assertLinear(x.attention().query(), y.attention().query(), at + "query");
      assertLinear(x.attention().key(), y.attention().key(), at + "key");
      assertLinear(x.attention().value(), y.attention().value(), at + "value");
      assertLinear(x.attention().output(), y.attention().output(), at + "output");
      assertLinear(x.mlp().up(), y.mlp().up(), at + "up");
      assertLinear(x.mlp().down(), y.mlp().down(), at + "down");
    }
  }

  private static void assertLinear(Linear x, Linear y, String what) {
    assertEquals(x.factors() == null, y.factors() == null, what + " factored");
    if (x.factors() != null) {
      assertMatrix(x.factors().u(), y.factors().u(), what + " U");
      assertMatrix(x.factors().v(), y.factors().v(), what + " V");
    } else {
      assertMatrix(x.weight(), y.weight(), what + " weight");
    }
    assertEquals(x.bias() == null, y.bias() == null, what + " bias presence");
    if (x.bias() != null) {
      assertMatrix(x.bias(), y.bias(), what + " bias");
    }
  }

  private static void assertMatrix(Matrix x, Matrix y, String what) {
    assertEquals(x.rows(), y.rows(), what + " rows");
    assertEquals(x.cols(), y.cols(), what + " cols");
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.cols(); j++) {
        assertEquals(Double.doubleToLongBits(x.get(i, j)), Double.doubleToLongBits(y.get(i, j)),
            what + " (" + i + ", " + j + ")");
      }
    }
  }

  private static void assertSameEitherWay(TransformerNetwork net, Budget budget, StatEngine.Settings s) {
    CompressionResult retained = run(net, budget, s, StatEngine.Retention.ALWAYS);
    CompressionResult streamed = run(net, budget, s, StatEngine.Retention.NEVER);
    assertIdentical(retained.network(), streamed.network());
    assertEquals(retained.report().blocks(), streamed.report().blocks());
  }

  @Test
  void statUnderMacBudgetIsTheSameRetainedOrStreamed() {
    TransformerNetwork net = CompressionFixtures.bert(51);
    CompressionResult r = run(net, new Budget.MacFraction(0.5), stat(), StatEngine.Retention.NEVER);
    // the comparison means something only if heads and neurons were both pruned somewhere
    assertTrue(r.network().blocks().stream().anyMatch(b -> b.attention().heads() < CompressionFixtures.HEADS));
    assertTrue(r.network().blocks().stream().anyMatch(b -> b.mlp().width() < CompressionFixtures.FFN));
    assertSameEitherWay(net, new Budget.MacFraction(0.5), stat());
  }

  @Test
  void statWithFixedFractionsAndGroupedQueryAttentionIsTheSameRetainedOrStreamed() {
    TransformerNetwork decoder = RandomNetworks.llama(53, 40, 4, 2, 8, 32, 2);
    assertSameEitherWay(decoder, new Budget.KeepFractions(0.5, 0.5), stat());
    assertSameEitherWay(CompressionFixtures.bert(54), new Budget.KeepFractions(0.75, 0.5), stat());
  }

  @Test
  void statWithLowRankIsTheSameRetainedOrStreamed() {
    StatEngine.Settings lowRank = new StatEngine.Settings("stat", new StatStrategy().citation(), true, true,
        StatEngine.Allocation.OUTPUT_ERROR_PER_COST, 0.9, 1, 64, StatEngine.DEFAULT_SKETCH_ROWS, 7,
        StatEngine.ErrorTarget.BLOCK, OutputCorrection.Mode.NONE, true, 0.75, false);
    CompressionResult r = run(CompressionFixtures.bert(56), new Budget.MacFraction(0.5), lowRank, StatEngine.Retention.NEVER);
    assertTrue(r.network().blocks().stream().anyMatch(b -> b.mlp().down().factors() != null), "some layer is low rank");
    assertSameEitherWay(CompressionFixtures.bert(56), new Budget.MacFraction(0.5), lowRank);
  }

  @Test
  void idPruneIsTheSameRetainedOrStreamed() {
    assertSameEitherWay(CompressionFixtures.bert(55), new Budget.MacFraction(0.6), idPrune());
  }

  @Test
  void autoRetainsWhatFitsAQuarterOfTheHeap() {
    long quarter = (long) (StatEngine.RETAINED_HEAP_SHARE * Runtime.getRuntime().maxMemory()) / Float.BYTES;
    assertTrue(StatEngine.retains(StatEngine.Retention.AUTO, quarter - 1));
    assertFalse(StatEngine.retains(StatEngine.Retention.AUTO, quarter + 1));
    assertTrue(StatEngine.retains(StatEngine.Retention.ALWAYS, Long.MAX_VALUE / 8));
    assertFalse(StatEngine.retains(StatEngine.Retention.NEVER, 1));
  }

  @Test
  void columnBlocksGathersInTheGivenOrder() {
    Matrix m = Matrix.zeros(structura.api.DType.F32, 2, 6);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 6; j++) {
        m.set(i, j, 10 * i + j);
      }
    }
    Matrix g = StatEngine.columnBlocks(m, new int[] {2, 0}, 2);
    assertArrayEquals(new float[] {4, 5, 0, 1, 14, 15, 10, 11}, g.f32());
    assertArrayEquals(new float[] {5, 3, 15, 13}, StatEngine.columnBlocks(m, new int[] {5, 3}, 1).f32());
  }

  @Test
  void columnBlocksOfAViewOverManyRowRangesMatchElementwiseCopies() {
    // 1000 rows: several gather tasks and a partial last one; a view with an offset and a row stride
    int rows = 1000;
    Matrix big = Matrix.zeros(structura.api.DType.F32, rows + 1, 70);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
    for (int i = 0; i < big.f32().length; i++) {
      big.f32()[i] = (float) rnd.nextGaussian();
    }
    Matrix m = big.view(1, 3, rows, 64);
    int[][] keeps = {{7, 1, 4}, {0, 2, 3, 6}};
    int[] widths = {8, 1};
    for (int t = 0; t < 2; t++) {
      int[] keep = keeps[t];
      int width = widths[t];
      Matrix g = StatEngine.columnBlocks(m, keep, width);
      assertEquals(rows, g.rows());
      assertEquals(keep.length * width, g.cols());
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < keep.length; c++) {
          for (int w = 0; w < width; w++) {
            assertEquals(m.get(i, keep[c] * width + w), g.get(i, c * width + w), "row " + i + ", block " + c);
          }
        }
      }
    }
  }
}
