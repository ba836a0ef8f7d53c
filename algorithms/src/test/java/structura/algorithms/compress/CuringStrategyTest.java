package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.D;
import static structura.algorithms.compress.CompressionFixtures.FFN;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * {@link CuringStrategy} on a network with an exact answer: every FFN up ({@code 64 × 32}) and
 * down ({@code 32 × 64}) weight is a random product of exact rank 8, so a CUR of rank 8 (what
 * the budget below gives both) reproduces them, and the network, exactly; rank 7 must not.
 */
class CuringStrategyTest {
  static final Compute C = Compute.reference();
  static final int RANK = 8;
  static final Set<String> FFN_LAYERS = Set.of("up", "down");
  static TransformerNetwork net;
  static CalibrationData calibration;
  static List<TokenBatch> fresh;
  static List<Matrix> expected;

  @BeforeAll
  static void setUp() {
    net = CompressionFixtures.bert(41);
    SplittableRandom rnd = new SplittableRandom(42);
    for (TransformerBlock b : net.blocks()) {
      plantRank(b.mlp().up(), rnd);
      plantRank(b.mlp().down(), rnd);
    }
    calibration = CompressionFixtures.calibration(43);
    fresh = List.of(CompressionFixtures.batch(44, 5), CompressionFixtures.batch(45, 7));
    TransformerForward f = new TransformerForward(C, net);
    expected = fresh.stream().map(f::lastHiddenState).toList();
  }

  /** W ← P·Q with P ({@code out × 8}) and Q ({@code 8 × in}) Gaussian, scaled like the original entries. */
  static void plantRank(Linear l, SplittableRandom rnd) {
    double[][] p = CompressionFixtures.gaussian(rnd, l.out(), RANK);
    double[][] q = CompressionFixtures.gaussian(rnd, RANK, l.in());
    double[][] w = CompressionFixtures.multiply(p, q);
    for (int i = 0; i < l.out(); i++) {
      for (int j = 0; j < l.in(); j++) {
        l.weight().set(i, j, w[i][j] / Math.sqrt(RANK * l.in()));
      }
    }
  }

  /** The parameter ratio at which a {@code 64 × 32} layer gets rank k: {@code k·96/2048}. */
  static double ratioFor(int k) {
    return k * (double) (FFN + D) / (FFN * D);
  }

  /** A MAC fraction the search turns into rank k for up and down (midway to k + 1). */
  static Budget budgetFor(int k) {
    MacModel macs = new MacModel(calibration.meanLength());
    double total = CuringStrategy.cost(net, 1, macs, false, FFN_LAYERS);
    return new Budget.MacFraction((CuringStrategy.cost(net, ratioFor(k), macs, false, FFN_LAYERS)
        + CuringStrategy.cost(net, ratioFor(k + 1), macs, false, FFN_LAYERS)) / 2 / total);
  }

  static CompressionResult run(int k) {
    return new CuringStrategy().compress(new CompressionRequest(net, calibration, budgetFor(k), C,
        Map.of("layers", "up,down"), null));
  }

  static double outputChange(TransformerNetwork compressed) {
    TransformerForward f = new TransformerForward(C, compressed);
    double m = 0;
    for (int i = 0; i < fresh.size(); i++) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(expected.get(i), f.lastHiddenState(fresh.get(i)), fresh.get(i)));
    }
    return m;
  }

  @Test
  void aCurOfTheExactRankReproducesTheNetwork() {
    CompressionResult r = run(RANK);
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock before = net.blocks().get(i);
      TransformerBlock after = r.network().blocks().get(i);
      for (Linear l : List.of(after.mlp().up(), after.mlp().down())) {
        assertTrue(l.isFactored(), "up and down are factored");
        assertEquals(RANK, l.rank());
      }
      assertFalse(after.attention().query().isFactored(), "layers not chosen stay dense");
      // R is made of rows of the original weight
      Matrix v = after.mlp().up().factors().v();
      Matrix w = before.mlp().up().weight();
      for (int p = 0; p < RANK; p++) {
        boolean found = false;
        for (int row = 0; row < w.rows() && !found; row++) {
          found = CompressionFixtures.maxDiff(v.view(p, 0, 1, v.cols()), w.view(row, 0, 1, w.cols())) == 0;
        }
        assertTrue(found, "row " + p + " of R is a row of W");
      }
    }
    for (CompressionReport.BlockReport b : r.report().blocks()) {
      for (CompressionReport.LayerRank lr : b.ranks()) {
        assertTrue(!lr.factored() || lr.error() < 1e-6, lr.toString());
      }
    }
    double change = outputChange(r.network());
    assertTrue(change <= 1e-4, "max |Δ last hidden state| = " + change);
    assertTrue(r.report().macFraction() <= budgetFor(RANK).globalFraction());
    assertEquals("cur", r.report().method());
  }

  @Test
  void oneRankTooFewChangesTheOutput() {
    CompressionResult r = run(RANK - 1);
    assertEquals(RANK - 1, r.network().blocks().get(0).mlp().up().rank());
    double change = outputChange(r.network());
    assertTrue(change > 1e-2, "max |Δ| = " + change);
  }

  @Test
  void decomposeMatchesAnIndependentDenseProduct() {
    // on a full-rank random weight the reported weighted error is that of (C·U)·R recomputed here
    TransformerNetwork random = CompressionFixtures.bert(46);
    Linear l = random.blocks().get(0).attention().value();
    double[] rms = new double[l.in()];
    for (int j = 0; j < rms.length; j++) {
      rms[j] = 0.5 + j % 3;
    }
    CuringStrategy.Decomposed d = CuringStrategy.decompose(C, l, rms, 12, "test");
    double[][] u = CompressionFixtures.array(d.layer().factors().u());
    double[][] v = CompressionFixtures.array(d.layer().factors().v());
    double[][] approx = CompressionFixtures.multiply(u, v);
    double num = 0;
    double den = 0;
    for (int i = 0; i < l.out(); i++) {
      for (int j = 0; j < l.in(); j++) {
        double e = (l.weight().get(i, j) - approx[i][j]) * rms[j];
        num += e * e;
        den += Math.pow(l.weight().get(i, j) * rms[j], 2);
      }
    }
    assertEquals(Math.sqrt(num / den), d.error(), 1e-5);
    assertTrue(d.error() > 0.1 && d.error() < 1, "a rank-12 CUR of a random 32 x 32 weight: " + d.error());
  }

  @Test
  void badOptionsAndPerBlockFractionsAreRefused() {
    assertThrows(InvalidArgumentException.class, () -> CuringOptions.parse(Map.of("layers", "up,nope")));
    assertThrows(InvalidArgumentException.class, () -> CuringOptions.parse(Map.of("rank", "3")));
    assertThrows(InvalidArgumentException.class, () -> new CuringStrategy().compress(new CompressionRequest(net,
        calibration, new Budget.KeepFractions(0.5, 0.5), C, Map.of(), null)));
  }
}
