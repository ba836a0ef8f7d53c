package structura.algorithms.eval;

import java.util.Arrays;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * Spearman's rank correlation ρ: the Pearson correlation of the ranks of x and of y, with tied
 * values given the mean of the ranks they span (as {@code scipy.stats.spearmanr} does). ρ = 1 when
 * y is an increasing function of x, −1 when decreasing.
 *
 * <p>Used by {@code structura eval} as an STS-style score: the correlation between the pairwise
 * cosine similarities of the texts under the original and under the compressed model, so that
 * 1 means every pair of texts keeps its order of similarity.
 *
 * <p>Cost: two sorts, O(m log m) for m values; O(m) memory.
 */
public final class SpearmanCorrelation {
  private SpearmanCorrelation() {}

  /**
   * ρ(x, y); NaN when either is constant (its ranks have no variance).
   *
   * @throws StructuraException INVALID_ARGUMENT for unequal lengths, fewer than 2 values or a NaN
   */
  public static double of(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "Spearman correlation needs two series of equal length ≥ 2, got "
          + x.length + " and " + y.length + ".", "Pass paired values.");
    }
    return pearson(ranks(x), ranks(y));
  }

  /** Ranks 1..m, ties averaged. */
  static double[] ranks(double[] v) {
    int m = v.length;
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      if (Double.isNaN(v[i])) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "Spearman correlation of a NaN value (index " + i + ").",
            "Remove or fix non-finite values first.");
      }
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
    double[] r = new double[m];
    for (int start = 0; start < m; ) {
      int end = start + 1;
      while (end < m && v[order[end]] == v[order[start]]) {
        end++;
      }
      double mean = (start + 1 + end) / 2.0;   // ranks start+1 .. end
      for (int t = start; t < end; t++) {
        r[order[t]] = mean;
      }
      start = end;
    }
    return r;
  }

  private static double pearson(double[] x, double[] y) {
    int m = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < m; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= m;
    my /= m;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < m; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }
}
