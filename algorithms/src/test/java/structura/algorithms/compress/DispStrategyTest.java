package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.D;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * {@link DispStrategy} on a network with an exact answer: every norm zeroes the scale of the
 * residual dims {@code j ≡ 3 (mod 4)}, so every sublayer input is constant there and of exact
 * centered rank 24 of 32; every attention output and FFN down projection has zero rows at the
 * dims {@code j ≡ 0 (mod 4)}, so those outputs are constant (their bias). Keeping 24 dims per
 * subset must reproduce the network to F32 rounding on batches never seen in calibration; 23
 * must not.
 */
class DispStrategyTest {
  static final Compute C = Compute.reference();
  static final int PLANTED = D - D / 4;
  static TransformerNetwork net;
  static CalibrationData calibration;
  static List<TokenBatch> fresh;
  static List<Matrix> expected;

  @BeforeAll
  static void setUp() {
    net = planted(CompressionFixtures.bert(31));
    calibration = CompressionFixtures.calibration(32);
    fresh = List.of(CompressionFixtures.batch(33, 5), CompressionFixtures.batch(34, 7));
    TransformerForward f = new TransformerForward(C, net);
    expected = fresh.stream().map(f::lastHiddenState).toList();
  }

  static TransformerNetwork planted(TransformerNetwork n) {
    zeroScale(n.embeddings().norm());
    for (TransformerBlock b : n.blocks()) {
      zeroScale(b.attentionNorm());
      zeroScale(b.mlpNorm());
      zeroRows(b.attention().output());
      zeroRows(b.mlp().down());
    }
    return n;
  }

  private static void zeroScale(Norm norm) {
    for (int j = 3; j < D; j += 4) {
      norm.gamma().set(0, j, 0);
    }
  }

  private static void zeroRows(Linear l) {
    for (int j = 0; j < D; j += 4) {
      for (int q = 0; q < l.in(); q++) {
        l.weight().set(j, q, 0);
      }
    }
  }

  /** A MAC fraction that the width search turns into exactly k dims per subset (midway to k + 1). */
  static Budget budgetFor(int k) {
    MacModel macs = new MacModel(calibration.meanLength());
    double total = DispStrategy.cost(net, D, macs, false);
    return new Budget.MacFraction((DispStrategy.cost(net, k, macs, false) + DispStrategy.cost(net, k + 1, macs, false))
        / 2 / total);
  }

