package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.RotaryEmbedding;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Query/key and value/output head widths pruned independently (the MoDeGPT geometry: per
 * key/value head rotary frequencies, scale kept at 1/√(original headDim)) give exactly what the
 * unpruned network gives when the removed rows are zero: a rotary pair whose two entries are zero
 * in both Q and K adds nothing to any score, and a zero value dimension adds nothing to the output.
 */
class DimensionPruningTest {
  // per key/value head: kept frequency pairs (head width 8 → 4 pairs, keep 2) and kept value dims (keep 5 of 8)
  static final int[][] FREQ = {{0, 3}, {1, 2}};
  static final int[][] VALUE = {{0, 2, 3, 6, 7}, {1, 2, 4, 5, 6}};

  @Test
  void prunedGeometryEqualsZeroedWeights() {
    TransformerNetwork net = RandomNetworks.llama(11, 30, 4, 2, 8, 20, 2);
    List<TransformerBlock> zeroed = new ArrayList<>();
    List<TransformerBlock> pruned = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      int group = a.heads() / a.kvHeads();
      List<Integer> qRows = new ArrayList<>();
      List<Integer> kRows = new ArrayList<>();
      List<Integer> vRows = new ArrayList<>();
      List<Integer> oCols = new ArrayList<>();
      for (int h = 0; h < a.heads(); h++) {
        int g = h / group;
        for (int side = 0; side < 2; side++) {
          for (int f : FREQ[g]) {
            qRows.add(h * 8 + f + side * 4);
          }
        }
        for (int v : VALUE[g]) {
          oCols.add(h * 8 + v);
        }
      }
      for (int g = 0; g < a.kvHeads(); g++) {
        for (int side = 0; side < 2; side++) {
          for (int f : FREQ[g]) {
            kRows.add(g * 8 + f + side * 4);
          }
        }
        for (int v : VALUE[g]) {
          vRows.add(g * 8 + v);
        }
      }
      // value head g's kept dims feed output columns of every query head in its group
      List<Integer> vColsOfO = new ArrayList<>();
      for (int h = 0; h < a.heads(); h++) {
        for (int v : VALUE[h / group]) {
          vColsOfO.add(h * 8 + v);
        }
      }
      Attention z = new Attention(4, 2, 8, zeroRows(a.query(), qRows), zeroRows(a.key(), kRows), zeroRows(a.value(), vRows),
          a.output(), true, a.rotary());
      Attention p = new Attention(4, 2, 4, 5, keepRows(a.query(), qRows), keepRows(a.key(), kRows), keepRows(a.value(), vRows),
          new Linear(keepColumns(a.output().weight(), vColsOfO), null), 1 / Math.sqrt(8), true,
          new RotaryEmbedding(8, 10000, FREQ));
      zeroed.add(new TransformerBlock(z, b.mlp(), b.attentionNorm(), b.mlpNorm(), b.placement()));
      pruned.add(new TransformerBlock(p, b.mlp(), b.attentionNorm(), b.mlpNorm(), b.placement()));
      assertEquals(oCols.size(), p.output().in());
    }
    TransformerNetwork nz = new TransformerNetwork(net.family(), net.embeddings(), zeroed, net.finalNorm(), net.lmHead(), null);
    TransformerNetwork np = new TransformerNetwork(net.family(), net.embeddings(), pruned, net.finalNorm(), net.lmHead(), null);
    TokenBatch batch = TokenBatch.pad(TransformerForwardTest.SEQS, 0, 0);
    Matrix a = new TransformerForward(Compute.reference(), nz).logits(batch);
    Matrix b = new TransformerForward(Compute.reference(), np).logits(batch);
    Matrix full = new TransformerForward(Compute.reference(), net).logits(batch);
    assertTrue(TransformerForwardTest.maxRowDiff(a, 0, b, 0, a.rows()) < 1e-5);
    assertTrue(TransformerForwardTest.maxRowDiff(a, 0, full, 0, a.rows()) > 1e-3); // the pruning did change the model
    assertTrue(np.parameterCount() < net.parameterCount());
  }

  @Test
  void rejectsInconsistentPrunedGeometry() {
    TransformerNetwork net = RandomNetworks.llama(12, 30, 4, 2, 8, 20, 1);
    Attention a = net.blocks().get(0).attention();
    // three frequency pairs for a head width of 8 is inconsistent (needs 4)
    assertThrows(InvalidArgumentException.class, () -> new Attention(4, 2, 8, 8, a.query(), a.key(), a.value(), a.output(),
        0.3, true, new RotaryEmbedding(8, 10000, new int[][] {{0, 1, 2}, {0, 1, 3}})));
    assertThrows(InvalidArgumentException.class, () -> new RotaryEmbedding(8, 10000, new int[][] {{2, 1}}));
    assertThrows(InvalidArgumentException.class, () -> new Attention(4, 2, 8, 8, a.query(), a.key(), a.value(), a.output(),
        0, true, null));
  }

  static Linear zeroRows(Linear l, List<Integer> keep) {
    Matrix w = l.weight().copy();
    for (int i = 0; i < w.rows(); i++) {
      if (!keep.contains(i)) {
        for (int j = 0; j < w.cols(); j++) {
          w.set(i, j, 0);
        }
      }
    }
    return new Linear(w, l.bias());
  }

  static Linear keepRows(Linear l, List<Integer> rows) {
    Matrix w = Matrix.zeros(DType.F32, rows.size(), l.in());
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < l.in(); j++) {
        w.set(i, j, l.weight().get(rows.get(i), j));
      }
    }
    return new Linear(w, null);
  }

  static Matrix keepColumns(Matrix m, List<Integer> cols) {
    Matrix out = Matrix.zeros(DType.F32, m.rows(), cols.size());
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < cols.size(); j++) {
        out.set(i, j, m.get(i, cols.get(j)));
      }
    }
    return out;
  }
}
