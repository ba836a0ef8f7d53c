package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.D;
import static structura.algorithms.compress.CompressionFixtures.FFN;
import static structura.algorithms.compress.CompressionFixtures.HEADS;
import static structura.algorithms.compress.CompressionFixtures.HEAD_DIM;
import static structura.algorithms.compress.CompressionFixtures.VOCAB;

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
import structura.testkit.RandomNetworks;

/**
 * The ID correction along the residual stream ({@code stat -o residual-id=true}, {@link ResidualInputId})
 * on a planted low-rank residual: a one-block post-norm BERT whose word, position and type
 * embeddings all lie in one {@value #PLANTED}-dimensional subspace and whose attention output
 * weight is zero. The block input {@code LN(e)} then lies in an affine subspace of dimension
 * {@value #PLANTED} + 1 (the LayerNorm adds the direction of γ) and the MLP input
 * {@code LN(x + b_o)} in one of dimension at most {@value #PLANTED} + 3 (the mean direction and the
 * shift, once more). Reading {@value #PLANTED} + 3 residual dims with the interpolation matrix
 * folded into Q, K, V and up must reproduce the output on unseen batches; reading
 * {@value #PLANTED} must not (fewer than either input's dimension).
 */
class ResidualInputIdExactnessTest {
  static final Compute C = Compute.reference();
  static final int PLANTED = 4;
  static TransformerNetwork net;
  static CalibrationData calibration;
  static List<TokenBatch> fresh;
  static List<Matrix> expected;

  @BeforeAll
  static void setUp() {
    net = RandomNetworks.bert(41, VOCAB, HEADS, HEAD_DIM, FFN, 1);
    SplittableRandom rnd = new SplittableRandom(42);
    double[][] basis = CompressionFixtures.gaussian(rnd, PLANTED, D);
    for (Matrix table : List.of(net.embeddings().word(), net.embeddings().position(), net.embeddings().tokenType())) {
      for (int r = 0; r < table.rows(); r++) {
        double[] c = CompressionFixtures.gaussian(rnd, 1, PLANTED)[0];
        for (int j = 0; j < D; j++) {
          double s = 0;
          for (int t = 0; t < PLANTED; t++) {
            s += c[t] * basis[t][j];
          }
          table.set(r, j, s * 0.3);
        }
      }
    }
    Matrix o = net.blocks().get(0).attention().output().weight();
    for (int i = 0; i < o.rows(); i++) {
      for (int j = 0; j < o.cols(); j++) {
        o.set(i, j, 0);
      }
    }
    calibration = CompressionFixtures.calibration(43);
    fresh = List.of(CompressionFixtures.batch(44, 5), CompressionFixtures.batch(45, 7));
    TransformerForward f = new TransformerForward(C, net);
    expected = fresh.stream().map(f::lastHiddenState).toList();
  }

  static double outputChange(TransformerNetwork compressed) {
    TransformerForward f = new TransformerForward(C, compressed);
    double m = 0;
    for (int i = 0; i < fresh.size(); i++) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(expected.get(i), f.lastHiddenState(fresh.get(i)), fresh.get(i)));
    }
    return m;
  }

  /** The MAC fraction of the unpruned network reading k residual dims, plus a rounding margin. */
  static double fraction(int k) {
    BudgetCosts full = BudgetCosts.of(net, new Budget.MacFraction(1), calibration.meanLength());
    return ResidualInputId.cost(net, full, new int[] {HEADS}, new int[] {FFN}, k, false, calibration.meanLength())
        / full.total() + 1e-9;
  }

  static CompressionResult run(int k) {
    // prune-fraction 1: no head or neuron is pruned, the residual reads alone reach the target
    return new StatStrategy().compress(new CompressionRequest(net, calibration, new Budget.MacFraction(fraction(k)), C,
        Map.of("residual-id", "true", "prune-fraction", "1"), null));
  }

  @Test
  void readingThePlantedDimensionsWithTheFoldedInterpolationLeavesTheOutputUnchanged() {
    CompressionResult r = run(PLANTED + 3);
    TransformerBlock b = r.network().blocks().get(0);
    assertEquals(HEADS, b.attention().heads());
    assertEquals(FFN, b.mlp().width());
    for (var l : List.of(b.attention().query(), b.attention().key(), b.attention().value(), b.mlp().up())) {
      assertTrue(l.selection() != null && l.selection().inputs().length <= PLANTED + 3
          && l.selection().inputs().length >= PLANTED + 1, "reads " + l.selection());
    }
    double change = outputChange(r.network());
    assertTrue(change <= CompressionExactnessTest.TOLERANCE, "max |Δ last hidden state| = " + change);
    assertTrue(r.report().macFraction() <= fraction(PLANTED + 3), "MAC fraction " + r.report().macFraction());
  }

  @Test
  void readingTooFewDimensionsIsNoLongerExact() {
    CompressionResult r = run(PLANTED);
    assertEquals(PLANTED, r.network().blocks().get(0).mlp().up().selection().inputs().length);
    double change = outputChange(r.network());
    assertTrue(change > 1e-3, "max |Δ last hidden state| = " + change);
  }

  @Test
  void residualIdNeedsThePruneFraction() {
    assertThrows(InvalidArgumentException.class, () -> StatOptions.parse(Map.of("residual-id", "true")));
    assertThrows(InvalidArgumentException.class,
        () -> StatOptions.parse(Map.of("residual-id", "true", "prune-fraction", "0.7", "low-rank", "true")));
    assertTrue(StatOptions.parse(Map.of("residual-id", "true", "prune-fraction", "0.7")).residualId());
  }
}
