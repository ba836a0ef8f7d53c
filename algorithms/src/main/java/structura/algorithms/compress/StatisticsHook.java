package structura.algorithms.compress;

import java.util.Set;
import structura.algorithms.nn.ActivationHook;
import structura.api.nn.Attention;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * An {@link ActivationHook} that streams the activations of one block into
 * {@link CovarianceAccumulator}s: the per-head attention outputs (input of the output
 * projection), the FFN intermediate activations (input of the down projection), and optionally
 * the attention input and the MLP input (the inputs of Q/K/V and of up/gate, for svd), the
 * per-head queries and keys (MoDeGPT) and the block-influence score
 * (mean of 1 − cos between block input and output rows). Padding rows are never passed
 * ({@link ActivationHook#realTokensOnly()}).
 */
final class StatisticsHook implements ActivationHook {
  final int block;
  final CovarianceAccumulator heads;
  final CovarianceAccumulator ffn;
  final CovarianceAccumulator attentionInput;
  final CovarianceAccumulator mlpInput;
  final CovarianceAccumulator[] queries;
  final CovarianceAccumulator[] keys;
  private final boolean influence;
  private double cosineGapSum;
  private long cosineCount;
  private final java.util.List<Matrix> pendingInputs = new java.util.ArrayList<>();

  /**
   * The statistics {@code what} of an unpruned block {@code b}: widths from its attention and MLP,
   * no FFN sketch, seed = the block index (the one-shot strategies: disp, svd, curing, modegpt,
   * the structured replacements).
   *
   * @param f64Products F64 products for the exact Gram matrices ({@link CovarianceAccumulator})
   */
  static StatisticsHook of(Compute compute, int block, Set<Kind> what, TransformerBlock b, boolean f64Products) {
    return new StatisticsHook(compute, block, what, b.attention(), b.mlp(), b.width(), 0, block, f64Products);
  }

  /**
   * The statistics {@code what} of block {@code block} whose attention {@code a} and MLP {@code m}
   * may already be pruned (STAT's sequential pass), in model width {@code d}, with an FFN sketch of
   * {@code sketchRows} rows (0 = exact Gram matrix), F32 products.
   */
  static StatisticsHook of(Compute compute, int block, Set<Kind> what, Attention a, Mlp m, int d, int sketchRows, long seed) {
    return new StatisticsHook(compute, block, what, a, m, d, sketchRows, seed, false);
  }

  /**
   * Accumulators sized by a and m: heads·valueDim for the attention heads, m's width for the FFN,
   * d for the two block inputs, one query accumulator per head and one key accumulator per
   * key/value head (grouped-query attention), each headDim wide.
   */
  private StatisticsHook(Compute compute, int block, Set<Kind> what, Attention a, Mlp m, int d, int sketchRows, long seed,
      boolean f64Products) {
    this.block = block;
    String p = "block " + block + " ";
    this.heads = what.contains(Kind.HEADS) ? new CovarianceAccumulator(compute, p + "attention heads", a.heads() * a.valueDim(), 0, seed, f64Products) : null;
    this.ffn = what.contains(Kind.FFN)
        ? new CovarianceAccumulator(compute, p + "FFN intermediate", m.width(), sketchRows, seed + 1, f64Products) : null;
    this.attentionInput = what.contains(Kind.ATTENTION_INPUT)
        ? new CovarianceAccumulator(compute, p + "attention input", d, 0, seed + 2, f64Products) : null;
    this.mlpInput = what.contains(Kind.MLP_INPUT) ? new CovarianceAccumulator(compute, p + "MLP input", d, 0, seed + 3, f64Products) : null;
    if (what.contains(Kind.QUERY_KEY)) {
      queries = new CovarianceAccumulator[a.heads()];
      keys = new CovarianceAccumulator[a.kvHeads()];
      for (int h = 0; h < queries.length; h++) {
        queries[h] = new CovarianceAccumulator(compute, p + "queries of head " + h, a.headDim(), 0, seed);
      }
      for (int g = 0; g < keys.length; g++) {
        keys[g] = new CovarianceAccumulator(compute, p + "keys of key/value head " + g, a.headDim(), 0, seed);
      }
    } else {
      queries = null;
      keys = null;
    }
    this.influence = what.contains(Kind.INFLUENCE);
  }


  /** Statistics a hook can keep. */
  enum Kind { HEADS, FFN, ATTENTION_INPUT, MLP_INPUT, QUERY_KEY, INFLUENCE }

  @Override
  public void attentionHeads(int b, int sequence, Matrix rows) {
    if (heads != null) {
      heads.accept(rows);
    }
  }

  @Override
  public void ffnIntermediate(int b, int sequence, Matrix rows) {
    if (ffn != null) {
      ffn.accept(rows);
    }
  }

  @Override
  public void attentionInput(int b, int sequence, Matrix rows) {
    if (attentionInput != null) {
      attentionInput.accept(rows);
    }
  }

  @Override
  public void mlpInput(int b, int sequence, Matrix rows) {
    if (mlpInput != null) {
      mlpInput.accept(rows);
    }
  }

  @Override
  public void queries(int b, int sequence, Matrix rows) {
    if (queries != null) {
      split(queries, rows);
    }
  }

  @Override
  public void keys(int b, int sequence, Matrix rows) {
    if (keys != null) {
      split(keys, rows);
    }
  }

  private static void split(CovarianceAccumulator[] acc, Matrix rows) {
    int w = acc[0].width();
    for (int h = 0; h < acc.length; h++) {
      acc[h].accept(rows.view(0, h * w, rows.rows(), w));
    }
  }

  @Override
  public void blockInput(int b, int sequence, Matrix rows) {
    if (influence) {
      // the forward pass emits every sequence's input before any output
      if (sequence == 0) {
        pendingInputs.clear();
      }
      pendingInputs.add(rows.copy());
    }
  }

  @Override
  public void blockOutput(int b, int sequence, Matrix rows) {
    if (!influence) {
      return;
    }
    Matrix in = pendingInputs.get(sequence);
    for (int i = 0; i < rows.rows(); i++) {
      double dot = 0;
      double nx = 0;
      double ny = 0;
      for (int j = 0; j < rows.cols(); j++) {
        double x = in.get(i, j);
        double y = rows.get(i, j);
        dot += x * y;
        nx += x * x;
        ny += y * y;
      }
      cosineGapSum += 1 - dot / Math.max(Math.sqrt(nx * ny), 1e-30);
      cosineCount++;
    }
  }

  /** Block influence: the mean over tokens of {@code 1 − cos(x, block(x))} (Men et al., ShortGPT; used by MoDeGPT). */
  double influence() {
    return cosineCount == 0 ? Double.NaN : cosineGapSum / cosineCount;
  }
}
