package structura.api.nn;

/**
 * Rotary position embedding (RoPE) in the "rotate half" layout of HuggingFace Llama: within the
 * first {@code dims} entries of a head, entry i and entry {@code i + dims/2} form a pair rotated by
 * the angle {@code pos · theta^(−2i/dims)}:
 * <pre>  x'_i = x_i cos − x_{i+dims/2} sin,   x'_{i+dims/2} = x_{i+dims/2} cos + x_i sin</pre>
 *
 * @param dims rotated entries per head (even, usually headDim)
 * @param theta the base, for example 10000 (Llama 2) or 500000 (Llama 3 without scaling)
 */
public record RotaryEmbedding(int dims, double theta) {
  /** Validates an even positive {@code dims} and {@code theta > 1}. */
  public RotaryEmbedding {
    Shapes.positive(dims, "rotary dims");
    if (dims % 2 != 0 || !(theta > 1)) {
      throw Shapes.mismatch("rotary dims " + dims + " and theta " + theta + ".", "Use an even dims and theta > 1.");
    }
  }
}
