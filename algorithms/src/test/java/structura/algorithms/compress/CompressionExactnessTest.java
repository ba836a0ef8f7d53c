package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.BLOCKS;
import static structura.algorithms.compress.CompressionFixtures.DUPLICATES;
import static structura.algorithms.compress.CompressionFixtures.FFN;
import static structura.algorithms.compress.CompressionFixtures.HEADS;
import static structura.algorithms.compress.CompressionFixtures.HEAD_DIM;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;

/**
 * End to end on a network with an exact answer ({@link CompressionFixtures#redundantBert}): in
 * every block 16 of the 64 FFN neurons duplicate others and head 1 duplicates head 0. Pruning
 * exactly the redundant units with a least-squares correction of the next layer must leave the
 * network's output unchanged (to F32 rounding) on token batches never seen in calibration;
 * magnitude pruning of the same sizes, which has no correction, must not.
 */
class CompressionExactnessTest {
  static final Compute C = Compute.reference();
  static final double TOLERANCE = 1e-4;
  static TransformerNetwork net;
  static CalibrationData calibration;
  static List<TokenBatch> fresh;
  static List<Matrix> expected;

  @BeforeAll
  static void setUp() {
    net = CompressionFixtures.redundantBert(21);
    calibration = CompressionFixtures.calibration(22);
    fresh = List.of(CompressionFixtures.batch(23, 5), CompressionFixtures.batch(24, 7));
    TransformerForward f = new TransformerForward(C, net);
    expected = fresh.stream().map(f::lastHiddenState).toList();
  }

  static CompressionResult run(CompressionStrategy s, Budget budget, Map<String, String> options) {
    return s.compress(new CompressionRequest(net, calibration, budget, C, options, null));
  }

