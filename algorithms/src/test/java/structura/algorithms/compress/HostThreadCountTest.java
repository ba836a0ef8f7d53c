package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.ReferenceThreads;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The host-side work that STAT splits over the backend's host threads gives bit-identical results
 * on 1, 2 and 3 threads: the neuron selection (pivoted Cholesky's residual gathers and scatters,
 * the correction's triangular solve), the head selection (the blocks' gains) and the gathers of
 * kept heads and neurons ({@link StatEngine#columnBlocks}). The sizes are above every split
 * threshold, so the 2- and 3-thread runs really split; the products are the reference loops on
 * every thread count, so any difference comes from the splits.
 */
class HostThreadCountTest {
  private static final Compute[] COMPUTES = {ReferenceThreads.open(1), ReferenceThreads.open(2), ReferenceThreads.open(3)};

  /** N × n rows of rank r plus a little noise, columns scaled unevenly (distinct pivots). */
  private static Matrix activations(long seed, int count, int n, int r) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] u = CompressionFixtures.gaussian(rnd, count, r);
    double[][] v = CompressionFixtures.gaussian(rnd, r, n);
    double[][] x = CompressionFixtures.multiply(u, v);
    for (double[] row : x) {
      for (int j = 0; j < n; j++) {
        row[j] = row[j] * (1 + j % 7 / 3.0) + 1e-3 * CompressionFixtures.gaussian(rnd) + 0.5;
      }
    }
    return CompressionFixtures.f32InPlace(x);
  }

  private static Matrix weight(long seed, int d, int n) {
    return CompressionFixtures.f32InPlace(CompressionFixtures.gaussian(new SplittableRandom(seed), d, n));
  }

  private static Matrix scatter(Compute c, Matrix x) {
    CovarianceAccumulator acc = new CovarianceAccumulator(c, "test", x.cols(), 0, 1);
    acc.accept(x);
    return acc.moments().centeredScatter();
  }

  @Test
  void neuronSelectionIsBitIdenticalOnOneTwoAndThreeThreads() {
    // f = 600 > the pivoted Cholesky's block (64): residual updates over up to 536 untaken rows;
    // d = 200 rows of W: four panels of the correction's solve
    Matrix x = activations(7, 900, 600, 450);
    Matrix w = weight(8, 200, 600);
    Matrix c = scatter(COMPUTES[0], x);
    double[] mean = new double[600];
    Arrays.fill(mean, 0.5);
    NeuronSelection first = NeuronSelection.of(COMPUTES[0], c, w, 500);
    assertTrue(first.rank() > 256, "rank " + first.rank());
    NeuronSelection.Correction firstCorrection = first.correction(300, mean, w);
    for (int t = 1; t < COMPUTES.length; t++) {
      NeuronSelection other = NeuronSelection.of(COMPUTES[t], c, w, 500);
      assertArrayEquals(first.order, other.order, "pivots, " + (t + 1) + " threads");
      assertArrayEquals(first.error, other.error, 0.0, "errors, " + (t + 1) + " threads");
      assertArrayEquals(first.ratio, other.ratio, 0.0, "ratios, " + (t + 1) + " threads");
      NeuronSelection.Correction corr = other.correction(300, mean, w);
      assertArrayEquals(firstCorrection.kept(), corr.kept());
      assertArrayEquals(firstCorrection.weight().f32(), corr.weight().f32(), 0f, "corrected weight, " + (t + 1) + " threads");
      assertArrayEquals(firstCorrection.biasDelta(), corr.biasDelta(), 0.0);
    }
  }

  @Test
  void headSelectionIsBitIdenticalOnOneTwoAndThreeThreads() {
    int heads = 12;
    int dv = 16;
    Matrix a = activations(11, 700, heads * dv, 150);
    Matrix w = weight(12, 64, heads * dv);
    Matrix c = scatter(COMPUTES[0], a);
    HeadSelection first = HeadSelection.of(COMPUTES[0], c, w, heads, dv);
    var firstCorrection = first.correction(first.kept(5), null, w);
    for (int t = 1; t < COMPUTES.length; t++) {
      HeadSelection other = HeadSelection.of(COMPUTES[t], c, w, heads, dv);
      assertArrayEquals(first.order, other.order, "head order, " + (t + 1) + " threads");
      assertArrayEquals(first.error, other.error, 0.0, "errors, " + (t + 1) + " threads");
      assertArrayEquals(firstCorrection.weight().f32(), other.correction(other.kept(5), null, w).weight().f32(), 0f);
    }
  }

  @Test
  void columnBlocksAreTheSameOnOneTwoAndThreeThreads() {
    Matrix m = activations(31, 1500, 96, 20);
    SplittableRandom rnd = new SplittableRandom(32);
    int[] neurons = rnd.ints(0, 96).distinct().limit(40).sorted().toArray();
    int[] groups = {0, 2, 5, 7};
    for (int[][] keep : new int[][][] {{neurons, {1}}, {groups, {12}}}) {
      int width = keep[1][0];
      Matrix serial = StatEngine.columnBlocks(m, keep[0], width);
      assertNotSame(m, serial);
      for (int t = 1; t <= 3; t++) {
        Matrix split = StatEngine.columnBlocks(m, keep[0], width, t);
        assertEquals(DType.F32, split.dtype());
        assertArrayEquals(serial.f32(), split.f32(), 0f, "width " + width + ", " + t + " threads");
      }
      // and the gathered values are the kept columns
      for (int r = 0; r < m.rows(); r += 499) {
        for (int c = 0; c < keep[0].length * width; c++) {
          assertEquals(m.get(r, keep[0][c / width] * width + c % width), serial.get(r, c));
        }
      }
    }
  }
}
