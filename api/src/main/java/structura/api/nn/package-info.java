/**
 * The network model: plain, immutable data describing the transformer networks that
 * compression acts on. Encoders of the BERT family (post-LN blocks, GELU MLP, absolute position
 * and token-type embeddings) and decoders of the Llama family (pre-norm RMSNorm blocks, rotary
 * position embeddings, SwiGLU MLP, grouped-query attention, causal mask) share one set of types.
 *
 * <p>Every weight is an F32 {@link structura.api.Matrix} in the PyTorch convention: a
 * {@link structura.api.nn.Linear} holds W as {@code out × in} and computes {@code y = x Wᵀ + b}
 * on row vectors, or, after low-rank compression, W as factors {@code U·V} (out × k and k × in)
 * applied as two products. Widths are per block (a block keeps its own head count and FFN width), so a
 * pruned network is an ordinary instance. Plain feed-forward and convolutional networks are a
 * {@link structura.api.nn.SequentialNetwork} of {@link structura.api.nn.Layer}s (dense, 2-D
 * convolution, batch norm, ReLU, max-pool, flatten) on NCHW activations. The records validate shapes on construction and
 * never copy: they share the arrays they are given, which callers must not modify afterwards.
 */
package structura.api.nn;
