package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.BLOCKS;
import static structura.algorithms.compress.CompressionFixtures.DUPLICATES;
import static structura.algorithms.compress.CompressionFixtures.FFN;
import static structura.algorithms.compress.CompressionFixtures.HEADS;
import static structura.algorithms.compress.CompressionFixtures.HEAD_DIM;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Activation;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * MoDeGPT ({@link ModegptStrategy}): the block-influence allocation and end-to-end properties on the
 * tiny BERT of {@link CompressionFixtures}; its product SVD is tested in {@code linalg.ProductSvdTest}.
 */
class ModegptStrategyTest {
  static final Compute C = Compute.reference();

  // ---- allocation ----------------------------------------------------------------------------

  @Test
  void sparsityAveragesToTheTargetAndFavoursInfluentialBlocks() {
    double[] bi = {0.05, 0.30, 0.10, 0.20, 0.12, 0.02};
    int n = bi.length;
    double[] phi = ModegptStrategy.sparsity(bi, 0.3, 0.15, 0.8);
    assertTrue(Arrays.stream(phi).allMatch(p -> p < 0.8), "nothing clips here: " + Arrays.toString(phi));
    assertEquals(0.3, Arrays.stream(phi).average().orElseThrow(), 1e-12);
    // softmax(−BI/ε): ratios are exp(−ΔBI/ε)
    assertEquals(Math.exp(-(bi[1] - bi[0]) / 0.15), phi[1] / phi[0], 1e-12);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (bi[i] > bi[j]) {
          assertTrue(phi[i] < phi[j], "higher BI, lower sparsity: " + Arrays.toString(phi));
        }
      }
    }
    // equal influence: uniform
    double[] uniform = ModegptStrategy.sparsity(new double[] {0.2, 0.2, 0.2, 0.2}, 0.4, 0.15, 0.8);
    for (double p : uniform) {
      assertEquals(0.4, p, 1e-12);
    }
  }

  @Test
  void sparsityClipsAtTheMaximumAndRedistributesTheExcess() {
    // block 0 has tiny influence: softmax gives it almost all of the sparsity, far above the cap
    double[] bi = {0.0, 0.5, 0.55, 0.6, 0.9};
    double max = 0.7;
    double avg = 0.5;
    double[] phi = ModegptStrategy.sparsity(bi, avg, 0.15, max);
    assertEquals(max, phi[0], 1e-15, Arrays.toString(phi));
    assertEquals(avg * bi.length, Arrays.stream(phi).sum(), 1e-12, "sum preserved: " + Arrays.toString(phi));
    for (double p : phi) {
      assertTrue(p <= max + 1e-15, Arrays.toString(phi));
    }
    for (int i = 1; i < bi.length; i++) {
      assertTrue(phi[i] <= phi[i - 1] + 1e-15, "BI ascending, sparsity non-increasing: " + Arrays.toString(phi));
    }
    // cascading clips: redistribution pushes the next block over the cap too
    double[] cascade = ModegptStrategy.sparsity(new double[] {0.0, 0.05, 0.5, 0.6}, 0.6, 0.15, 0.7);
    assertEquals(0.7, cascade[0], 1e-15);
    assertEquals(0.7, cascade[1], 1e-15);
    assertEquals(2.4, Arrays.stream(cascade).sum(), 1e-12, Arrays.toString(cascade));
    assertTrue(cascade[2] > cascade[3], Arrays.toString(cascade));
    // average at the cap: every block at the cap
    for (double p : ModegptStrategy.sparsity(bi, max, 0.15, max)) {
      assertEquals(max, p, 1e-12);
    }
  }

  // ---- end to end ----------------------------------------------------------------------------

  static CompressionResult compress(TransformerNetwork n, CalibrationData data, Budget b, Map<String, String> options) {
    return new ModegptStrategy().compress(new CompressionRequest(n, data, b, C, options, null));
  }

  /** Largest |Δ last hidden state| over the real tokens of two fresh batches. */
  static double outputChange(TransformerNetwork original, TransformerNetwork compressed) {
    TransformerForward f0 = new TransformerForward(C, original);
    TransformerForward f1 = new TransformerForward(C, compressed);
    double m = 0;
    for (TokenBatch batch : List.of(CompressionFixtures.batch(43, 5), CompressionFixtures.batch(44, 7))) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(f0.lastHiddenState(batch), f1.lastHiddenState(batch), batch));
    }
    return m;
  }

  @Test
  void keepingEverythingLeavesTheOutputUnchangedAndFoldsValueBiases() {
    TransformerNetwork net = CompressionFixtures.bert(41);
    CompressionResult r = compress(net, CompressionFixtures.calibration(42), new Budget.KeepFractions(1, 1), Map.of());
    double change = outputChange(net, r.network());
    assertTrue(change <= 1e-4, "max |Δ last hidden state| = " + change);
    for (int b = 0; b < BLOCKS; b++) {
      Attention before = net.blocks().get(b).attention();
      Attention after = r.network().blocks().get(b).attention();
      assertEquals(HEADS, after.heads());
      assertEquals(HEAD_DIM, after.headDim());
      assertEquals(HEAD_DIM, after.valueDim());
      // keep-neurons 1 skips Nyström: the MLP is returned as is (no 1e-6 ridge error)
      assertSame(net.blocks().get(b).mlp(), r.network().blocks().get(b).mlp());
      // the fixture has value biases: they are folded into the output bias, b_o' = b_o + W_o b_v
      double vb = 0;
      for (int j = 0; j < before.value().out(); j++) {
        vb = Math.max(vb, Math.abs(before.value().bias().get(0, j)));
        assertEquals(0.0, after.value().bias().get(0, j), "value bias " + j + " of block " + b);
      }
      assertTrue(vb > 0.01, "the fixture's value biases are nonzero");
      for (int i = 0; i < before.output().out(); i++) {
        double expected = before.output().bias().get(0, i);
        for (int j = 0; j < before.value().out(); j++) {
          expected += before.output().weight().get(i, j) * before.value().bias().get(0, j);
        }
        assertEquals(expected, after.output().bias().get(0, i), 1e-5, "output bias " + i + " of block " + b);
      }
      assertEquals(before.scale(), after.scale());
    }
    CompressionReport rep = r.report();
    assertEquals("modegpt", rep.method());
    assertEquals(1.0, rep.macFraction(), 1e-12);
  }

  @Test
  void svdQueryKeyAndSequentialStatisticsKeepingEverythingLeaveTheOutputUnchanged() {
    TransformerNetwork net = CompressionFixtures.bert(41);
    CompressionResult r = compress(net, CompressionFixtures.calibration(42), new Budget.KeepFractions(1, 1),
        Map.of("query-key", "svd", "sequential", "true"));
    double change = outputChange(net, r.network());
    assertTrue(change <= 1e-3, "max |Δ last hidden state| = " + change);
  }

  /**
   * Every head's query, key and value rows replaced by {@code R·P·W} (and biases alike), with P
   * keeping the first half of the rows and R a random rotation: the score map W̃_qᵀW̃_k and the
   * value-output map have rank d_h/2 in every head, while every query and key dimension stays
   * active, so no choice of d_h/2 dimensions (the paper's column-row step) reproduces the scores.
   */
  static TransformerNetwork halfRankHeads(long seed) {
    TransformerNetwork net = CompressionFixtures.bert(seed);
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      for (Linear l : List.of(a.query(), a.key(), a.value())) {
        for (int h = 0; h < HEADS; h++) {
          double[][] rot = CompressionFixtures.gaussian(rnd, HEAD_DIM, HEAD_DIM);
          double[][] rows = new double[HEAD_DIM][l.in() + 1];
          for (int t = 0; t < HEAD_DIM; t++) {
            for (int j = 0; j < l.in(); j++) {
              rows[t][j] = l.weight().get(h * HEAD_DIM + t, j);
            }
            rows[t][l.in()] = l.bias().get(0, h * HEAD_DIM + t);
          }
          for (int t = 0; t < HEAD_DIM; t++) {
            for (int j = 0; j <= l.in(); j++) {
              double v = 0;
              for (int u = 0; u < HEAD_DIM / 2; u++) {
                v += rot[t][u] * rows[u][j] / Math.sqrt(HEAD_DIM);
              }
              if (j < l.in()) {
                l.weight().set(h * HEAD_DIM + t, j, (float) v);
              } else {
                l.bias().set(0, h * HEAD_DIM + t, (float) v);
              }
            }
          }
        }
      }
    }
    return net;
  }

  @Test
  void svdQueryKeyIsExactOnHalfRankHeadsWhereColumnRowSelectionIsNot() {
    TransformerNetwork net = halfRankHeads(61);
    Budget half = new Budget.KeepFractions(0.5, 1);
    CompressionResult svd = compress(net, CompressionFixtures.calibration(62), half, Map.of("query-key", "svd"));
    CompressionResult cr = compress(net, CompressionFixtures.calibration(62), half, Map.of());
    for (TransformerBlock b : svd.network().blocks()) {
      assertEquals(HEAD_DIM / 2, b.attention().headDim());
      assertEquals(HEAD_DIM / 2, b.attention().valueDim());
    }
    double svdChange = outputChange(net, svd.network());
    double crChange = outputChange(net, cr.network());
    assertTrue(svdChange <= 1e-3, "svd query-key: max |Δ last hidden state| = " + svdChange);
    assertTrue(crChange > 100 * svdChange, "column-row " + crChange + " vs svd " + svdChange);
  }

  /**
   * {@link CompressionFixtures#bert} with ReLU FFNs in which neurons 48..63 are copies of neurons
   * 0..15 scaled by 4 (up rows and biases): ReLU(4z) = 4·ReLU(z), so the FFN activations have rank
   * 48 and the Nyström approximation on the 32 unique neurons plus the 16 scaled copies is exact.
   * The scale breaks the tie of the ridge leverage scores (the copy takes about 16/17 of the pair's
   * leverage), so the top-48 selection is exactly that spanning set.
   */
  static TransformerNetwork scaledCopiesRelu(long seed) {
    TransformerNetwork net = CompressionFixtures.bert(seed);
    for (int b = 0; b < BLOCKS; b++) {
      TransformerBlock blk = net.blocks().get(b);
      Linear up = blk.mlp().up();
      for (int j = 0; j < DUPLICATES; j++) {
        int to = FFN - DUPLICATES + j;
        for (int c = 0; c < up.in(); c++) {
          up.weight().set(to, c, 4 * up.weight().get(j, c));
        }
        up.bias().set(0, to, 4 * up.bias().get(0, j));
      }
      net = structura.algorithms.nn.Pruning.replace(net, b, new TransformerBlock(blk.attention(),
          new Mlp(up, null, blk.mlp().down(), Activation.RELU), blk.attentionNorm(), blk.mlpNorm(), blk.placement()));
    }
    return net;
  }

  @Test
  void nystromOnAnExactlyLowRankFfnReproducesTheOutput() {
    TransformerNetwork net = scaledCopiesRelu(45);
    Budget keep48 = new Budget.KeepFractions(1, (double) (FFN - DUPLICATES) / FFN);
    CompressionResult r = compress(net, CompressionFixtures.calibration(46), keep48, Map.of());
    for (int b = 0; b < BLOCKS; b++) {
      assertEquals(FFN - DUPLICATES, r.network().blocks().get(b).mlp().width());
      assertEquals(HEAD_DIM, r.network().blocks().get(b).attention().headDim(), "keep-heads 1 keeps the query-key width");
      assertEquals(HEAD_DIM, r.network().blocks().get(b).attention().valueDim(), "keep-heads 1 keeps the value width");
      int[] rows = CompressionExactnessTest.originalRows(net.blocks().get(b).mlp().up().weight(),
          r.network().blocks().get(b).mlp().up().weight());
      for (int j = 0; j < rows.length; j++) {
        assertEquals(j + DUPLICATES, rows[j], "block " + b + " keeps neurons 16..63: " + Arrays.toString(rows));
      }
    }
    double change = outputChange(net, r.network());
    CompressionResult mag = new MagnitudeStrategy().compress(new CompressionRequest(net, CompressionFixtures.calibration(46),
        keep48, C, Map.of(), null));
    double magChange = outputChange(net, mag.network());
    assertTrue(change <= 1e-3, "max |Δ last hidden state| = " + change + " (magnitude: " + magChange + ")");
    assertTrue(magChange > 100 * change, "magnitude " + magChange + " vs Nyström " + change);
  }

  @Test
  void tiedDuplicateNeuronsAreNotDeduplicatedByLeverageScores() {
    // Exact duplicates (GELU, fixture redundantBert) tie in ridge leverage score, so top-48 keeps
    // all 32 unique neurons plus BOTH copies of 8 pairs and NEITHER of the other 8: the kept
    // columns span 40 of the 48 dimensions and the Nyström output is not exact. This is the
    // method's independent top-k selection (MoDeGPT), not a numerical error; the correction still
    // beats magnitude pruning of the same width.
    TransformerNetwork net = CompressionFixtures.redundantBert(45);
    Budget keep48 = new Budget.KeepFractions(1, (double) (FFN - DUPLICATES) / FFN);
    CompressionResult r = compress(net, CompressionFixtures.calibration(46), keep48, Map.of());
    for (int b = 0; b < BLOCKS; b++) {
      int[] rows = CompressionExactnessTest.originalRows(net.blocks().get(b).mlp().up().weight(),
          r.network().blocks().get(b).mlp().up().weight());
      for (int j = DUPLICATES; j < FFN - DUPLICATES; j++) {
        final int u = j;
        assertTrue(Arrays.stream(rows).anyMatch(x -> x == u), "unique neuron " + j + " kept: " + Arrays.toString(rows));
      }
    }
    double change = outputChange(net, r.network());
    CompressionResult mag = new MagnitudeStrategy().compress(new CompressionRequest(net, CompressionFixtures.calibration(46),
        keep48, C, Map.of(), null));
    double magChange = outputChange(net, mag.network());
    assertTrue(change < magChange, "Nyström " + change + " vs magnitude " + magChange);
  }

  @Test
  void macBudgetIsMet() {
    TransformerNetwork net = CompressionFixtures.bert(47);
    CalibrationData data = CompressionFixtures.calibration(48);
    CompressionResult r = compress(net, data, new Budget.MacFraction(0.5), Map.of());
    double f = r.report().macFraction();
    assertTrue(f <= 0.5 + 1e-12 && f > 0.3, "MAC fraction " + f);
    MacModel m = new MacModel(data.meanLength());
    assertEquals(m.network(r.network()) / m.network(net), f, 1e-12);
    // the input network is untouched
    assertEquals(HEAD_DIM, net.blocks().get(0).attention().headDim());
    CompressionResult p = compress(net, data, new Budget.ParameterFraction(0.6), Map.of());
    assertTrue(p.report().parameterFraction() <= 0.6 + 1e-12, "parameter fraction " + p.report().parameterFraction());
  }

  @Test
  void decodersCompressWithRotaryPairsAndRefuseTheSvdQueryKeyStep() {
    CalibrationData data = CompressionFixtures.calibration(49);
    for (TransformerNetwork n : List.of(RandomNetworks.llama(50, CompressionFixtures.VOCAB, 4, 2, 8, 64, 2),
        RandomNetworks.llama(51, CompressionFixtures.VOCAB, 4, 4, 8, 64, 2))) {
      // the default CR step keeps whole rotary pairs per key/value group (exactness: DecoderCompressionExactnessTest)
      CompressionResult r = compress(n, data, new Budget.KeepFractions(0.5, 0.5), Map.of());
      for (var b : r.network().blocks()) {
        assertEquals(4, b.attention().headDim());
        assertEquals(n.blocks().get(0).attention().kvHeads(), b.attention().rotary().frequencies().length);
      }
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> compress(n, data, new Budget.KeepFractions(0.5, 0.5), Map.of("query-key", "svd")));
      assertTrue(e.remedy().contains("query-key=cr"), e.getMessage());
      assertTrue(e.detail().contains("RoPE"), e.getMessage());
    }
  }

  @Test
  void unreachableTargetStatesTheSmallestReachableFraction() {
    TransformerNetwork net = CompressionFixtures.bert(52);
    CalibrationData data = CompressionFixtures.calibration(53);
    UnreachableTargetException e = assertThrows(UnreachableTargetException.class,
        () -> compress(net, data, new Budget.MacFraction(0.001), Map.of()));
    assertEquals(ErrorCode.TARGET_UNREACHABLE, e.code());
    double smallest = e.smallestReachable();
    double stated = Math.ceil(smallest * 1e4) / 1e4;
    assertTrue(e.remedy().contains(String.format(Locale.ROOT, "--target %.4f", stated)), e.getMessage());
    assertTrue(e.detail().contains(String.format(Locale.ROOT, "still costs %.4f", smallest)), e.getMessage());
    assertTrue(smallest > 0.001 && smallest < 1, e.getMessage());
    // the stated value is reachable and met
    CompressionResult r = compress(net, data, new Budget.MacFraction(stated), Map.of());
    assertTrue(r.report().macFraction() <= stated + 1e-12, "fraction " + r.report().macFraction());
    assertTrue(r.report().macFraction() >= smallest - 1e-4, "fraction " + r.report().macFraction());
    assertNotEquals(1.0, r.report().macFraction());
  }
}
