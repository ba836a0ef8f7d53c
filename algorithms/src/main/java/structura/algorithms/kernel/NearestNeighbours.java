package structura.algorithms.kernel;

/**
 * Exact k-nearest-neighbour search by brute force (Euclidean): the scan that the Vecchia
 * preconditioner's conditioning sets and the nearest-neighbour predictive variances need.
 * O(count·d) per query with a bounded max-heap, no index structure (a k-d tree would make it
 * logarithmic; at 5·10⁴ points the scan is as cheap as one kernel product).
 */
final class NearestNeighbours {
  private NearestNeighbours() {}

  /**
   * The min(m, count) nearest of the first {@code count} points of {@code sources} to one query, as
   * positions in {@code sources} (in no particular order).
   *
   * @param sources row-major coordinates, d per point (not modified)
   * @param count how many leading points of {@code sources} to search
   * @param d dimension
   * @param query holds the query's d coordinates at {@code offset} (not modified)
   * @param offset start of the query in {@code query}
   * @param m neighbours wanted
   */
  static int[] nearest(double[] sources, int count, int d, double[] query, int offset, int m) {
    int k = Math.min(m, count);
    double[] heapDist = new double[k];  // max-heap on squared distance of the k best so far
    int[] heapPos = new int[k];
    int size = 0;
    for (int q = 0; q < count; q++) {
      double r2 = 0;
      int b = q * d;
      for (int c = 0; c < d; c++) {
        double diff = query[offset + c] - sources[b + c];
        r2 += diff * diff;
      }
      if (size < k) {
        int i = size++;
        while (i > 0 && heapDist[(i - 1) / 2] < r2) {  // sift up
          heapDist[i] = heapDist[(i - 1) / 2];
          heapPos[i] = heapPos[(i - 1) / 2];
          i = (i - 1) / 2;
        }
        heapDist[i] = r2;
        heapPos[i] = q;
      } else if (k > 0 && r2 < heapDist[0]) {
        int i = 0;  // replace the root and sift down
        while (true) {
          int l = 2 * i + 1;
          if (l >= k) {
            break;
          }
          int big = l + 1 < k && heapDist[l + 1] > heapDist[l] ? l + 1 : l;
          if (heapDist[big] <= r2) {
            break;
          }
          heapDist[i] = heapDist[big];
          heapPos[i] = heapPos[big];
          i = big;
        }
        heapDist[i] = r2;
        heapPos[i] = q;
      }
    }
    return heapPos;
  }
}
