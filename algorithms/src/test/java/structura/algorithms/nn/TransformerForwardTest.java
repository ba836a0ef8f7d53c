package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Forward-pass properties that do not need a reference runtime: padding does not change real
 * tokens (encoder and causal decoder), hooks capture exactly the activations that, recombined by
 * plain loops with the block's weights, give the next block's input, and pruning bookkeeping.
 * Agreement with ONNX Runtime and NumPy is tested in the formats module.
 */
class TransformerForwardTest {
  static final int[][] SEQS = {{5, 9, 2, 7, 11, 3}, {4, 8}, {1, 2, 3, 4}};

  static double maxRowDiff(Matrix a, int ra, Matrix b, int rb, int rows) {
    double m = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < a.cols(); j++) {
        m = Math.max(m, Math.abs(a.get(ra + i, j) - b.get(rb + i, j)));
      }
    }
    return m;
  }

  private static void paddingLeavesRealTokensAlone(TransformerNetwork net) {
    TransformerForward fwd = new TransformerForward(Compute.reference(), net);
    TokenBatch batch = TokenBatch.pad(SEQS, 0, 0);
    Matrix all = fwd.lastHiddenState(batch);
    for (int s = 0; s < SEQS.length; s++) {
      Matrix alone = fwd.lastHiddenState(TokenBatch.pad(new int[][] {SEQS[s]}, 0, 0));
      double d = maxRowDiff(all, s * batch.length(), alone, 0, SEQS[s].length);
      assertTrue(d < 1e-5, "sequence " + s + " differs by " + d + " when padded");
    }
  }

  @Test
  void encoderPaddingLeavesRealTokensAlone() {
    paddingLeavesRealTokensAlone(RandomNetworks.bert(1, 20, 3, 4, 16, 2));
  }

  @Test
  void decoderPaddingAndCausalMaskLeaveRealTokensAlone() {
    TransformerNetwork net = RandomNetworks.llama(2, 20, 4, 2, 4, 24, 2);
    paddingLeavesRealTokensAlone(net);
    // causality: appending tokens does not change earlier positions
    TransformerForward fwd = new TransformerForward(Compute.reference(), net);
    Matrix shortRun = fwd.lastHiddenState(TokenBatch.pad(new int[][] {{5, 9, 2}}, 0, 0));
    Matrix longRun = fwd.lastHiddenState(TokenBatch.pad(new int[][] {{5, 9, 2, 7, 11}}, 0, 0));
    assertTrue(maxRowDiff(shortRun, 0, longRun, 0, 3) < 1e-6);
    assertTrue(maxRowDiff(shortRun, 2, longRun, 3, 1) > 1e-3); // and the test can tell rows apart
  }

  /** Records copies of every hooked activation of real tokens. */
  static final class Recorder implements ActivationHook {
    final Map<String, Matrix> seen = new HashMap<>();

    @Override
    public void blockInput(int block, int sequence, Matrix rows) {
      seen.put("in" + block + "/" + sequence, rows.copy());
    }

    @Override
    public void attentionHeads(int block, int sequence, Matrix rows) {
      seen.put("heads" + block + "/" + sequence, rows.copy());
    }

    @Override
    public void ffnIntermediate(int block, int sequence, Matrix rows) {
      seen.put("ffn" + block + "/" + sequence, rows.copy());
    }
  }

  @Test
  void hooksCaptureWhatTheBlockComputes() {
    TransformerNetwork net = RandomNetworks.bert(3, 20, 3, 4, 16, 2);
    Recorder rec = new Recorder();
    TokenBatch batch = TokenBatch.pad(SEQS, 0, 0);
    Matrix out = new TransformerForward(Compute.reference(), net).lastHiddenState(batch, rec);
    TransformerBlock b0 = net.blocks().get(0);
    for (int s = 0; s < SEQS.length; s++) {
      Matrix x = rec.seen.get("in0/" + s);
      Matrix heads = rec.seen.get("heads0/" + s);
      Matrix ffn = rec.seen.get("ffn0/" + s);
      assertEquals(SEQS[s].length, x.rows());
      assertEquals(12, heads.cols());
      assertEquals(16, ffn.cols());
      // h = LN1(x + heads·Woᵀ + bo); y = LN2(h + ffn·Wdᵀ + bd) must be block 1's input
      Matrix h = norm(add(x, affine(heads, b0.attention().output().weight(), b0.attention().output().bias())), b0.attentionNorm());
      Matrix y = norm(add(h, affine(ffn, b0.mlp().down().weight(), b0.mlp().down().bias())), b0.mlpNorm());
      assertTrue(maxRowDiff(y, 0, rec.seen.get("in1/" + s), 0, y.rows()) < 1e-5);
      // the FFN activation is GELU of the up projection of h
      Matrix up = affine(h, b0.mlp().up().weight(), b0.mlp().up().bias());
      double g = up.get(0, 0);
      assertEquals(g * 0.5 * (1 + erf(g / Math.sqrt(2))), ffn.get(0, 0), 1e-5);
    }
    assertEquals(SEQS.length * 6, rec.seen.size());
    assertEquals(SEQS.length * batch.length(), out.rows());
  }

  @Test
  void pruningKeepsShapesAndAllHeadsIsIdentity() {
    TransformerNetwork net = RandomNetworks.bert(4, 20, 3, 4, 16, 2);
    TokenBatch batch = TokenBatch.pad(SEQS, 0, 0);
    Matrix a = new TransformerForward(Compute.reference(), net).lastHiddenState(batch);
    Matrix b = new TransformerForward(Compute.reference(),
        Pruning.keepNeurons(Pruning.keepHeads(net, 1, new int[] {0, 1, 2}), 0, java.util.stream.IntStream.range(0, 16).toArray()))
        .lastHiddenState(batch);
    assertEquals(0.0, maxRowDiff(a, 0, b, 0, a.rows()));
    TransformerNetwork cut = Pruning.keepHeads(Pruning.keepNeurons(net, 0, new int[] {1, 5, 9}), 1, new int[] {2});
    assertEquals(1, cut.blocks().get(1).attention().heads());
    assertEquals(3, cut.blocks().get(0).mlp().width());
    assertTrue(cut.parameterCount() < net.parameterCount());
    assertThrows(InvalidArgumentException.class, () -> Pruning.keepHeads(net, 0, new int[] {2, 1}));
  }

  @Test
  void rejectsTokenIdsOutsideTheVocabulary() {
    TransformerNetwork net = RandomNetworks.bert(5, 20, 2, 4, 8, 1);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new TransformerForward(Compute.reference(), net).lastHiddenState(TokenBatch.pad(new int[][] {{3, 20}}, 0, 0)));
    assertTrue(e.getMessage().contains("token id 20"), e.getMessage());
  }

  @Test
  void meanPoolingIgnoresPaddingAndNormalises() {
    TokenBatch batch = TokenBatch.pad(new int[][] {{1, 2}, {3}}, 0, 0);
    Matrix h = Matrix.of(structura.api.DType.F32, 4, 2, 3, 4, 1, 0, 6, 8, 100, 100);
    Matrix e = SentenceEmbeddings.meanPool(h, batch, true);
    assertEquals(Math.sqrt(0.5), e.get(0, 0), 1e-6); // mean of (3, 4) and (1, 0) is (2, 2), normalised
    assertEquals(0.6, e.get(1, 0), 1e-6);            // (6, 8) / 10: the padded (100, 100) row is ignored
    assertEquals(0.8, e.get(1, 1), 1e-6);
  }

  // ---- plain-loop helpers, independent of Compute ----

  static Matrix affine(Matrix x, Matrix w, Matrix bias) {
    Matrix y = Matrix.zeros(structura.api.DType.F32, x.rows(), w.rows());
    for (int i = 0; i < x.rows(); i++) {
      for (int o = 0; o < w.rows(); o++) {
        double s = bias == null ? 0 : bias.get(0, o);
        for (int k = 0; k < x.cols(); k++) {
          s += x.get(i, k) * w.get(o, k);
        }
        y.set(i, o, s);
      }
    }
    return y;
  }

  static Matrix add(Matrix a, Matrix b) {
    Matrix y = a.copy();
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        y.set(i, j, a.get(i, j) + b.get(i, j));
      }
    }
    return y;
  }

  static Matrix norm(Matrix x, Norm n) {
    Matrix y = x.copy();
    for (int i = 0; i < x.rows(); i++) {
      double mean = 0;
      for (int j = 0; j < x.cols(); j++) {
        mean += x.get(i, j) / x.cols();
      }
      double var = 0;
      for (int j = 0; j < x.cols(); j++) {
        var += (x.get(i, j) - mean) * (x.get(i, j) - mean) / x.cols();
      }
      for (int j = 0; j < x.cols(); j++) {
        y.set(i, j, (x.get(i, j) - mean) / Math.sqrt(var + n.eps()) * n.gamma().get(0, j) + n.beta().get(0, j));
      }
    }
    return y;
  }

  /** erf by Simpson quadrature (independent of the backend's series). */
  static double erf(double x) {
    int n = 2000;
    double h = x / n;
    double s = 1 + Math.exp(-x * x);
    for (int k = 1; k < n; k++) {
      s += (k % 2 == 1 ? 4 : 2) * Math.exp(-(k * h) * (k * h));
    }
    return s * h / 3 * 2 / Math.sqrt(Math.PI);
  }
}
