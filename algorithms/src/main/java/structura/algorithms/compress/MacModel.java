package structura.algorithms.compress;

import structura.api.nn.Attention;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Multiply-accumulate counts of transformer blocks per sequence of L tokens, the cost model of
 * STAT's MAC constraint (Kwon et al., "A Fast Post-Training Pruning Framework for Transformers",
 * NeurIPS 2022, {@code efficiency/mac.py}), generalised to unequal query-key and value widths and
 * to grouped-query attention:
 * <pre>
 *   attention = L·d·(H·d_qk + H_kv·d_qk + H_kv·d_v + H·d_v) + L²·H·(d_qk + d_v)
 *   FFN       = L·d·f·(2, or 3 with a gate)
 * </pre>
 * With {@code d_qk = d_v = d_h} and {@code H_kv = H} a head costs {@code 4·L·d·d_h + 2·L²·d_h}, the
 * paper's {@code 3·L·d·d_h + 2·L²·d_h + L·d_h·d}, and a neuron {@code 2·L·d}. Embeddings, norms,
 * softmax and the LM head are not counted.
 *
 * @param sequenceLength L, usually the mean calibration length
 */
public record MacModel(double sequenceLength) {
  /** MACs of one attention sublayer. */
  public double attention(Attention a) {
    double l = sequenceLength;
    double d = a.width();
    return l * d * ((double) a.heads() * a.headDim() + (double) a.kvHeads() * a.headDim()
        + (double) a.kvHeads() * a.valueDim() + (double) a.heads() * a.valueDim())
        + l * l * a.heads() * (a.headDim() + a.valueDim());
  }

  /** MACs of one FFN sublayer. */
  public double mlp(Mlp m) {
    return sequenceLength * m.up().in() * (double) m.width() * (m.gate() == null ? 2 : 3);
  }

  /** MACs of one block. */
  public double block(TransformerBlock b) {
    return attention(b.attention()) + mlp(b.mlp());
  }

  /** MACs of all blocks. */
  public double network(TransformerNetwork n) {
    double s = 0;
    for (TransformerBlock b : n.blocks()) {
      s += block(b);
    }
    return s;
  }

  /** MACs of one head of {@code a} (query, key, value and output slices plus its scores). */
  public double perHead(Attention a) {
    double l = sequenceLength;
    double group = (double) a.heads() / a.kvHeads();
    return l * a.width() * (a.headDim() + a.valueDim()) * (1 + 1 / group) + l * l * (a.headDim() + a.valueDim());
  }

  /** MACs of one FFN neuron. */
  public double perNeuron(Mlp m) {
    return sequenceLength * m.up().in() * (m.gate() == null ? 2 : 3);
  }

  /** Parameters of the transformer blocks (embeddings and heads excluded). */
  public static long blockParameters(TransformerNetwork n) {
    long s = 0;
    for (TransformerBlock b : n.blocks()) {
      s += b.parameterCount();
    }
    return s;
  }
}
