package structura.algorithms.nn;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;

/**
 * Sentence embeddings from a last hidden state: mean pooling over the real tokens of each
 * sequence, then optional L2 normalisation (the sentence-transformers recipe of
 * all-MiniLM-L6-v2). bge-small-en-v1.5 instead uses the first ([CLS]) row, {@link #clsPool}.
 * Cost O(B·L·d). Nothing passed in is modified.
 */
public final class SentenceEmbeddings {
  private SentenceEmbeddings() {}

  /**
   * {@code e_b = Σ_t m_bt h_bt / max(Σ_t m_bt, 1e-9)}, then {@code e_b / max(‖e_b‖₂, 1e-12)} when
   * {@code normalize}.
   *
   * @param hidden {@code B·L × d}, row {@code b·L + t}
   * @return a new {@code B × d} matrix
   */
  public static Matrix meanPool(Matrix hidden, TokenBatch batch, boolean normalize) {
    int len = batch.length();
    int d = hidden.cols();
    Matrix out = Matrix.zeros(DType.F32, batch.batch(), d);
    for (int b = 0; b < batch.batch(); b++) {
      double[] acc = new double[d];
      int count = 0;
      for (int t = 0; t < len; t++) {
        if (batch.attentionMask()[b * len + t] == 1) {
          count++;
          for (int j = 0; j < d; j++) {
            acc[j] += hidden.get(b * len + t, j);
          }
        }
      }
      double denom = Math.max(count, 1e-9);
      for (int j = 0; j < d; j++) {
        acc[j] /= denom;
      }
      write(out, b, acc, normalize);
    }
    return out;
  }

  /** The first row of each sequence ([CLS]), optionally L2-normalised; a new {@code B × d} matrix. */
  public static Matrix clsPool(Matrix hidden, TokenBatch batch, boolean normalize) {
    int d = hidden.cols();
    Matrix out = Matrix.zeros(DType.F32, batch.batch(), d);
    for (int b = 0; b < batch.batch(); b++) {
      double[] acc = new double[d];
      for (int j = 0; j < d; j++) {
        acc[j] = hidden.get(b * batch.length(), j);
      }
      write(out, b, acc, normalize);
    }
    return out;
  }

  private static void write(Matrix out, int b, double[] v, boolean normalize) {
    double norm = 1;
    if (normalize) {
      double ss = 0;
      for (double x : v) {
        ss += x * x;
      }
      norm = Math.max(Math.sqrt(ss), 1e-12);
    }
    for (int j = 0; j < v.length; j++) {
      out.set(b, j, v[j] / norm);
    }
  }
}