  /** Largest |Δ| of the last hidden state over the real tokens of the fresh batches. */
  static double outputChange(TransformerNetwork compressed) {
    TransformerForward f = new TransformerForward(C, compressed);
    double m = 0;
    for (int i = 0; i < fresh.size(); i++) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(expected.get(i), f.lastHiddenState(fresh.get(i)), fresh.get(i)));
    }
    return m;
  }

  /** Which original row each row of {@code pruned}'s weight is (rows are unique in a random matrix). */
  static int[] originalRows(Matrix original, Matrix pruned) {
    int[] out = new int[pruned.rows()];
    for (int r = 0; r < pruned.rows(); r++) {
      out[r] = -1;
      for (int o = 0; o < original.rows() && out[r] < 0; o++) {
        if (CompressionFixtures.maxDiff(original.view(o, 0, 1, original.cols()), pruned.view(r, 0, 1, pruned.cols())) == 0) {
          out[r] = o;
        }
      }
      assertTrue(out[r] >= 0, "row " + r + " is no original row");
    }
    return out;
  }

  /** Checks the kept units are one of each duplicate pair plus all unique ones. */
  static void assertKeptExactlyTheNonRedundantUnits(TransformerNetwork compressed, boolean headsPruned) {
    for (int b = 0; b < BLOCKS; b++) {
      Mlp before = net.blocks().get(b).mlp();
      Mlp after = compressed.blocks().get(b).mlp();
      assertEquals(FFN - DUPLICATES, after.width(), "block " + b + " neurons");
      // duplicate neurons have identical up rows: map kept rows to the lowest original index
      int[] rows = originalRows(before.up().weight(), after.up().weight());
      Set<Integer> kept = new HashSet<>();
      for (int r : rows) {
        kept.add(r);
      }
      assertEquals(FFN - DUPLICATES, kept.size(), "each kept neuron is a different original one");
      for (int j = DUPLICATES; j < FFN - DUPLICATES; j++) {
        assertTrue(kept.contains(j), "unique neuron " + j + " of block " + b + " must be kept");
      }
      Attention a = compressed.blocks().get(b).attention();
      if (headsPruned) {
        assertEquals(HEADS - 1, a.heads(), "block " + b + " heads");
        int[] q = originalRows(net.blocks().get(b).attention().query().weight(), a.query().weight());
        Set<Integer> heads = new HashSet<>();
        for (int r = 0; r < q.length; r += HEAD_DIM) {
          heads.add(q[r] / HEAD_DIM);
        }
        assertTrue(heads.contains(2) && heads.contains(3), "heads 2 and 3 are unique and must stay: " + heads);
      } else {
        assertEquals(HEADS, a.heads());
      }
    }
  }

  @Test
  void statRemovingExactlyTheRedundantUnitsLeavesTheOutputUnchanged() {
    CompressionResult r = run(new StatStrategy(), new Budget.KeepFractions(0.75, 0.75), Map.of());
    assertNotSame(net, r.network());
    assertKeptExactlyTheNonRedundantUnits(r.network(), true);
    double change = outputChange(r.network());
    assertTrue(change <= TOLERANCE, "max |Δ last hidden state| = " + change);
    for (CompressionReport.BlockReport b : r.report().blocks()) {
      assertEquals(HEADS - 1, b.headsAfter());
      assertEquals(FFN - DUPLICATES, b.neuronsAfter());
      assertTrue(b.attentionError() < 1e-3 && b.ffnError() < 1e-3, b.toString());
    }
    assertEquals("stat", r.report().method());
    assertTrue(r.report().macFraction() < 1 && r.report().parameterFraction() < 1);
    // the input network was not modified
    assertEquals(0.0, CompressionFixtures.maxDiff(expected.get(0), new TransformerForward(C, net).lastHiddenState(fresh.get(0))));
  }

  @Test
  void statWithoutInterceptAndWithCountSketchIsStillExact() {
    // duplicates stay exact duplicates in the sketch SX and in the uncentered Gram
    CompressionResult r = run(new StatStrategy(), new Budget.KeepFractions(0.75, 0.75),
        Map.of("intercept", "false", "sketch", "256", "seed", "3"));
    assertKeptExactlyTheNonRedundantUnits(r.network(), true);
    double change = outputChange(r.network());
    assertTrue(change <= TOLERANCE, "max |Δ| = " + change);
  }

  @Test
  void idPruneRemovingTheDuplicateNeuronsLeavesTheOutputUnchanged() {
    CompressionResult r = run(new IdPruneStrategy(), new Budget.KeepFractions(0.75, 0.75), Map.of());
    assertKeptExactlyTheNonRedundantUnits(r.network(), false);
    double change = outputChange(r.network());
    assertTrue(change <= TOLERANCE, "max |Δ| = " + change);
    assertEquals("id-prune", r.report().method());
  }

  @Test
  void magnitudePruningOfTheSameSizesChangesTheOutput() {
    CompressionResult r = run(new MagnitudeStrategy(), new Budget.KeepFractions(0.75, 0.75), Map.of());
    for (int b = 0; b < BLOCKS; b++) {
      assertEquals(HEADS - 1, r.network().blocks().get(b).attention().heads());
      assertEquals(FFN - DUPLICATES, r.network().blocks().get(b).mlp().width());
    }
    double change = outputChange(r.network());
    // the same sizes without a correction: the check above can fail
    assertTrue(change > 100 * TOLERANCE, "magnitude pruning should visibly change the output, max |Δ| = " + change);
  }

  @Test
  void pruningOneUnitTooManyIsNoLongerExact() {
    // 47 neurons (neuron-multiple 1): one non-redundant neuron must go, so the output moves
    CompressionResult r = run(new StatStrategy(), new Budget.KeepFractions(0.75, 47.0 / FFN),
        Map.of("neuron-multiple", "1"));
    assertEquals(47, r.network().blocks().get(0).mlp().width());
    assertTrue(outputChange(r.network()) > 10 * TOLERANCE);
  }
}
