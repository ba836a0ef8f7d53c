package structura.algorithms.eval;

import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * How many of each text's nearest neighbours survive compression: for embeddings {@code A} (the
 * original model's) and {@code B} (the compressed model's) of the same n texts,
 * <pre>  overlap = (1/n) Σ_i |NN_k^A(i) ∩ NN_k^B(i)| / k</pre>
 * where {@code NN_k^X(i)} are the k other texts with the largest cosine similarity to text i in
 * embedding X (text i itself excluded; equal similarities ordered by the lower text index, so the
 * result is deterministic). 1 means semantic search over these texts returns the same top k
 * (in any order); two unrelated embeddings give about k/(n−1).
 *
 * <p>Cost: the two n×n cosine matrices row by row, O(n²·d) flops in double and O(n·d + n)
 * memory (no n×n matrix is stored), plus O(n·k) per row for the top k. About a second for
 * n = 1179, d = 384.
 */
public final class NeighbourOverlap {
  private NeighbourOverlap() {}

  /**
   * The mean k-NN overlap.
   *
   * @param a embeddings of the reference model, n × d (rows need not be normalised)
   * @param b embeddings of the compressed model, n × d' (same n; d' may differ)
   * @param k neighbours per text, 1 ≤ k ≤ n − 1
   * @throws StructuraException INVALID_ARGUMENT for k out of range or unequal n
   */
  public static double mean(float[][] a, float[][] b, int k) {
    int n = a.length;
    if (b.length != n) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "neighbour overlap needs the same texts in both embeddings, got "
          + n + " and " + b.length + " rows.", "Embed the same texts with both models.");
    }
    if (k < 1 || k > n - 1) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "neighbour overlap needs 1 ≤ k ≤ n − 1, got k = " + k + " for n = "
          + n + ".", "Use more texts or a smaller k.");
    }
    double[][] ua = unit(a);
    double[][] ub = unit(b);
    double sum = 0;
    double[] row = new double[n];
    boolean[] inA = new boolean[n];
    for (int i = 0; i < n; i++) {
      int[] na = topK(ua, i, k, row);
      int[] nb = topK(ub, i, k, row);
      for (int j : na) {
        inA[j] = true;
      }
      int common = 0;
      for (int j : nb) {
        common += inA[j] ? 1 : 0;
      }
      for (int j : na) {
        inA[j] = false;
      }
      sum += (double) common / k;
    }
    return sum / n;
  }

  /** The k texts most similar to text i (i excluded), ties to the lower index. */
  static int[] topK(double[][] u, int i, int k, double[] row) {
    int n = u.length;
    for (int j = 0; j < n; j++) {
      row[j] = j == i ? Double.NEGATIVE_INFINITY : dot(u[i], u[j]);
    }
    // insertion into a sorted list of k: O(n·k), fine for k = 10
    int[] best = new int[k];
    int size = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        continue;
      }
      if (size == k && !(row[j] > row[best[k - 1]])) {
        continue;   // not better than the k-th (an equal later index loses the tie)
      }
      int p = size < k ? size++ : k - 1;
      while (p > 0 && row[j] > row[best[p - 1]]) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = j;
    }
    return best;
  }

  private static double[][] unit(float[][] x) {
    double[][] u = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double norm = 0;
      for (float v : x[i]) {
        norm += (double) v * v;
      }
      double s = norm > 0 ? 1 / Math.sqrt(norm) : 0;   // a zero row is similar to nothing (cosine 0)
      u[i] = new double[x[i].length];
      for (int j = 0; j < u[i].length; j++) {
        u[i][j] = x[i][j] * s;
      }
    }
    return u;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int j = 0; j < x.length; j++) {
      s += x[j] * y[j];
    }
    return s;
  }
}
