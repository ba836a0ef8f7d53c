package structura.api.nn;

import structura.api.Matrix;

/**
 * Multi-head self-attention with per-head projections, grouped-query when {@code kvHeads < heads}.
 * For head h with key/value head {@code g = h / (heads / kvHeads)} and rows X (tokens × d):
 * <pre>
 *   Q_h = X W_q,hᵀ + b_q,h      K_g = X W_k,gᵀ + b_k,g      V_g = X W_v,gᵀ + b_v,g
 *   O_h = softmax(scale · Q_h K_gᵀ + M) V_g
 *   out = Σ_h O_h W_o,hᵀ + b_o
 * </pre>
 * where M is the additive mask (padding, and causal when {@link #causal}). Rotary embeddings,
 * when present, rotate Q_h and K_g by token position before the product.
 *
 * <p>Storage keeps heads as contiguous blocks: head h of the query is rows
 * {@code h·headDim .. (h+1)·headDim − 1} of {@code query.weight()} ({@link #queryHead}); of the output
 * projection it is the matching {@code valueDim} columns ({@link #outputHead}). Pruned blocks are
 * ordinary instances: fewer heads (STAT), or query/key and value/output head widths reduced
 * independently ({@code headDim} ≠ {@code valueDim}, MoDeGPT), with {@code scale} kept at
 * {@code 1/√(original headDim)}. Costs per token: {@code 2·d·(heads + kvHeads)·headDim +
 * 2·d·(kvHeads + heads)·valueDim} flops for the projections plus
 * {@code 2·heads·(headDim + valueDim)·L} for scores and values over L keys.
 *
 * <p>The projections may be factored low-rank layers ({@link Linear#factored}); the per-head
 * views ({@link #queryHead} and the like) need dense weights and throw
 * {@code STRUCTURA-A007} on a factored projection.
 *
 * @param heads query heads (at least 1)
 * @param kvHeads key/value heads; divides {@code heads}
 * @param headDim per-head width of queries and keys
 * @param valueDim per-head width of values (and of each head's block of the output projection)
 * @param query {@code heads·headDim × d}
 * @param key {@code kvHeads·headDim × d}
 * @param value {@code kvHeads·valueDim × d}
 * @param output {@code d × heads·valueDim}
 * @param scale the factor on the scores, {@code 1/√headDim} for an unpruned model
 * @param causal whether token i attends only to keys j ≤ i (decoders)
 * @param rotary rotary position embedding of Q and K, or {@code null} (BERT)
 */
public record Attention(int heads, int kvHeads, int headDim, int valueDim, Linear query, Linear key, Linear value,
    Linear output, double scale, boolean causal, RotaryEmbedding rotary) {
  /** Validates head counts and projection shapes against each other. */
  public Attention {
    Shapes.positive(heads, "heads");
    Shapes.positive(kvHeads, "kvHeads");
    Shapes.positive(headDim, "headDim");
    Shapes.positive(valueDim, "valueDim");
    if (heads % kvHeads != 0) {
      throw Shapes.mismatch("attention has " + heads + " query heads and " + kvHeads + " key/value heads.",
          "The key/value head count must divide the query head count.");
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw Shapes.mismatch("attention scale is " + scale + ".", "Use a positive finite scale, 1/sqrt(headDim) by default.");
    }
    int d = query.in();
    Shapes.require(query, "attention query weight", heads * headDim, d);
    Shapes.require(key, "attention key weight", kvHeads * headDim, d);
    Shapes.require(value, "attention value weight", kvHeads * valueDim, d);
    Shapes.require(output, "attention output weight", -1, heads * valueDim);
    if (rotary != null) {
      if (rotary.frequencies() == null && rotary.dims() > headDim) {
        throw Shapes.mismatch("rotary embedding covers " + rotary.dims() + " dims but heads have " + headDim + ".",
            "Use rotary dims <= headDim.");
      }
      if (rotary.frequencies() != null) {
        if (rotary.frequencies().length != kvHeads) {
          throw Shapes.mismatch("rotary frequencies are given for " + rotary.frequencies().length + " key/value heads but there are "
              + kvHeads + ".", "Give one frequency list per key/value head.");
        }
        for (int[] f : rotary.frequencies()) {
          if (2 * f.length != headDim) {
            throw Shapes.mismatch("a pruned rotary head keeps " + f.length + " frequency pairs but headDim is " + headDim + ".",
                "Keep headDim/2 pairs per key/value head.");
          }
        }
      }
    }
  }

  /** The unpruned form: {@code valueDim = headDim} and {@code scale = 1/√headDim}. */
  public Attention(int heads, int kvHeads, int headDim, Linear query, Linear key, Linear value, Linear output,
      boolean causal, RotaryEmbedding rotary) {
    this(heads, kvHeads, headDim, headDim, query, key, value, output, 1.0 / Math.sqrt(headDim), causal, rotary);
  }

  /** Model width d (input of Q/K/V, output of O). */
  public int width() {
    return query.in();
  }

  /**
   * W_q,h: rows of the query weight for head h, a {@code headDim × d} view.
   *
   * @throws structura.api.InvalidArgumentException ({@code STRUCTURA-A007}) if the projection is factored
   */
  public Matrix queryHead(int h) {
    return query.weight().view(h * headDim, 0, headDim, width());
  }

  /** W_k,g: rows of the key weight for key/value head g. */
  public Matrix keyHead(int g) {
    return key.weight().view(g * headDim, 0, headDim, width());
  }

  /** W_v,g: rows of the value weight for key/value head g. */
  public Matrix valueHead(int g) {
    return value.weight().view(g * valueDim, 0, valueDim, width());
  }

  /** W_o,h: columns of the output weight for head h, a {@code d_out × valueDim} view. */
  public Matrix outputHead(int h) {
    return output.weight().view(0, h * valueDim, output.out(), valueDim);
  }

  /** Parameter count of the four projections. */
  public long parameterCount() {
    return query.parameterCount() + key.parameterCount() + value.parameterCount() + output.parameterCount();
  }
}
