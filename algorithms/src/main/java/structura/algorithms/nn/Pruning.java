package structura.algorithms.nn;

import java.util.ArrayList;
import java.util.List;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.RotaryEmbedding;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Structured pruning by selection: keep a subset of a block's attention heads or FFN neurons.
 * Keeping heads S selects the rows of W_q (and, with one key/value head per query head, of W_k and
 * W_v) and the columns of W_o belonging to S, keeping the softmax scale and any per-head rotary
 * frequencies; keeping neurons J selects rows J of up and gate and
 * columns J of down. Biases follow their rows; the output bias stays. The result shares nothing
 * with the input (new arrays); the input is not modified. Cost: a copy of the kept weights.
 * Selection needs dense weights: a block with a factored (low-rank) or residual-selected (disp) projection is rejected with
 * {@code STRUCTURA-A007} ({@link #requireDense}).
 */
public final class Pruning {
  private Pruning() {}

  /**
   * Checks that every projection of every block is dense.
   *
   * @param operation what needs the dense weights, for the message (e.g. "stat")
   * @throws InvalidArgumentException ({@code STRUCTURA-A007}) naming the first factored or selected layer
   */
  public static void requireDense(TransformerNetwork net, String operation) {
    for (int i = 0; i < net.depth(); i++) {
      requireDense(net.blocks().get(i), i, operation);
    }
  }

  /**
   * The block's seven projections in a fixed order: attention query, key, value, output, FFN up,
   * gate (null when the FFN is ungated), down.
   */
  public static Linear[] linearLayers(TransformerBlock b) {
    Attention a = b.attention();
    Mlp m = b.mlp();
    return new Linear[] {a.query(), a.key(), a.value(), a.output(), m.up(), m.gate(), m.down()};
  }

  private static void requireDense(TransformerBlock b, int index, String operation) {
    String[] names = {"attention query", "attention key", "attention value", "attention output", "FFN up", "FFN gate", "FFN down"};
    Linear[] layers = linearLayers(b);
    for (int j = 0; j < layers.length; j++) {
      if (layers[j] != null && layers[j].isSelected()) {
        throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, operation + " needs dense weights, but block " + index
            + "'s " + names[j] + " projection reads a subset of the residual stream (" + layers[j].selection().inputCount()
            + " of " + layers[j].in() + " inputs, " + layers[j].selection().outputCount() + " of " + layers[j].out()
            + " outputs), as the disp method writes it.", "Compress the original model instead.");
      }
      if (layers[j] != null && !layers[j].isDense()) { // factored or block tensor train
        throw new InvalidArgumentException(ErrorCode.FACTORED_LAYER, operation + " needs dense weights, but block " + index
            + "'s " + names[j] + " projection is " + (layers[j].isFactored() ? "factored (W = U·V, " : "a block tensor train (")
            + layers[j].out() + " x " + layers[j].in() + ", rank " + layers[j].rank() + "), as the "
            + (layers[j].isFactored() ? "svd" : "monarch and btt") + " methods write it.",
            "Compress the original model instead; low-rank and Monarch/BTT layers cannot be pruned by heads or neurons.");
      }
    }
  }

  /** The network with block {@code block}'s attention reduced to the heads in {@code keep} (ascending, distinct). */
  public static TransformerNetwork keepHeads(TransformerNetwork net, int block, int[] keep) {
    TransformerBlock b = net.blocks().get(block);
    requireDense(b, block, "keepHeads");
    return replace(net, block, new TransformerBlock(keepHeads(b.attention(), keep), b.mlp(), b.attentionNorm(),
        b.mlpNorm(), b.placement()));
  }

  /**
   * The attention reduced to the heads in {@code keep} (ascending, distinct): their query, key
   * and value rows, their output-projection columns, and their rotary frequencies; the output
   * bias and the score scale stay. {@code a} is not modified.
   *
   * @throws InvalidArgumentException for grouped-query attention, or a bad index list
   */
  public static Attention keepHeads(Attention a, int[] keep) {
    check(keep, a.heads(), "head");
    if (a.kvHeads() != a.heads()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "keepHeads on grouped-query attention (" + a.heads()
          + " query heads, " + a.kvHeads() + " key/value heads).", "Prune whole key/value groups instead.");
    }
    int[] qk = expand(keep, a.headDim());
    int[] vo = expand(keep, a.valueDim());
    RotaryEmbedding rope = a.rotary();
    if (rope != null && rope.frequencies() != null) {
      int[][] f = new int[keep.length][];
      for (int i = 0; i < keep.length; i++) {
        f[i] = rope.frequencies()[keep[i]];
      }
      rope = new RotaryEmbedding(rope.dims(), rope.theta(), f);
    }
    // the scale stays that of the original head width: pruning heads does not change any score
    return new Attention(keep.length, keep.length, a.headDim(), a.valueDim(), rowsOf(a.query(), qk),
        rowsOf(a.key(), qk), rowsOf(a.value(), vo), new Linear(columns(a.output().weight(), vo), a.output().bias()),
        a.scale(), a.causal(), rope);
  }

  /**
   * Grouped-query attention reduced to the key/value groups in {@code keep} (ascending, distinct):
   * group g's key and value rows, the rows of its {@code heads/kvHeads} query heads (heads
   * {@code g·s .. g·s + s − 1}, s the group size) and their output-projection columns, and its
   * rotary frequencies; the output bias and the score scale stay. With {@code kvHeads = heads} this
   * is {@link #keepHeads(Attention, int[])}. {@code a} is not modified.
   *
   * @throws InvalidArgumentException for a bad index list
   */
  public static Attention keepGroups(Attention a, int[] keep) {
    check(keep, a.kvHeads(), "key/value group");
    int size = a.heads() / a.kvHeads();
    int[] heads = groupHeads(keep, size);
    RotaryEmbedding rope = a.rotary();
    if (rope != null && rope.frequencies() != null) {
      int[][] f = new int[keep.length][];
      for (int i = 0; i < keep.length; i++) {
        f[i] = rope.frequencies()[keep[i]];
      }
      rope = new RotaryEmbedding(rope.dims(), rope.theta(), f);
    }
    return new Attention(heads.length, keep.length, a.headDim(), a.valueDim(), rowsOf(a.query(), expand(heads, a.headDim())),
        rowsOf(a.key(), expand(keep, a.headDim())), rowsOf(a.value(), expand(keep, a.valueDim())),
        new Linear(columns(a.output().weight(), expand(heads, a.valueDim())), a.output().bias()), a.scale(), a.causal(), rope);
  }

  /** The query heads of the key/value groups {@code groups} (ascending), for groups of {@code size} heads. */
  public static int[] groupHeads(int[] groups, int size) {
    return expand(groups, size);
  }

  /** The network with block {@code block}'s FFN reduced to the neurons in {@code keep} (ascending, distinct). */
  public static TransformerNetwork keepNeurons(TransformerNetwork net, int block, int[] keep) {
    TransformerBlock b = net.blocks().get(block);
    requireDense(b, block, "keepNeurons");
    return replace(net, block, new TransformerBlock(b.attention(), keepNeurons(b.mlp(), keep), b.attentionNorm(),
        b.mlpNorm(), b.placement()));
  }

  /**
   * The FFN reduced to the neurons in {@code keep} (ascending, distinct): their up and gate rows
   * and down-projection columns; the down bias stays. {@code m} is not modified.
   */
  public static Mlp keepNeurons(Mlp m, int[] keep) {
    check(keep, m.width(), "neuron");
    return new Mlp(rowsOf(m.up(), keep), m.gate() == null ? null : rowsOf(m.gate(), keep),
        new Linear(columns(m.down().weight(), keep), m.down().bias()), m.activation());
  }

  /** The network with block {@code index} replaced by {@code block}; {@code net} is not modified. */
  public static TransformerNetwork replace(TransformerNetwork net, int index, TransformerBlock block) {
    List<TransformerBlock> blocks = new ArrayList<>(net.blocks());
    blocks.set(index, block);
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  private static void check(int[] keep, int n, String what) {
    if (keep.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "keeping no " + what + "s.", "Keep at least one.");
    }
    for (int i = 0; i < keep.length; i++) {
      if (keep[i] < 0 || keep[i] >= n || (i > 0 && keep[i] <= keep[i - 1])) {
        throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS, what + " indices must be ascending in [0, " + n
            + "); entry " + i + " is " + keep[i] + ".", "Pass sorted distinct indices.");
      }
    }
  }

  private static int[] expand(int[] heads, int dh) {
    int[] rows = new int[heads.length * dh];
    for (int i = 0; i < heads.length; i++) {
      for (int t = 0; t < dh; t++) {
        rows[i * dh + t] = heads[i] * dh + t;
      }
    }
    return rows;
  }

  /** A new layer with rows {@code rows} of {@code l}'s weight and bias (output units), in that order. */
  public static Linear rowsOf(Linear l, int[] rows) {
    Matrix w = Matrix.zeros(DType.F32, rows.length, l.in());
    Matrix bias = l.bias() == null ? null : Matrix.zeros(DType.F32, 1, rows.length);
    for (int i = 0; i < rows.length; i++) {
      w.view(i, 0, 1, l.in()).copyFrom(l.weight().view(rows[i], 0, 1, l.in()));
      if (bias != null) {
        bias.set(0, i, l.bias().get(0, rows[i]));
      }
    }
    return new Linear(w, bias);
  }

  private static Matrix columns(Matrix m, int[] cols) {
    Matrix out = Matrix.zeros(DType.F32, m.rows(), cols.length);
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < cols.length; j++) {
        out.set(i, j, m.get(i, cols[j]));
      }
    }
    return out;
  }
}
