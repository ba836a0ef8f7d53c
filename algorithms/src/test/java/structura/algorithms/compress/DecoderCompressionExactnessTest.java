package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Decoders (Llama family: causal attention, RoPE, grouped-query attention with 4 query heads on
 * 2 key/value heads, SwiGLU) with planted structure come back exactly:
 * <ul>
 * <li>MoDeGPT: in each block, key/value group 0 has zero keys on rotary pairs {0, 2} and group 1
 * on pairs {1, 3}, and each value head has rank 4 of 8. At half the query-key and value widths
 * the scores and the value-output maps are unchanged, so the logits are; each group keeps the
 * frequencies of its live pairs. Controls: one value dimension fewer, and the same widths on the
 * unplanted network, change the output.</li>
 * <li>STAT: key/value group 1's query heads write nothing (their output-projection columns are
 * zero). Keeping half the heads must drop exactly that group, with the output unchanged; on the
 * unplanted network the same cut changes it.</li>
 * </ul>
 */
class DecoderCompressionExactnessTest {
  private static final Compute C = Compute.reference();
  private static final int HEADS = 4;
  private static final int KV_HEADS = 2;
  private static final int HEAD_DIM = 8;
  private static final int FFN = 32;
  private static final int[][] DEAD_PAIRS = {{0, 2}, {1, 3}};

  private static TransformerNetwork decoder() {
    return RandomNetworks.llama(41, 40, HEADS, KV_HEADS, HEAD_DIM, FFN, 2);
  }

  /** Zero keys on the dead rotary pairs of each group, and value rows 4..7 of each value head (rank 4). */
  private static TransformerNetwork plantedForModegpt() {
    TransformerNetwork net = decoder();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Matrix key = a.key().weight();
      Matrix value = a.value().weight();
      for (int g = 0; g < KV_HEADS; g++) {
        for (int pair : DEAD_PAIRS[g]) {
          zeroRow(key, g * HEAD_DIM + pair);
          zeroRow(key, g * HEAD_DIM + pair + HEAD_DIM / 2);
        }
        for (int t = 4; t < HEAD_DIM; t++) {
          zeroRow(value, g * HEAD_DIM + t);
        }
      }
    }
    return net;
  }

  /** Zero output-projection columns of query heads 2 and 3 (key/value group 1). */
  private static TransformerNetwork plantedForStat() {
    TransformerNetwork net = decoder();
    for (TransformerBlock b : net.blocks()) {
      Matrix o = b.attention().output().weight();
      for (int i = 0; i < o.rows(); i++) {
        for (int j = 2 * HEAD_DIM; j < 4 * HEAD_DIM; j++) {
          o.set(i, j, 0);
        }
      }
    }
    return net;
  }

  private static void zeroRow(Matrix m, int row) {
    for (int j = 0; j < m.cols(); j++) {
      m.set(row, j, 0);
    }
  }

  private static CompressionResult compress(CompressionStrategy s, TransformerNetwork net, Budget budget,
      Map<String, String> options) {
    return s.compress(new CompressionRequest(net, CompressionFixtures.calibration(42), budget, C, options, null));
  }

  /** Largest |Δ logits| over the real tokens of two fresh batches. */
  private static double logitChange(TransformerNetwork original, TransformerNetwork compressed) {
    double m = 0;
    for (TokenBatch b : List.of(CompressionFixtures.batch(43, 5), CompressionFixtures.batch(44, 7))) {
      Matrix want = new TransformerForward(C, original).logits(b);
      Matrix got = new TransformerForward(C, compressed).logits(b);
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(want, got, b));
    }
    return m;
  }

  @Test
  void modegptRecoversPlantedRotaryPairsAndValueRankPerGroup() {
    TransformerNetwork net = plantedForModegpt();
    CompressionResult r = compress(new ModegptStrategy(), net, new Budget.KeepFractions(0.5, 1.0), Map.of());
    for (TransformerBlock b : r.network().blocks()) {
      Attention a = b.attention();
      assertEquals(HEADS, a.heads());
      assertEquals(KV_HEADS, a.kvHeads());
      assertEquals(4, a.headDim());
      assertEquals(4, a.valueDim());
      assertArrayEquals(new int[][] {{1, 3}, {0, 2}}, a.rotary().frequencies(), "live rotary pairs per group");
    }
    double change = logitChange(net, r.network());
    assertTrue(change < 1e-4, "max |Δ logits| = " + change);
  }

  @Test
  void modegptControlsChangeTheOutput() {
    TransformerNetwork net = plantedForModegpt();
    // 3 value dimensions of a rank-4 value head: the truncation now loses something
    double oneFewer = logitChange(net, compress(new ModegptStrategy(), net, new Budget.KeepFractions(0.375, 1.0), Map.of()).network());
    assertTrue(oneFewer > 1e-3, "one value dimension fewer changed the logits by only " + oneFewer);
    TransformerNetwork plain = decoder();
    double unplanted = logitChange(plain, compress(new ModegptStrategy(), plain, new Budget.KeepFractions(0.5, 1.0), Map.of()).network());
    assertTrue(unplanted > 1e-3, "half the widths of an unplanted decoder changed the logits by only " + unplanted);
  }

  @Test
  void modegptRefusesTheSvdQueryKeyStepWithRope() {
    assertThrows(InvalidArgumentException.class, () -> compress(new ModegptStrategy(), decoder(),
        new Budget.KeepFractions(0.5, 1.0), Map.of("query-key", "svd")));
  }

  @Test
  void statDropsTheSilentKeyValueGroupExactly() {
    TransformerNetwork net = plantedForStat();
    CompressionResult r = compress(new StatStrategy(), net, new Budget.KeepFractions(0.5, 1.0), Map.of());
    for (int i = 0; i < net.depth(); i++) {
      Attention a = r.network().blocks().get(i).attention();
      assertEquals(2, a.heads(), "block " + i);
      assertEquals(1, a.kvHeads(), "block " + i);
      // group 0's key rows were kept
      Matrix original = net.blocks().get(i).attention().key().weight();
      assertEquals(0, CompressionFixtures.maxDiff(original.view(0, 0, HEAD_DIM, original.cols()), a.key().weight()));
    }
    double change = logitChange(net, r.network());
    assertTrue(change < 1e-4, "max |Δ logits| = " + change);
    TransformerNetwork plain = decoder();
    double unplanted = logitChange(plain, compress(new StatStrategy(), plain, new Budget.KeepFractions(0.5, 1.0), Map.of()).network());
    assertTrue(unplanted > 1e-3, "dropping a live group changed the logits by only " + unplanted);
  }

  @Test
  void statMeetsAMacBudgetInWholeGroups() {
    TransformerNetwork net = RandomNetworks.llama(45, 40, 8, 2, 8, 64, 3);
    CompressionResult r = compress(new StatStrategy(), net, new Budget.MacFraction(0.6), Map.of("neuron-multiple", "1"));
    assertTrue(r.report().macFraction() <= 0.6 + 1e-9, "MAC fraction " + r.report().macFraction());
    for (TransformerBlock b : r.network().blocks()) {
      assertEquals(4, b.attention().heads() / b.attention().kvHeads(), "group size kept");
    }
    for (TransformerBlock b : r.network().blocks()) {
      assertTrue(b.attention().kvHeads() >= 1 && b.attention().kvHeads() <= 2);
    }
  }
}
