package structura.api.nn;

import structura.api.Matrix;

/**
 * Input embeddings: row {@code t} of {@code word} for token id t, plus (BERT) row p of
 * {@code position} for position p and row s of {@code tokenType} for segment s, then the
 * optional norm.
 *
 * @param word {@code vocab × d}
 * @param position {@code maxPositions × d}, or {@code null} (rotary models)
 * @param tokenType {@code types × d}, or {@code null}
 * @param norm the embedding LayerNorm (BERT), or {@code null}
 */
public record Embeddings(Matrix word, Matrix position, Matrix tokenType, Norm norm) {
  /** Validates that all tables and the norm have width d. */
  public Embeddings {
    Shapes.require(word, "word embeddings", -1, -1);
    int d = word.cols();
    if (position != null) {
      Shapes.require(position, "position embeddings", -1, d);
    }
    if (tokenType != null) {
      Shapes.require(tokenType, "token type embeddings", -1, d);
    }
    if (norm != null && norm.width() != d) {
      throw Shapes.mismatch("embedding norm has width " + norm.width() + " but embeddings " + d + ".", "Use a norm of width d.");
    }
  }

  /** Model width d. */
  public int width() {
    return word.cols();
  }

  /** Vocabulary size. */
  public int vocabulary() {
    return word.rows();
  }
}
