package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionStrategies;
import structura.algorithms.compress.MacModel;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Factored linear layers ({@link Linear#factored}, W = U·V): the forward pass equals the network
 * with the dense product U·V (formed here by a plain double loop, independent of the code under
 * test), MAC and parameter counts are {@code k·(in + out)}, and every operation that needs dense
 * weights rejects a factored layer with {@code STRUCTURA-A007}.
 */
class FactoredLinearTest {
  static final Compute C = Compute.reference();

  static Matrix random(SplittableRandom rnd, int rows, int cols, double scale) {
    Matrix m = Matrix.zeros(DType.F32, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-scale, scale));
      }
    }
    return m;
  }

  /** U·V by a double loop, rounded to F32. */
  static Matrix product(Matrix u, Matrix v) {
    Matrix w = Matrix.zeros(DType.F32, u.rows(), v.cols());
    for (int i = 0; i < u.rows(); i++) {
      for (int j = 0; j < v.cols(); j++) {
        double s = 0;
        for (int t = 0; t < u.cols(); t++) {
          s += u.get(i, t) * v.get(t, j);
        }
        w.set(i, j, s);
      }
    }
    return w;
  }

  /** A random rank-k factored layer with the shape and bias of {@code l}, and its dense twin. */
  record Pair(Linear factored, Linear dense) {}

  static Pair pair(SplittableRandom rnd, Linear l, int k) {
    double s = Math.pow(1.0 / l.in(), 0.25);
    Matrix u = random(rnd, l.out(), k, s);
    Matrix v = random(rnd, k, l.in(), s);
    return new Pair(Linear.factored(u, v, l.bias()), new Linear(product(u, v), l.bias()));
  }

  /** The network with every linear layer of every block replaced, factored and dense. */
  static TransformerNetwork[] replaceAll(TransformerNetwork net, long seed, int k) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<TransformerBlock> fact = new ArrayList<>();
    List<TransformerBlock> dense = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      Pair q = pair(rnd, a.query(), k);
      Pair kk = pair(rnd, a.key(), k);
      Pair v = pair(rnd, a.value(), k);
      Pair o = pair(rnd, a.output(), k);
      Pair up = pair(rnd, m.up(), k);
      Pair gate = m.gate() == null ? null : pair(rnd, m.gate(), k);
      Pair down = pair(rnd, m.down(), k);
      fact.add(block(b, q.factored(), kk.factored(), v.factored(), o.factored(), up.factored(),
          gate == null ? null : gate.factored(), down.factored()));
      dense.add(block(b, q.dense(), kk.dense(), v.dense(), o.dense(), up.dense(), gate == null ? null : gate.dense(),
          down.dense()));
    }
    Pair head = net.lmHead() == null ? null : pair(rnd, net.lmHead(), k);
    return new TransformerNetwork[] {
        new TransformerNetwork(net.family(), net.embeddings(), fact, net.finalNorm(), head == null ? null : head.factored(),
            Map.of()),
        new TransformerNetwork(net.family(), net.embeddings(), dense, net.finalNorm(), head == null ? null : head.dense(),
            Map.of())};
  }

  static TransformerBlock block(TransformerBlock b, Linear q, Linear k, Linear v, Linear o, Linear up, Linear gate,
      Linear down) {
    Attention a = b.attention();
    return new TransformerBlock(new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), q, k, v, o, a.scale(),
        a.causal(), a.rotary()), new Mlp(up, gate, down, b.mlp().activation()), b.attentionNorm(), b.mlpNorm(), b.placement());
  }

  static TokenBatch batch(long seed, int vocab) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] s = new int[3][];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.ints(4 + 3 * i, 1, vocab).toArray();
    }
    return TokenBatch.pad(s, 0, 0);
  }

  static double maxAbsDiff(Matrix a, Matrix b) {
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
      }
    }
    return m;
  }

  @Test
  void bertForwardWithFactoredLayersEqualsTheDenseProduct() {
    TransformerNetwork net = RandomNetworks.bert(3, 50, 4, 8, 48, 2);
    TransformerNetwork[] n = replaceAll(net, 4, 5);
    TokenBatch batch = batch(5, 50);
    Matrix f = new TransformerForward(C, n[0]).lastHiddenState(batch);
    Matrix d = new TransformerForward(C, n[1]).lastHiddenState(batch);
    double diff = maxAbsDiff(f, d);
    assertTrue(diff < 2e-5, "max |factored - dense| = " + diff);
    // the network really changed (the factors are not the original weights)
    assertTrue(maxAbsDiff(f, new TransformerForward(C, net).lastHiddenState(batch)) > 1e-2);
  }

  @Test
  void llamaForwardAndLogitsWithFactoredLayersEqualTheDenseProduct() {
    TransformerNetwork net = RandomNetworks.llama(6, 40, 4, 2, 8, 24, 2);
    TransformerNetwork[] n = replaceAll(net, 7, 3);
    TokenBatch batch = batch(8, 40);
    double diff = maxAbsDiff(new TransformerForward(C, n[0]).logits(batch), new TransformerForward(C, n[1]).logits(batch));
    assertTrue(diff < 2e-5, "max |factored - dense| logits = " + diff);
  }

  @Test
  void macsAndParametersCountTheFactors() {
    TransformerNetwork net = RandomNetworks.bert(3, 50, 4, 8, 48, 2);
    TransformerNetwork f = replaceAll(net, 4, 5)[0];
    TransformerBlock b = f.blocks().get(0);
    Linear up = b.mlp().up();
    assertTrue(up.isFactored());
    assertEquals(5, up.rank());
    assertEquals(5L * (32 + 48), up.macsPerRow());
    assertEquals(5L * (32 + 48) + 48, up.parameterCount());
    double l = 12.5;
    MacModel macs = new MacModel(l);
    // by hand: 4 projections 32x32 and up/down 48x32 at rank 5; scores and values L²·H·(d_qk + d_v)
    double attention = l * 4 * 5 * (32 + 32) + l * l * 4 * (8 + 8);
    double mlp = l * 2 * 5 * (32 + 48);
    assertEquals(attention, macs.attention(b.attention()), 1e-9);
    assertEquals(mlp, macs.mlp(b.mlp()), 1e-9);
    assertEquals(attention + mlp, macs.block(b), 1e-9);
    // dense: the same formulas with in·out
    TransformerBlock dense = net.blocks().get(0);
    assertEquals(l * 4 * 32 * 32 + l * l * 4 * 16 + l * 2 * 32 * 48, macs.block(dense), 1e-9);
    long parameters = 4 * (5L * 64 + 32) + (5L * 80 + 48) + (5L * 80 + 32) + 4 * 32;
    assertEquals(parameters, b.parameterCount());
  }

  @Test
  void aFactoredLayerHasNoDenseWeightAndSaysSo() {
    SplittableRandom rnd = new SplittableRandom(1);
    Linear f = Linear.factored(random(rnd, 6, 2, 1), random(rnd, 2, 4, 1), null);
    assertEquals(6, f.out());
    assertEquals(4, f.in());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, f::weight);
    assertEquals(ErrorCode.FACTORED_LAYER, e.code());
    assertTrue(e.getMessage().contains("STRUCTURA-A007") && e.getMessage().contains("rank 2"), e.getMessage());
    // neither or both forms, mismatched factors, a wrong bias: coded errors, not NullPointerException
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(InvalidArgumentException.class,
        () -> new Linear(null, null, null)).code());
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(InvalidArgumentException.class,
        () -> new Linear(random(rnd, 6, 4, 1), null, f.factors())).code());
    assertEquals(ErrorCode.DIMENSION_MISMATCH, assertThrows(InvalidArgumentException.class,
        () -> Linear.factored(random(rnd, 6, 2, 1), random(rnd, 3, 4, 1), null)).code());
    assertEquals(ErrorCode.DIMENSION_MISMATCH, assertThrows(InvalidArgumentException.class,
        () -> Linear.factored(random(rnd, 6, 2, 1), random(rnd, 2, 4, 1), random(rnd, 1, 4, 1))).code());
    assertFalse(new Linear(random(rnd, 6, 4, 1), null).isFactored());
  }

  @Test
  void pruningAndPruningStrategiesRejectFactoredLayers() {
    TransformerNetwork net = RandomNetworks.bert(3, 50, 4, 8, 48, 2);
    TransformerNetwork f = replaceAll(net, 4, 5)[0];
    for (UnaryOperator<TransformerNetwork> op : List.<UnaryOperator<TransformerNetwork>>of(
        n -> Pruning.keepHeads(n, 1, new int[] {0, 2}), n -> Pruning.keepNeurons(n, 0, new int[] {1, 2, 3}))) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> op.apply(f));
      assertEquals(ErrorCode.FACTORED_LAYER, e.code(), e.getMessage());
    }
    assertThrows(InvalidArgumentException.class, () -> f.blocks().get(0).attention().queryHead(0));
    List<int[]> texts = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < 16; i++) {
      texts.add(rnd.ints(8, 1, 50).toArray());
    }
    CalibrationData data = CalibrationData.of(texts, 8, 0);
    for (String method : List.of("stat", "id-prune", "modegpt", "magnitude", "svd")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> CompressionStrategies.byName(method)
          .compress(new CompressionRequest(f, data, new Budget.MacFraction(0.5), C, Map.of(), null)), method);
      assertEquals(ErrorCode.FACTORED_LAYER, e.code(), method + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("block 0's attention query projection is factored"), e.getMessage());
    }
  }
}
