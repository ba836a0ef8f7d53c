package structura.api.nn;

import structura.api.Matrix;

/**
 * Multi-head self-attention with per-head projections, grouped-query when {@code kvHeads < heads}.
 * For head h with key/value head {@code g = h / (heads / kvHeads)} and rows X (tokens × d):
 * <pre>
 *   Q_h = X W_q,hᵀ + b_q,h      K_g = X W_k,gᵀ + b_k,g      V_g = X W_v,gᵀ + b_v,g
 *   O_h = softmax(Q_h K_gᵀ / √headDim + M) V_g
 *   out = Σ_h O_h W_o,hᵀ + b_o
 * </pre>
 * where M is the additive mask (padding, and causal when {@link #causal}). Rotary embeddings,
 * when present, rotate Q_h and K_g by token position before the product.
 *
 * <p>Storage keeps heads as contiguous blocks: head h of the query is rows
 * {@code h·headDim .. (h+1)·headDim − 1} of {@code query.weight()} ({@link #queryHead}); of the output
 * projection it is the matching columns ({@link #outputHead}). A pruned block simply has fewer
 * heads. Costs per token: {@code 2·d·headDim·(heads + 2·kvHeads) + 2·heads·headDim·d} flops for the
 * projections plus {@code 4·heads·headDim·L} for the scores and values over L keys.
 *
 * @param heads query heads (at least 1)
 * @param kvHeads key/value heads; divides {@code heads}
 * @param headDim width of one head
 * @param query {@code heads·headDim × d}
 * @param key {@code kvHeads·headDim × d}
 * @param value {@code kvHeads·headDim × d}
 * @param output {@code d × heads·headDim}
 * @param causal whether token i attends only to keys j ≤ i (decoders)
 * @param rotary rotary position embedding of Q and K, or {@code null} (BERT)
 */
public record Attention(int heads, int kvHeads, int headDim, Linear query, Linear key, Linear value, Linear output,
    boolean causal, RotaryEmbedding rotary) {
  /** Validates head counts and projection shapes against each other. */
  public Attention {
    Shapes.positive(heads, "heads");
    Shapes.positive(kvHeads, "kvHeads");
    Shapes.positive(headDim, "headDim");
    if (heads % kvHeads != 0) {
      throw Shapes.mismatch("attention has " + heads + " query heads and " + kvHeads + " key/value heads.",
          "The key/value head count must divide the query head count.");
    }
    int d = query.in();
    Shapes.require(query.weight(), "attention query weight", heads * headDim, d);
    Shapes.require(key.weight(), "attention key weight", kvHeads * headDim, d);
    Shapes.require(value.weight(), "attention value weight", kvHeads * headDim, d);
    Shapes.require(output.weight(), "attention output weight", -1, heads * headDim);
    if (rotary != null && rotary.dims() > headDim) {
      throw Shapes.mismatch("rotary embedding covers " + rotary.dims() + " dims but heads have " + headDim + ".",
          "Use rotary dims <= headDim.");
    }
  }

  /** Model width d (input of Q/K/V, output of O). */
  public int width() {
    return query.in();
  }

  /** W_q,h: rows of the query weight for head h, a {@code headDim × d} view. */
  public Matrix queryHead(int h) {
    return query.weight().view(h * headDim, 0, headDim, width());
  }

  /** W_k,g: rows of the key weight for key/value head g. */
  public Matrix keyHead(int g) {
    return key.weight().view(g * headDim, 0, headDim, width());
  }

  /** W_v,g: rows of the value weight for key/value head g. */
  public Matrix valueHead(int g) {
    return value.weight().view(g * headDim, 0, headDim, width());
  }

  /** W_o,h: columns of the output weight for head h, a {@code d_out × headDim} view. */
  public Matrix outputHead(int h) {
    return output.weight().view(0, h * headDim, output.out(), headDim);
  }

  /** Parameter count of the four projections. */
  public long parameterCount() {
    return query.parameterCount() + key.parameterCount() + value.parameterCount() + output.parameterCount();
  }
}
