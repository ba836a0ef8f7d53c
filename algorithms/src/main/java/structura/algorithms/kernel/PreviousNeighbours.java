package structura.algorithms.kernel;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A seeded random elimination ordering of points and, for each point, its m nearest points
 * among those ordered before it (Euclidean distance on the given coordinates): the conditioning
 * sets of a Vecchia / sparse inverse-Cholesky factor. A random ordering makes the earlier points
 * a coarse-to-fine sample of the set, so each early point conditions on far-away points (the
 * global, smooth part) and each late one on its close neighbours (the local part), the role the
 * maximin ordering plays in Schäfer, Katzfuss and Owhadi (2021), to within a constant factor of
 * the neighbours needed (Guinness, Technometrics 2018, compares the two).
 *
 * <p>Cost: exact search by brute force, parallel over points: N²·d/2 operations (as one product
 * with the lazy kernel operator), memory N·m ints. A k-d tree would make it O(N·m·log N).
 */
final class PreviousNeighbours {
  private final int[] order;
  private final int[][] sets;

  private PreviousNeighbours(int[] order, int[][] sets) {
    this.order = order;
    this.sets = sets;
  }

  /**
   * @param points N·d coordinates, row-major (not modified)
   * @param n N
   * @param d d
   * @param m neighbours per point (fewer for the first m points in the ordering)
   * @param seed seed of the ordering
   */
  static PreviousNeighbours find(double[] points, int n, int d, int m, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {  // Fisher–Yates
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] sorted = new double[n * d];  // coordinates in elimination order, for a contiguous scan
    for (int t = 0; t < n; t++) {
      System.arraycopy(points, order[t] * d, sorted, t * d, d);
    }
    int[][] sets = new int[n][];
    IntStream.range(0, n).parallel().forEach(t -> sets[order[t]] = nearestBefore(sorted, d, t, m, order));
    return new PreviousNeighbours(order, sets);
  }

  /** The min(m, t) nearest of the points at positions 0..t−1 to the point at position t, as point indices. */
  private static int[] nearestBefore(double[] sorted, int d, int t, int m, int[] order) {
    int[] pos = NearestNeighbours.nearest(sorted, t, d, sorted, t * d, m);
    for (int i = 0; i < pos.length; i++) {
      pos[i] = order[pos[i]];
    }
    return pos;
  }

  /** order[t] = the point eliminated t-th. */
  int[] order() {
    return order;
  }

  /** sets[i] = the indices of point i's nearest earlier points. */
  int[][] sets() {
    return sets;
  }
}
