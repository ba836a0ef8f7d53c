package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.BLOCKS;
import static structura.algorithms.compress.CompressionFixtures.DUPLICATES;
import static structura.algorithms.compress.CompressionFixtures.FFN;
import static structura.algorithms.compress.CompressionFixtures.HEADS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * {@link EmbeddingAllocation} against a direct computation of the mean-pooled embeddings, and
 * stat's {@code allocation=embedding} on the planted redundancy of
 * {@link CompressionFixtures#redundantBert}: at the budget that removes exactly the redundant
 * units the output must stay unchanged, and one neuron group less must not.
 */
class EmbeddingAllocationTest {
  static final Compute C = Compute.reference();

  /** Keeps the first heads and neurons without any correction (independent of StatEngine's pruning). */
  static TransformerBlock firstUnits(TransformerNetwork net, int i, int heads, int neurons) {
    TransformerBlock b = net.blocks().get(i);
    return new TransformerBlock(Pruning.keepHeads(b.attention(), IntStream.range(0, heads).toArray()),
        Pruning.keepNeurons(b.mlp(), IntStream.range(0, neurons).toArray()), b.attentionNorm(), b.mlpNorm(),
        b.placement());
  }

  /** Mean over texts of ‖e' − e‖² of the L2-normalised mean-pooled last hidden states, by plain loops. */
  static double directError(TransformerNetwork original, TransformerNetwork pruned, List<TokenBatch> batches) {
    double sum = 0;
    int texts = 0;
    for (TokenBatch batch : batches) {
      Matrix a = new TransformerForward(C, original).lastHiddenState(batch);
      Matrix b = new TransformerForward(C, pruned).lastHiddenState(batch);
      for (int s = 0; s < batch.batch(); s++) {
        double[] ea = new double[a.cols()];
        double[] eb = new double[a.cols()];
        for (int t = 0; t < batch.length(); t++) {
          if (batch.attentionMask()[s * batch.length() + t] == 1) {
            for (int j = 0; j < a.cols(); j++) {
              ea[j] += a.get(s * batch.length() + t, j);
              eb[j] += b.get(s * batch.length() + t, j);
            }
          }
        }
        double na = Math.sqrt(IntStream.range(0, ea.length).mapToDouble(j -> ea[j] * ea[j]).sum());
        double nb = Math.sqrt(IntStream.range(0, eb.length).mapToDouble(j -> eb[j] * eb[j]).sum());
        for (int j = 0; j < ea.length; j++) {
          double d = ea[j] / na - eb[j] / nb;
          sum += d * d;
        }
        texts++;
      }
    }
    return sum / texts;
  }

  @Test
  void theMeasuredErrorIsThatOfThePooledEmbeddings() {
    TransformerNetwork net = CompressionFixtures.bert(31);
    List<TokenBatch> batches = CompressionFixtures.calibration(32).batches();
    List<List<Matrix>> inputs = new ArrayList<>();
    TransformerForward f = new TransformerForward(C, net);
    List<Matrix> states = batches.stream().map(f::embeddings).toList();
    for (int i = 0; i < BLOCKS; i++) {
      inputs.add(states);
      int block = i;
      states = IntStream.range(0, batches.size()).mapToObj(q -> f.block(block, inputs.get(block).get(q), batches.get(q), null))
          .toList();
    }
    EmbeddingAllocation e = new EmbeddingAllocation(C, net, batches, inputs, (i, h, n) -> firstUnits(net, i, h, n));
    assertEquals(0.0, e.of(new int[] {HEADS, HEADS}, new int[] {FFN, FFN}), 1e-10);
    int[] heads = {2, 3};
    int[] neurons = {40, 24};
    TransformerNetwork pruned = net;
    for (int i = 0; i < BLOCKS; i++) {
      pruned = Pruning.replace(pruned, i, firstUnits(net, i, heads[i], neurons[i]));
    }
    double expected = directError(net, pruned, batches);
    assertTrue(expected > 1e-4, "the pruning must change the embeddings: " + expected);
    assertEquals(expected, e.of(heads, neurons), 1e-5 * expected + 1e-9);
    // only block 1 pruned, measured from its saved input
    double single = directError(net, Pruning.replace(net, 1, firstUnits(net, 1, 3, 24)), batches);
    assertEquals(single, e.single(1, 3, 24), 1e-5 * single + 1e-9);
  }

  /** The MAC fraction left after removing one head and {@code neurons} neurons in every block. */
  static double fractionKeeping(TransformerNetwork net, CalibrationData cal, int neurons) {
    TransformerNetwork small = net;
    for (int b = 0; b < BLOCKS; b++) {
      small = Pruning.replace(small, b, firstUnits(small, b, HEADS - 1, neurons));
    }
    MacModel m = new MacModel(cal.meanLength());
    return m.network(small) / m.network(net);
  }

  @Test
  void atTheBudgetOfThePlantedRedundancyTheEmbeddingAllocationIsExact() {
    TransformerNetwork net = CompressionFixtures.redundantBert(21);
    CalibrationData cal = CompressionFixtures.calibration(22);
    TokenBatch fresh = CompressionFixtures.batch(23, 6);
    Matrix expected = new TransformerForward(C, net).lastHiddenState(fresh);
    double exact = fractionKeeping(net, cal, FFN - DUPLICATES);
    CompressionResult r = new StatStrategy().compress(new CompressionRequest(net, cal,
        new Budget.MacFraction(exact + 1e-12), C, Map.of("allocation", "embedding"), null));
    for (int b = 0; b < BLOCKS; b++) {
      assertEquals(HEADS - 1, r.network().blocks().get(b).attention().heads(), "block " + b);
      assertEquals(FFN - DUPLICATES, r.network().blocks().get(b).mlp().width(), "block " + b);
    }
    double change = CompressionFixtures.maxRealRowDiff(expected,
        new TransformerForward(C, r.network()).lastHiddenState(fresh), fresh);
    assertTrue(change <= 1e-4, "max |Δ last hidden state| = " + change);
    // control: one more neuron group somewhere must go, and the output moves
    CompressionResult tighter = new StatStrategy().compress(new CompressionRequest(net, cal,
        new Budget.MacFraction(fractionKeeping(net, cal, FFN - DUPLICATES - 8)), C, Map.of("allocation", "embedding"),
        null));
    assertTrue(tighter.report().macFraction() < exact);
    double moved = CompressionFixtures.maxRealRowDiff(expected,
        new TransformerForward(C, tighter.network()).lastHiddenState(fresh), fresh);
    assertTrue(moved > 1e-3, "max |Δ| = " + moved);
  }
}
