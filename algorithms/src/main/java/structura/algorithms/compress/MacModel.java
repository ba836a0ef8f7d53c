package structura.algorithms.compress;

import structura.api.nn.Attention;
import structura.api.nn.Linear;
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
 * softmax and the LM head are not counted. A factored projection ({@code W = U·V}, rank k)
 * costs {@code L·k·(in + out)} instead of {@code L·in·out}.
 *
 * @param sequenceLength L, usually the mean calibration length
 */
public record MacModel(double sequenceLength) {
  /**
   * MACs of one attention sublayer: {@code L·Σ macsPerRow} of the four projections plus the
   * scores and values, {@code L²·H·(d_qk + d_v)}. A factored projection counts {@code k·(in + out)}
   * per token ({@link Linear#macsPerRow}); low rank does not reduce the L² terms.
   */
  public double attention(Attention a) {
    double l = sequenceLength;
    return l * ((double) a.query().macsPerRow() + a.key().macsPerRow() + a.value().macsPerRow() + a.output().macsPerRow())
        + l * l * a.heads() * (a.headDim() + a.valueDim());
  }

  /** MACs of one FFN sublayer: {@code L·Σ macsPerRow} of up, gate (if any) and down. */
  public double mlp(Mlp m) {
    return sequenceLength * ((double) m.up().macsPerRow() + m.down().macsPerRow()
        + (m.gate() == null ? 0 : m.gate().macsPerRow()));
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