  static CompressionResult run(int k, Map<String, String> options) {
    return new DispStrategy().compress(new CompressionRequest(net, calibration, budgetFor(k), C, options, null));
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
  void keepingThePlantedDimensionsReproducesTheNetwork() {
    CompressionResult r = run(PLANTED, Map.of());
    int[] varying = IntStream.range(0, D).filter(j -> j % 4 != 3).toArray();
    int[] written = IntStream.range(0, D).filter(j -> j % 4 != 0).toArray();
    for (TransformerBlock b : r.network().blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      assertArrayEquals(varying, a.query().selection().inputs(), "attention reads the non-constant dims");
      assertArrayEquals(varying, m.up().selection().inputs(), "FFN reads the non-constant dims");
      assertArrayEquals(written, a.output().selection().outputs(), "attention writes the dims with variance");
      assertArrayEquals(written, m.down().selection().outputs(), "FFN writes the dims with variance");
      assertEquals(PLANTED, a.query().storedWeight().cols());
      assertEquals(PLANTED, m.down().storedWeight().rows());
    }
    double change = outputChange(r.network());
    assertTrue(change <= 1e-4, "max |Δ last hidden state| = " + change);
    for (CompressionReport.BlockReport b : r.report().blocks()) {
      assertTrue(b.attentionError() < 1e-5 && b.ffnError() < 1e-5, b.toString());
    }
    assertTrue(r.report().macFraction() <= budgetFor(PLANTED).globalFraction(), "MAC fraction " + r.report().macFraction());
    assertEquals("disp", r.report().method());
    // the input network was not modified
    assertEquals(0.0, CompressionFixtures.maxDiff(expected.get(0), new TransformerForward(C, net).lastHiddenState(fresh.get(0))));
  }

  @Test
  void oneDimensionTooFewChangesTheOutput() {
    CompressionResult r = run(PLANTED - 1, Map.of());
    assertEquals(PLANTED - 1, r.network().blocks().get(0).attention().query().storedWeight().cols());
    double change = outputChange(r.network());
    assertTrue(change > 1e-2, "max |Δ| = " + change);
  }

  @Test
  void withoutInterceptTheConstantDimensionsAreNotReconstructed() {
    // the uncentered ID sees the constant dims as signal; the dropped outputs lose their bias-free part
    CompressionResult r = run(PLANTED, Map.of("intercept", "false"));
    double change = outputChange(r.network());
    assertTrue(change > 1e-3, "max |Δ| = " + change);
  }

  @Test
  void theSelectedForwardEqualsTheZeroPaddedDenseNetwork() {
    TransformerNetwork disp = run(PLANTED - 3, Map.of()).network();
    TransformerNetwork dense = disp;
    for (int i = 0; i < disp.depth(); i++) {
      TransformerBlock b = disp.blocks().get(i);
      Attention a = b.attention();
      Mlp m = b.mlp();
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), padded(a.query()), padded(a.key()),
          padded(a.value()), padded(a.output()), a.scale(), a.causal(), a.rotary());
      Mlp nm = new Mlp(padded(m.up()), null, padded(m.down()), m.activation());
      dense = Pruning.replace(dense, i, new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    for (TokenBatch batch : fresh) {
      Matrix a = new TransformerForward(C, disp).lastHiddenState(batch);
      Matrix b = new TransformerForward(C, dense).lastHiddenState(batch);
      assertTrue(CompressionFixtures.maxRealRowDiff(a, b, batch) <= 1e-5);
    }
    // and the MAC count is that of the stored weights
    MacModel macs = new MacModel(calibration.meanLength());
    assertTrue(macs.network(disp) < 0.9 * macs.network(dense));
  }

  /** The {@code out × in} dense weight of a selected layer: its stored weight at its rows and columns, zeros elsewhere. */
  static Linear padded(Linear l) {
    Linear.Selection s = l.selection();
    int[] in = s.inputs() == null ? IntStream.range(0, s.in()).toArray() : s.inputs();
    int[] out = s.outputs() == null ? IntStream.range(0, s.out()).toArray() : s.outputs();
    Matrix w = Matrix.zeros(DType.F32, s.out(), s.in());
    for (int r = 0; r < out.length; r++) {
      for (int c = 0; c < in.length; c++) {
        w.set(out[r], in[c], l.storedWeight().get(r, c));
      }
    }
    return new Linear(w, l.bias());
  }

  @Test
  void compressedNetworksAreRejectedByMethodsThatNeedDenseWeights() {
    TransformerNetwork disp = run(PLANTED, Map.of()).network();
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new DispStrategy().compress(new CompressionRequest(disp, calibration, new Budget.MacFraction(0.5), C, Map.of(), null)));
    assertTrue(e.getMessage().contains("STRUCTURA-A007") && e.getMessage().contains("disp"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> disp.blocks().get(0).attention().query().weight());
  }

  @Test
  void perBlockFractionsAndUnreachableTargetsAreRefused() {
    assertThrows(InvalidArgumentException.class, () -> new DispStrategy().compress(new CompressionRequest(net, calibration,
        new Budget.KeepFractions(0.5, 0.5), C, Map.of(), null)));
    assertThrows(UnreachableTargetException.class, () -> new DispStrategy().compress(new CompressionRequest(net, calibration,
        new Budget.MacFraction(0.01), C, Map.of(), null)));
  }
}
