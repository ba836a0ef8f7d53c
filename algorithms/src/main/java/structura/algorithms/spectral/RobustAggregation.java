package structura.algorithms.spectral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * The driver side of the robust one-round estimator: a reference chosen robustly, Procrustes
 * alignment onto it, and a spectral filter that drops outlying answers. Package-private; see
 * {@link DistributedPca} for the method and its deviations from the paper.
 */
final class RobustAggregation {
  private RobustAggregation() {}

  /** What survived the filter. */
  record Filtered(List<Matrix> aligned, int[] kept, int[] dropped) {}

  /**
   * The reference: the answer whose median ‖sin Θ‖ distance to the other answers is smallest.
   * With fewer than half the answers corrupted, that median is a distance between honest answers,
   * so a corrupted answer can win only by lying close to the honest ones. P²/2 distances.
   */
  static int reference(List<Matrix> bases) {
    int p = bases.size();
    double[][] dist = new double[p][p];
    for (int i = 0; i < p; i++) {
      for (int j = i + 1; j < p; j++) {
        dist[i][j] = dist[j][i] = SubspaceDistance.sinTheta(bases.get(i), bases.get(j));
      }
    }
    int best = 0;
    double bestMedian = Double.POSITIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      double[] others = new double[p - 1];
      for (int j = 0, c = 0; j < p; j++) {
        if (j != i) {
          others[c++] = dist[i][j];
        }
      }
      double median = p == 1 ? 0 : median(others);
      if (median < bestMedian) {
        bestMedian = median;
        best = i;
      }
    }
    return best;
  }

  /**
   * Spectral filtering of the aligned answers w_i = vec(V_i·Z_i) ∈ ℝ^{dk}: repeatedly take the
   * leading direction v of the kept answers' spread (top eigenvector of their centered Gram,
   * through the n×n Gram), project every kept answer on it, and drop those farther than
   * {@code threshold} robust standard deviations (1.4826·MAD) from the median projection. Stops when
   * nothing is dropped or when only half the answers plus one would remain. A coordinated group of
   * bad answers shows up as one direction of large spread; scattered bad answers are each far out
   * along the direction they dominate.
   */
  static Filtered filter(List<Matrix> aligned, double threshold) {
    int p = aligned.size();
    boolean[] keep = new boolean[p];
    Arrays.fill(keep, true);
    int kept = p;
    int floor = p / 2 + 1;
    while (kept > floor) {
      int[] idx = indices(keep, true);
      int n = idx.length;
      int len = (int) aligned.get(0).size();
      double[] mean = new double[len];
      for (int i : idx) {
        double[] w = aligned.get(i).f64();
        for (int t = 0; t < len; t++) {
          mean[t] += w[t] / n;
        }
      }
      Matrix centered = Matrix.zeros(DType.F64, n, len);
      double[] c = centered.f64();
      for (int r = 0; r < n; r++) {
        double[] w = aligned.get(idx[r]).f64();
        for (int t = 0; t < len; t++) {
          c[r * len + t] = w[t] - mean[t];
        }
      }
      Matrix gram = Compute.reference().multiply(Transpose.N, centered, Transpose.T, centered);
      SymmetricEigen eig = SymmetricEigen.decompose(gram);
      double lambda = Math.max(eig.values()[0], 0);
      Matrix u = eig.vectors();
      // Projection of answer r on the leading direction v = Cᵀu/√λ: (C·v)_r = √λ·u_r.
      double[] proj = new double[n];
      for (int r = 0; r < n; r++) {
        proj[r] = Math.sqrt(lambda) * u.get(r, 0);
      }
      double center = median(proj);
      double[] dev = new double[n];
      for (int r = 0; r < n; r++) {
        dev[r] = Math.abs(proj[r] - center);
      }
      double scale = 1.4826 * median(dev);
      List<Integer> drop = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        if (dev[r] > threshold * scale) {
          drop.add(r);
        }
      }
      if (drop.isEmpty()) {
        break;
      }
      // Farthest first, never below the floor.
      drop.sort((a, b) -> Double.compare(dev[b], dev[a]));
      for (int r : drop.subList(0, Math.min(drop.size(), kept - floor))) {
        keep[idx[r]] = false;
        kept--;
      }
    }
    List<Matrix> survivors = new ArrayList<>();
    for (int i : indices(keep, true)) {
      survivors.add(aligned.get(i));
    }
    return new Filtered(survivors, indices(keep, true), indices(keep, false));
  }

  private static int[] indices(boolean[] flags, boolean value) {
    int[] out = new int[flags.length];
    int n = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i] == value) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
