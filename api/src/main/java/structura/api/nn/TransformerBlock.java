package structura.api.nn;

/**
 * One transformer block on rows x of width d.
 * <ul>
 * <li>{@link Placement#POST} (BERT): {@code h = norm1(x + attn(x)); y = norm2(h + mlp(h))}.</li>
 * <li>{@link Placement#PRE} (Llama): {@code h = x + attn(norm1(x)); y = h + mlp(norm2(h))}.</li>
 * </ul>
 *
 * @param attention the attention sublayer (its own head count)
 * @param mlp the feed-forward sublayer (its own width)
 * @param attentionNorm norm1
 * @param mlpNorm norm2
 * @param placement where the norms sit
 */
public record TransformerBlock(Attention attention, Mlp mlp, Norm attentionNorm, Norm mlpNorm, Placement placement) {
  /** Where the norms sit relative to the residual connections. */
  public enum Placement {
    /** After the residual add (BERT). */
    POST,
    /** Before the sublayer, on the residual branch (Llama). */
    PRE
  }

  /** Validates that every sublayer works on the same width d. */
  public TransformerBlock {
    java.util.Objects.requireNonNull(placement, "placement");
    int d = attention.width();
    if (attention.output().out() != d || mlp.up().in() != d || mlp.down().out() != d
        || attentionNorm.width() != d || mlpNorm.width() != d) {
      throw Shapes.mismatch("block widths disagree: attention in " + d + ", attention out " + attention.output().out()
          + ", mlp in " + mlp.up().in() + ", mlp out " + mlp.down().out() + ", norms " + attentionNorm.width()
          + "/" + mlpNorm.width() + ".", "Every sublayer of a block must read and write the model width.");
    }
  }

  /** Model width d. */
  public int width() {
    return attention.width();
  }

  /** Parameter count including norms. */
  public long parameterCount() {
    return attention.parameterCount() + mlp.parameterCount() + d(attentionNorm) + d(mlpNorm);
  }

  private static long d(Norm n) {
    return n.width() * (n.beta() == null ? 1L : 2L);
  }
}
