package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.BLOCKS;
import static structura.algorithms.compress.CompressionFixtures.D;
import static structura.algorithms.compress.CompressionFixtures.DUPLICATES;
import static structura.algorithms.compress.CompressionFixtures.FFN;
import static structura.algorithms.compress.CompressionFixtures.HEADS;
import static structura.algorithms.compress.CompressionFixtures.HEAD_DIM;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Pruning followed by whitened low rank ({@code stat -o low-rank=true}, {@link PruneThenLowRank})
 * on a planted case with an exact answer: {@link CompressionFixtures#redundantBert} (one duplicate
 * head and 16 duplicate neurons per block) whose attention output and FFN down projections have
 * rank {@value #PLANTED}. Pruning exactly the duplicates with STAT's correction keeps both
 * projections at rank ≤ {@value #PLANTED} (their corrected columns stay in the same column space),
 * so whitened factors of rank ≥ {@value #PLANTED} must reproduce the network's output on unseen
 * batches; one rank fewer in the attention output must not.
 */
class PruneThenLowRankExactnessTest {
  static final Compute C = Compute.reference();
  static final int PLANTED = 4;
  static TransformerNetwork net;
  static CalibrationData calibration;
  static List<TokenBatch> fresh;
  static List<Matrix> expected;

  @BeforeAll
  static void setUp() {
    net = CompressionFixtures.redundantBert(31);
    SplittableRandom rnd = new SplittableRandom(32);
    for (TransformerBlock b : net.blocks()) {
      plantRank(b.attention().output().weight(), rnd);
      plantRank(b.mlp().down().weight(), rnd);
    }
    calibration = CompressionFixtures.calibration(33);
    fresh = List.of(CompressionFixtures.batch(34, 5), CompressionFixtures.batch(35, 7));
    TransformerForward f = new TransformerForward(C, net);
    expected = fresh.stream().map(f::lastHiddenState).toList();
  }

  /** Overwrites w (m × n) with A·B, A m × PLANTED and B PLANTED × n Gaussian, scaled like the original. */
  static void plantRank(Matrix w, SplittableRandom rnd) {
    double[][] a = CompressionFixtures.gaussian(rnd, w.rows(), PLANTED);
    double[][] b = CompressionFixtures.gaussian(rnd, PLANTED, w.cols());
    double[][] p = CompressionFixtures.multiply(a, b);
    for (int i = 0; i < w.rows(); i++) {
      for (int j = 0; j < w.cols(); j++) {
        w.set(i, j, p[i][j] * 0.02);
      }
    }
  }

  static double outputChange(TransformerNetwork compressed) {
    TransformerForward f = new TransformerForward(C, compressed);
    double m = 0;
    for (int i = 0; i < fresh.size(); i++) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(expected.get(i), f.lastHiddenState(fresh.get(i)), fresh.get(i)));
    }
    return m;
  }

  static final int[] DUP_HEADS = {HEADS - 1, HEADS - 1};
  static final int[] DUP_NEURONS = {FFN - DUPLICATES, FFN - DUPLICATES};

  /** The MAC fraction of the duplicates-pruned network with output and down at ratio ρ, plus a rounding margin. */
  static double fraction(double ratio) {
    BudgetCosts full = BudgetCosts.of(net, new Budget.MacFraction(1), calibration.meanLength());
    return PruneThenLowRank.cost(net, full, DUP_HEADS, DUP_NEURONS, ratio, false, calibration.meanLength())
        / full.total() + 1e-9;
  }

  static CompressionResult run(double target, Map<String, String> options) {
    return new StatStrategy().compress(new CompressionRequest(net, calibration, new Budget.MacFraction(target), C,
        options, null));
  }

  @Test
  void pruningTheDuplicatesAndTruncatingToThePlantedRankLeavesTheOutputUnchanged() {
    // ρ = 0.5: output (32 × 24) rank ⌊768·0.5/56⌋ = 6, down (32 × 48) rank ⌊1536·0.5/80⌋ = 9, both ≥ 4
    CompressionResult r = run(fraction(0.5), Map.of("low-rank", "true", "prune-fraction",
        Double.toString(fraction(1))));
    for (int b = 0; b < BLOCKS; b++) {
      TransformerBlock block = r.network().blocks().get(b);
      assertEquals(HEADS - 1, block.attention().heads(), "the duplicate head goes");
      assertEquals(FFN - DUPLICATES, block.mlp().width(), "the duplicate neurons go");
      assertTrue(block.attention().output().isFactored() && block.mlp().down().isFactored(), "block " + b);
      assertEquals(6, block.attention().output().rank());
      assertEquals(9, block.mlp().down().rank());
      assertTrue(!block.attention().query().isFactored() && !block.mlp().up().isFactored());
      List<CompressionReport.LayerRank> ranks = r.report().blocks().get(b).ranks();
      assertEquals(List.of("output", "down"), ranks.stream().map(CompressionReport.LayerRank::layer).toList());
      assertTrue(ranks.get(0).error() < 1e-4 && ranks.get(1).error() < 1e-4, ranks.toString());
    }
    double change = outputChange(r.network());
    assertTrue(change <= CompressionExactnessTest.TOLERANCE, "max |Δ last hidden state| = " + change);
    assertTrue(r.report().macFraction() <= fraction(0.5), "MAC fraction " + r.report().macFraction());
  }

  @Test
  void oneRankBelowThePlantedRankIsNoLongerExact() {
    // ρ = 0.25: output rank ⌊13.7·0.25⌋ = 3 < 4
    CompressionResult r = run(fraction(0.25), Map.of("low-rank", "true", "prune-fraction",
        Double.toString(fraction(1))));
    assertEquals(3, r.network().blocks().get(0).attention().output().rank());
    double change = outputChange(r.network());
    assertTrue(change > 1e-3, "max |Δ last hidden state| = " + change);
  }

  @Test
  void theSearchedSplitMeetsTheBudgetAndIsNoWorseOnCalibrationThanPruningAlone() {
    double target = fraction(0.5);
    CompressionResult lowRank = run(target, Map.of("low-rank", "true"));
    CompressionResult pruned = run(target, Map.of());
    assertTrue(lowRank.report().macFraction() <= target + 1e-9, "MAC fraction " + lowRank.report().macFraction());
    // the planted projections make low rank free and further pruning costly: the search must use it
    assertTrue(lowRank.report().blocks().stream().anyMatch(b -> !b.ranks().isEmpty() && b.ranks().get(1).factored()),
        lowRank.report().blocks().toString());
    assertTrue(outputChange(lowRank.network()) < outputChange(pruned.network()),
        outputChange(lowRank.network()) + " vs pruning alone " + outputChange(pruned.network()));
  }

  @Test
  void lowRankNeedsAGlobalBudgetAndTheBlockAllocation() {
    assertThrows(InvalidArgumentException.class, () -> new StatStrategy().compress(new CompressionRequest(net,
        calibration, new Budget.KeepFractions(0.75, 0.75), C, Map.of("low-rank", "true"), null)));
    assertThrows(InvalidArgumentException.class,
        () -> StatOptions.parse(Map.of("low-rank", "true", "allocation", "embedding")));
    StatOptions o = StatOptions.parse(Map.of("low-rank", "true", "prune-fraction", "0.7"));
    assertTrue(o.lowRank());
    assertEquals(0.7, o.pruneFraction());
    assertEquals(D, net.width());
    assertEquals(HEAD_DIM * HEADS, D);
  }
}
