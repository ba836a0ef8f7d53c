package structura.algorithms.compress;

import structura.algorithms.nn.ActivationHook;
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
   * @param what which statistics to keep
   * @param widths heads·valueDim, FFN width, model width d, heads, headDim
   */
  StatisticsHook(Compute compute, int block, java.util.Set<Kind> what, int headsWidth, int ffnWidth, int d, int heads,
      int headDim, int sketchRows, long seed) {
    this(compute, block, what, headsWidth, ffnWidth, d, heads, headDim, sketchRows, seed, false);
  }

  /** As above; {@code f64Products} selects F64 products for the exact Gram matrices ({@link CovarianceAccumulator}). */
  StatisticsHook(Compute compute, int block, java.util.Set<Kind> what, int headsWidth, int ffnWidth, int d, int heads,
      int headDim, int sketchRows, long seed, boolean f64Products) {
    this(compute, block, what, headsWidth, ffnWidth, d, heads, heads, headDim, sketchRows, seed, f64Products);
  }

  /**
   * As above for grouped-query attention: {@code kvHeads} key accumulators (one per key/value head)
   * beside the {@code heads} query accumulators.
   */
  StatisticsHook(Compute compute, int block, java.util.Set<Kind> what, int headsWidth, int ffnWidth, int d, int heads,
      int kvHeads, int headDim, int sketchRows, long seed, boolean f64Products) {
    this.block = block;
    String p = "block " + block + " ";
    this.heads = what.contains(Kind.HEADS) ? new CovarianceAccumulator(compute, p + "attention heads", headsWidth, 0, seed, f64Products) : null;
    this.ffn = what.contains(Kind.FFN)
        ? new CovarianceAccumulator(compute, p + "FFN intermediate", ffnWidth, sketchRows, seed + 1, f64Products) : null;
    this.attentionInput = what.contains(Kind.ATTENTION_INPUT)
        ? new CovarianceAccumulator(compute, p + "attention input", d, 0, seed + 2, f64Products) : null;
    this.mlpInput = what.contains(Kind.MLP_INPUT) ? new CovarianceAccumulator(compute, p + "MLP input", d, 0, seed + 3, f64Products) : null;
    if (what.contains(Kind.QUERY_KEY)) {
      queries = new CovarianceAccumulator[heads];
      keys = new CovarianceAccumulator[kvHeads];
      for (int h = 0; h < heads; h++) {
        queries[h] = new CovarianceAccumulator(compute, p + "queries of head " + h, headDim, 0, seed);
      }
      for (int g = 0; g < kvHeads; g++) {
        keys[g] = new CovarianceAccumulator(compute, p + "keys of key/value head " + g, headDim, 0, seed);
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
