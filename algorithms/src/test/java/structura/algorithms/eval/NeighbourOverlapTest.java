package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import structura.api.StructuraException;

/** k-NN overlap against a brute-force reference (a full sort of every row's cosines). */
class NeighbourOverlapTest {
  @Test
  void identicalOrRescaledEmbeddingsKeepEveryNeighbour() {
    float[][] a = random(60, 8, 1);
    float[][] scaled = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      scaled[i] = a[i].clone();
      for (int j = 0; j < 8; j++) {
        scaled[i][j] *= 3 + i;   // cosine ignores each row's length
      }
    }
    assertEquals(1.0, NeighbourOverlap.mean(a, a, 10), 0);
    assertEquals(1.0, NeighbourOverlap.mean(a, scaled, 10), 0);
  }

  @Test
  void perturbedEmbeddingsMatchABruteForceCount() {
    float[][] a = random(200, 16, 2);
    float[][] b = random(200, 12, 3);   // another width: the compressed model may differ
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < 12; j++) {
        b[i][j] = a[i][j] + 0.6f * b[i][j];
      }
    }
    for (int k : new int[] {1, 5, 10}) {
      double want = bruteForce(a, b, k);
      double got = NeighbourOverlap.mean(a, b, k);
      assertEquals(want, got, 1e-12, "k = " + k);
      assertTrue(got > 0.05 && got < 0.95, "neither trivial case: " + got);
    }
  }

  @Test
  void unrelatedEmbeddingsOverlapAboutByChance() {
    double got = NeighbourOverlap.mean(random(300, 16, 4), random(300, 16, 5), 10);
    assertEquals(10.0 / 299, got, 0.02);
  }

  @Test
  void tiesGoToTheLowerIndex() {
    // text 0 is equally similar to texts 1, 2 and 3 in a; in b text 3 is the closest
    float[][] a = {{1, 0}, {1, 1}, {1, 1}, {1, 1}};
    float[][] b = {{1, 0}, {0, 1}, {0, 1}, {1, 0.1f}};
    int[] nn = NeighbourOverlap.topK(unit(a), 0, 2, new double[4]);
    assertEquals("[1, 2]", Arrays.toString(nn));
    // texts 1..3 in a: each has two equal neighbours among the other three and text 0
    assertEquals(bruteForce(a, b, 2), NeighbourOverlap.mean(a, b, 2), 1e-15);
  }

  @Test
  void kMustLeaveSomethingOut() {
    float[][] a = random(5, 3, 6);
    assertThrows(StructuraException.class, () -> NeighbourOverlap.mean(a, a, 5));
    assertThrows(StructuraException.class, () -> NeighbourOverlap.mean(a, a, 0));
    assertThrows(StructuraException.class, () -> NeighbourOverlap.mean(a, random(4, 3, 7), 2));
  }

  /** Sorts all other texts by (cosine descending, index ascending) and intersects the first k. */
  private static double bruteForce(float[][] a, float[][] b, int k) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      Set<Integer> sa = new HashSet<>(Arrays.asList(nearest(a, i, k)));
      int common = 0;
      for (Integer j : nearest(b, i, k)) {
        common += sa.contains(j) ? 1 : 0;
      }
      sum += common / (double) k;
    }
    return sum / a.length;
  }

  private static Integer[] nearest(float[][] x, int i, int k) {
    double[] cos = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      double d = 0;
      double ni = 0;
      double nj = 0;
      for (int t = 0; t < x[i].length; t++) {
        d += (double) x[i][t] * x[j][t];
        ni += (double) x[i][t] * x[i][t];
        nj += (double) x[j][t] * x[j][t];
      }
      cos[j] = d / Math.sqrt(ni * nj);
    }
    return java.util.stream.IntStream.range(0, x.length).filter(j -> j != i).boxed()
        .sorted(Comparator.<Integer>comparingDouble(j -> -cos[j]).thenComparingInt(j -> j)).limit(k).toArray(Integer[]::new);
  }

  private static double[][] unit(float[][] x) {
    double[][] u = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double n = 0;
      for (float v : x[i]) {
        n += v * v;
      }
      u[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        u[i][j] = x[i][j] / Math.sqrt(n);
      }
    }
    return u;
  }

  private static float[][] random(int n, int d, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return x;
  }
}
