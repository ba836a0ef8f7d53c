package structura.api.nn;

import java.util.List;
import java.util.Map;

/**
 * A transformer network: embeddings, a stack of blocks, an optional final norm and LM head.
 * Blocks may differ in head count and FFN width (pruned networks); they share the model width d.
 *
 * @param family the architecture family, which fixes the conventions not stored as tensors
 * @param embeddings input embeddings
 * @param blocks the blocks in order (copied into an immutable list)
 * @param finalNorm the norm after the last block (Llama), or {@code null}
 * @param lmHead the vocabulary projection of a decoder, or {@code null}
 * @param metadata free-form provenance (source file, model id), copied
 */
public record TransformerNetwork(Family family, Embeddings embeddings, List<TransformerBlock> blocks, Norm finalNorm,
    Linear lmHead, Map<String, String> metadata) {
  /** Architecture families. */
  public enum Family {
    /** BERT-style encoder: absolute positions, post-LN, GELU, bidirectional attention. */
    BERT_ENCODER,
    /** Llama-style decoder: RoPE, pre-norm RMSNorm, SwiGLU, GQA, causal attention. */
    LLAMA_DECODER
  }

  /** Validates that every block has the embedding width. */
  public TransformerNetwork {
    java.util.Objects.requireNonNull(family, "family");
    blocks = List.copyOf(blocks);
    metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    int d = embeddings.width();
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).width() != d) {
        throw Shapes.mismatch("block " + i + " has width " + blocks.get(i).width() + " but the embeddings " + d + ".",
            "All blocks share the model width.");
      }
    }
    if (finalNorm != null && finalNorm.width() != d) {
      throw Shapes.mismatch("final norm has width " + finalNorm.width() + " but the model " + d + ".", "Use width d.");
    }
    if (lmHead != null && lmHead.in() != d) {
      throw Shapes.mismatch("LM head reads " + lmHead.in() + " but the model width is " + d + ".", "Use an LM head of d inputs.");
    }
  }

  /** Model width d. */
  public int width() {
    return embeddings.width();
  }

  /** Number of blocks. */
  public int depth() {
    return blocks.size();
  }

  /** Total parameter count (embeddings, blocks, final norm, LM head). */
  public long parameterCount() {
    Embeddings e = embeddings;
    long n = e.word().size() + (e.position() == null ? 0 : e.position().size())
        + (e.tokenType() == null ? 0 : e.tokenType().size()) + (e.norm() == null ? 0 : 2L * e.norm().width());
    for (TransformerBlock b : blocks) {
      n += b.parameterCount();
    }
    n += finalNorm == null ? 0 : finalNorm.width();
    n += lmHead == null ? 0 : lmHead.parameterCount();
    return n;
  }
}
