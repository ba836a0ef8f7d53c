package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.ActivationHook;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The block-at-a-time forward-pass entry points sequential calibration relies on
 * ({@link TransformerForward#embeddings}, {@link TransformerForward#block},
 * {@link BlockSteps#observeBlock}, {@link BlockSteps#blockFromHeads}), on a
 * post-LN BERT encoder and a pre-norm Llama decoder, with padded batches.
 */
class CompressionForwardPassTest {
  static final Compute C = Compute.reference();

  static List<TransformerNetwork> networks() {
    return List.of(CompressionFixtures.bert(41), RandomNetworks.llama(42, CompressionFixtures.VOCAB, 4, 4, 8, 48, 2),
        RandomNetworks.llama(43, CompressionFixtures.VOCAB, 4, 2, 8, 48, 2));
  }

  /** Records copies of the attention-head and FFN rows per block and sequence. */
  static final class Recorder implements ActivationHook {
    final boolean realOnly;
    final Map<String, Matrix> seen = new HashMap<>();

    Recorder(boolean realOnly) {
      this.realOnly = realOnly;
    }

    @Override
    public boolean realTokensOnly() {
      return realOnly;
    }

    @Override
    public void attentionHeads(int block, int sequence, Matrix rows) {
      seen.put("heads" + block + "/" + sequence, rows.copy());
    }

    @Override
    public void ffnIntermediate(int block, int sequence, Matrix rows) {
      seen.put("ffn" + block + "/" + sequence, rows.copy());
    }

    @Override
    public void blockOutput(int block, int sequence, Matrix rows) {
      seen.put("out" + block + "/" + sequence, rows.copy());
    }
  }

  @Test
  void observeBlockEmitsWhatBlockEmits() {
    TokenBatch batch = CompressionFixtures.batch(44, 4);
    for (TransformerNetwork net : networks()) {
      TransformerForward f = new TransformerForward(C, net);
      Matrix x = f.embeddings(batch);
      for (int i = 0; i < net.depth(); i++) {
        for (boolean realOnly : new boolean[] {true, false}) {
          Recorder full = new Recorder(realOnly);
          Recorder observed = new Recorder(realOnly);
          Matrix before = x.copy();
          Matrix next = f.block(i, x, batch, full);
          BlockSteps.observeBlock(f, i, x, batch, observed);
          assertEquals(0.0, CompressionFixtures.maxDiff(before, x), "observeBlock and block leave x alone");
          for (int s = 0; s < batch.batch(); s++) {
            for (String kind : new String[] {"heads", "ffn"}) {
              Matrix a = full.seen.get(kind + i + "/" + s);
              Matrix b = observed.seen.get(kind + i + "/" + s);
              assertEquals(realOnly ? batch.validTokens(s) : batch.length(), b.rows());
              assertEquals(a.cols(), b.cols());
              assertTrue(CompressionFixtures.maxDiff(a, b) <= 1e-6, kind + " of block " + i + ", sequence " + s);
            }
          }
          assertTrue(observed.seen.keySet().stream().noneMatch(k -> k.startsWith("out")),
              "observeBlock stops before the block output");
          assertEquals(batch.batch(), full.seen.keySet().stream().filter(k -> k.startsWith("out")).count());
          if (!realOnly) {
            x = next;
          }
        }
      }
    }
  }

  @Test
  void foldingBlocksEqualsLastHiddenState() {
    TokenBatch batch = CompressionFixtures.batch(45, 5);
    for (TransformerNetwork net : networks()) {
      TransformerForward f = new TransformerForward(C, net);
      Matrix x = f.embeddings(batch);
      for (int i = 0; i < net.depth(); i++) {
        x = f.block(i, x, batch, null);
      }
      if (net.finalNorm() != null) {
        Norm n = net.finalNorm();
        if (n.kind() == Norm.Kind.RMS_NORM) {
          C.rmsNorm(x, n.gamma(), n.eps());
        } else {
          C.layerNorm(x, n.gamma(), n.beta(), n.eps());
        }
      }
      Matrix direct = f.lastHiddenState(batch);
      assertTrue(CompressionFixtures.maxDiff(direct, x) <= 1e-6, "max |Δ| " + CompressionFixtures.maxDiff(direct, x));
      // and the check is not vacuous: one block fewer is different
      Matrix shorter = f.embeddings(batch);
      for (int i = 0; i < net.depth() - 1; i++) {
        shorter = f.block(i, shorter, batch, null);
      }
      assertTrue(CompressionFixtures.maxDiff(direct, shorter) > 1e-2);
    }
  }

  @Test
  void blockFromHeadsOfKeptHeadsEqualsTheHeadPrunedBlock() {
    TokenBatch batch = CompressionFixtures.batch(46, 4);
    int[] keep = {0, 2, 3};
    for (TransformerNetwork net : networks().subList(0, 2)) { // keepHeads needs one key/value head per head
      TransformerForward f = new TransformerForward(C, net);
      Matrix x = f.embeddings(batch);
      for (int i = 0; i < net.depth(); i++) {
        int dv = net.blocks().get(i).attention().valueDim();
        Recorder all = new Recorder(false);
        BlockSteps.observeBlock(f, i, x, batch, all);
        Matrix kept = Matrix.zeros(DType.F32, x.rows(), keep.length * dv);
        for (int s = 0; s < batch.batch(); s++) {
          Matrix h = all.seen.get("heads" + i + "/" + s);
          for (int k = 0; k < keep.length; k++) {
            kept.view(s * batch.length(), k * dv, batch.length(), dv).copyFrom(h.view(0, keep[k] * dv, batch.length(), dv));
          }
        }
        TransformerNetwork pruned = Pruning.keepHeads(net, i, keep);
        TransformerForward pf = new TransformerForward(C, pruned);
        Matrix want = pf.block(i, x, batch, null);
        Matrix got = BlockSteps.blockFromHeads(pf, i, x, kept, batch);
        double diff = CompressionFixtures.maxDiff(want, got);
        assertTrue(diff <= 1e-5, "block " + i + ": max |Δ| " + diff);
        // the pruned block really differs from the original one, so the comparison means something
        assertTrue(CompressionFixtures.maxDiff(want, f.block(i, x, batch, null)) > 1e-3);
        // blockFromHeads of the unpruned network with all heads is block() itself
        Matrix everything = Matrix.zeros(DType.F32, x.rows(), 4 * dv);
        for (int s = 0; s < batch.batch(); s++) {
          everything.view(s * batch.length(), 0, batch.length(), 4 * dv).copyFrom(all.seen.get("heads" + i + "/" + s));
        }
        assertTrue(CompressionFixtures.maxDiff(f.block(i, x, batch, null), BlockSteps.blockFromHeads(f, i, x, everything, batch)) <= 1e-5);
        Matrix input = x;
        int block = i;
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
            () -> BlockSteps.blockFromHeads(pf, block, input, everything, batch));
        assertEquals(ErrorCode.DIMENSION_MISMATCH, e.code());
        x = f.block(i, x, batch, null);
      }
    }
  }
}
