package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * {@link CovarianceAccumulator} against naive double loops. The exact path stages rows in blocks
 * of {@code chunkRows} (4096 for narrow rows) and sums the blocks' F32 Grams in double, so the
 * data here is fed in uneven pieces over more than two blocks; the tolerance is that of F32 sums
 * of at most 4096 products.
 */
class CovarianceAccumulatorTest {
  static final Compute C = Compute.reference();

  /** N × n float-exact rows with mean {@code offset} per column (column j scaled by 1 + j/4). */
  static double[][] rows(long seed, int count, int n, double offset) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] x = new double[count][n];
    for (double[] row : x) {
      for (int j = 0; j < n; j++) {
        row[j] = (float) ((offset + CompressionFixtures.gaussian(rnd)) * (1 + j / 4.0));
      }
    }
    return x;
  }

  /**
   * Feeds x in random pieces of 1..maxPiece rows, each piece a view of a wider matrix (ld > n,
   * nonzero offset), so non-compact inputs and piece boundaries that straddle the staging blocks
   * are both exercised.
   */
  static void feed(CovarianceAccumulator acc, double[][] x, int from, int to, SplittableRandom rnd, int maxPiece) {
    int n = x[0].length;
    int i = from;
    while (i < to) {
      int r = Math.min(to - i, rnd.nextInt(1, maxPiece + 1));
      Matrix wide = Matrix.zeros(DType.F32, r + 1, n + 3);
      wide.fill(Float.NaN); // anything outside the view that is read would poison the sums
      for (int a = 0; a < r; a++) {
        for (int j = 0; j < n; j++) {
          wide.set(a + 1, j + 2, x[i + a][j]);
        }
      }
      acc.accept(wide.view(1, 2, r, n));
      i += r;
    }
  }

  static void assertMomentsMatch(CovarianceAccumulator.Moments m, double[][] x, int rowsUsed) {
    int n = x[0].length;
    double[][] sub = java.util.Arrays.copyOf(x, rowsUsed);
    double[][] g = CompressionFixtures.gram(sub);
    double[] s = new double[n];
    for (double[] row : sub) {
      for (int j = 0; j < n; j++) {
        s[j] += row[j];
      }
    }
    assertEquals(rowsUsed, m.count());
    assertEquals(n, m.gram().rows());
    assertEquals(DType.F64, m.gram().dtype());
    for (int i = 0; i < n; i++) {
      // the column sums are exact double sums of float values
      assertEquals(s[i], m.sums()[i], 1e-12 * Math.abs(s[i]) + 1e-9, "sum " + i);
      assertEquals(s[i] / rowsUsed, m.mean()[i], 1e-12 * Math.abs(s[i] / rowsUsed) + 1e-12, "mean " + i);
      for (int j = 0; j < n; j++) {
        double scale = Math.sqrt(g[i][i] * g[j][j]);
        assertEquals(g[i][j], m.gram().get(i, j), 2e-5 * scale, "G(" + i + "," + j + ")");
      }
    }
    // centered scatter Σ (x − μ)(x − μ)ᵀ, by a two-pass loop
    double[] mu = new double[n];
    for (int j = 0; j < n; j++) {
      mu[j] = s[j] / rowsUsed;
    }
    double[][] cs = new double[n][n];
    for (double[] row : sub) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          cs[i][j] += (row[i] - mu[i]) * (row[j] - mu[j]);
        }
      }
    }
    Matrix c = m.centeredScatter();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // G − N μμᵀ cancels about (1 + offset²) of G's digits
        double scale = Math.sqrt(g[i][i] * g[j][j]);
        assertEquals(cs[i][j], c.get(i, j), 2e-5 * scale, "centered (" + i + "," + j + ")");
      }
    }
    // the returned matrices are copies: centering did not touch the Gram
    assertEquals(g[0][1], m.gram().get(0, 1), 2e-5 * Math.sqrt(g[0][0] * g[1][1]));
  }

  @Test
  void exactMomentsMatchNaiveLoopsAcrossStagingBlocks() {
    int n = 9;
    int count = 9000; // chunkRows is 4096 for n = 9: two full blocks and a partial one
    double[][] x = rows(11, count, n, 0.7);
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "test rows", n, 0, 0);
    SplittableRandom rnd = new SplittableRandom(5);
    feed(acc, x, 0, 5000, rnd, 777);
    // moments in the middle of the stream flush the partial block, and accepting goes on afterwards
    CovarianceAccumulator.Moments half = acc.moments();
    assertMomentsMatch(half, x, 5000);
    feed(acc, x, 5000, count, rnd, 1500);
    assertEquals(count, acc.count());
    assertMomentsMatch(acc.moments(), x, count);
    assertEquals(5000, half.count()); // the earlier snapshot did not change
    assertMomentsMatch(half, x, 5000);
  }

  @Test
  void f64ProductsAreExactToDoubleRounding() {
    int n = 9;
    int count = 9000;
    double[][] x = rows(11, count, n, 0.7);
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "test rows", n, 0, 0, true);
    CovarianceAccumulator f32 = new CovarianceAccumulator(C, "test rows", n, 0, 0);
    SplittableRandom rnd = new SplittableRandom(5);
    feed(acc, x, 0, count, rnd, 1500);
    feed(f32, x, 0, count, new SplittableRandom(5), 1500);
    assertMomentsMatch(acc.moments(), x, count);
    double[][] g = CompressionFixtures.gram(x);
    Matrix g64 = acc.moments().gram();
    Matrix g32 = f32.moments().gram();
    double worstF64 = 0;
    double worstF32 = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double scale = Math.sqrt(g[i][i] * g[j][j]);
        worstF64 = Math.max(worstF64, Math.abs(g64.get(i, j) - g[i][j]) / scale);
        worstF32 = Math.max(worstF32, Math.abs(g32.get(i, j) - g[i][j]) / scale);
      }
    }
    // products of floats are exact in double; only the double sums round
    assertTrue(worstF64 < 1e-12, "F64 products: relative error " + worstF64);
    assertTrue(worstF32 > 1e-9, "the F32 chunk Grams do round: " + worstF32);
  }

  @Test
  void aSingleRowAtATimeGivesTheSameMoments() {
    double[][] x = rows(12, 300, 5, -1.5);
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "rows", 5, 0, 0);
    feed(acc, x, 0, x.length, new SplittableRandom(1), 1);
    assertMomentsMatch(acc.moments(), x, x.length);
  }

  @Test
  void nonFiniteActivationIsReportedWithTheAccumulatorName() {
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "block 3 FFN intermediate", 4, 0, 0);
    acc.accept(Matrix.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> acc.accept(Matrix.wrap(new float[] {1, 2, 3, 4, 1, Float.NaN, 0, 0}, 2, 4)));
    assertTrue(e.getMessage().contains("block 3 FFN intermediate"), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertTrue(e.getMessage().contains("row 3"), e.getMessage()); // global row index: 2 before + row 1
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    CovarianceAccumulator sk = new CovarianceAccumulator(C, "sketched layer", 2, 8, 1);
    InvalidArgumentException inf = assertThrows(InvalidArgumentException.class,
        () -> sk.accept(Matrix.wrap(new float[] {Float.POSITIVE_INFINITY, 0}, 1, 2)));
    assertTrue(inf.getMessage().contains("sketched layer"), inf.getMessage());
  }

  @Test
  void noRowsAndWrongWidthAreErrors() {
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "block 0 attention heads", 3, 0, 0);
    InvalidArgumentException none = assertThrows(InvalidArgumentException.class, acc::moments);
    assertTrue(none.getMessage().contains("block 0 attention heads"), none.getMessage());
    acc.accept(Matrix.zeros(DType.F32, 0, 3)); // an empty piece is not a row
    assertThrows(InvalidArgumentException.class, acc::moments);
    InvalidArgumentException wide = assertThrows(InvalidArgumentException.class,
        () -> acc.accept(Matrix.zeros(DType.F32, 2, 4)));
    assertEquals(ErrorCode.DIMENSION_MISMATCH, wide.code());
    assertThrows(InvalidArgumentException.class, () -> new CovarianceAccumulator(C, "x", 0, 0, 0));
    assertThrows(InvalidArgumentException.class, () -> new CovarianceAccumulator(C, "x", 3, -1, 0));
  }

  @Test
  void countSketchIsUnbiasedWithExactSumsAndCount() {
    int n = 6;
    int count = 2000;
    int sketchRows = 64;
    double[][] x = rows(13, count, n, 0);
    double[][] g = CompressionFixtures.gram(x);
    int seeds = 200;
    double[][] avg = new double[n][n];
    double maxSingleError = 0;
    double[][] first = null;
    for (int seed = 0; seed < seeds; seed++) {
      CovarianceAccumulator acc = new CovarianceAccumulator(C, "sketch", n, sketchRows, seed);
      feed(acc, x, 0, count, new SplittableRandom(seed), 300);
      CovarianceAccumulator.Moments m = acc.moments();
      assertEquals(count, m.count());
      double[] s = new double[n];
      for (double[] row : x) {
        for (int j = 0; j < n; j++) {
          s[j] += row[j];
        }
      }
      for (int j = 0; j < n; j++) {
        assertEquals(s[j], m.sums()[j], 1e-12 * Math.abs(s[j]) + 1e-9, "sketched sums stay exact");
      }
      double[][] est = CompressionFixtures.array(m.gram());
      if (first == null) {
        first = est;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          avg[i][j] += est[i][j] / seeds;
          maxSingleError = Math.max(maxSingleError, Math.abs(est[i][j] - g[i][j]) / Math.sqrt(g[i][i] * g[j][j]));
        }
      }
    }
    // one sketch of 64 rows has relative error about √(2/64) ≈ 0.18; the mean of 200 about 0.0125
    assertTrue(maxSingleError > 0.02, "a single sketch should not be exact: " + maxSingleError);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double scale = Math.sqrt(g[i][i] * g[j][j]);
        assertEquals(g[i][j], avg[i][j], 0.06 * scale, "mean sketched G(" + i + "," + j + ")");
      }
    }
    // the same seed gives the same sketch
    CovarianceAccumulator again = new CovarianceAccumulator(C, "sketch", n, sketchRows, 0);
    feed(again, x, 0, count, new SplittableRandom(99), 1000);
    double[][] repeat = CompressionFixtures.array(again.moments().gram());
    for (int i = 0; i < n; i++) {
      assertArrayEquals(first[i], repeat[i], 1e-9 * g[i][i]);
    }
  }

  @Test
  void sketchLongerThanOneGramChunkCoversEveryBucket() {
    // Gram blocks of 64 rows, a sketch of 200 buckets: four blocks, the last one partial
    int n = 16;
    int rows = 3000;
    float[] x = gaussianFloats(5, rows * n, 0);
    CovarianceAccumulator acc = new CovarianceAccumulator(C, "blocked sketch", n, 200, 3, 64);
    acc.accept(Matrix.wrap(x, rows, n));
    Matrix g = acc.moments().gram();
    // the same sketch in one block: identical up to F32 rounding of the block sums
    CovarianceAccumulator one = new CovarianceAccumulator(C, "one block", n, 200, 3, 256);
    one.accept(Matrix.wrap(x, rows, n));
    Matrix h = one.moments().gram();
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += g.get(i, i);
      for (int j = 0; j < n; j++) {
        assertEquals(h.get(i, j), g.get(i, j), 1e-4 * rows, "G(" + i + "," + j + ")");
      }
    }
    // E[diag] = rows; a sketch of 200 buckets adds about √(2/200) = 10 % per entry, 2.5 % on the mean of 16
    assertEquals(rows, trace / n, 0.1 * rows, "mean diagonal: every bucket is in the Gram");
  }

  @Test
  void sketchedCenteredScatterErrIsRelativeToTheCenteredEnergy() {
    // activations with mean 10 and unit spread: a sketch of the uncentered Gram minus Nμμᵀ would
    // carry an error ~100× the centered scatter; centering the sketch keeps it ~√((tr C)²/(m‖C‖²))
    int n = 50;
    int rows = 20000;
    float[] x = gaussianFloats(9, rows * n, 10);
    CovarianceAccumulator exact = new CovarianceAccumulator(C, "exact", n, 0, 0);
    CovarianceAccumulator sketched = new CovarianceAccumulator(C, "sketched", n, 2000, 4);
    exact.accept(Matrix.wrap(x, rows, n));
    sketched.accept(Matrix.wrap(x, rows, n));
    Matrix c = exact.moments().centeredScatter();
    Matrix e = sketched.moments().centeredScatter();
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        diff += Math.pow(e.get(i, j) - c.get(i, j), 2);
        norm += Math.pow(c.get(i, j), 2);
      }
    }
    double rel = Math.sqrt(diff / norm);
    assertTrue(rel < 0.3, "relative Frobenius error of the sketched centered scatter " + rel);
    assertTrue(rel > 0.01, "a sketch of 2000 buckets is not exact: " + rel);
  }

  /** {@code length} floats mean + N(0, 1) from SplittableRandom({@code seed}). */
  private static float[] gaussianFloats(long seed, int length, double mean) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (mean + rnd.nextGaussian());
    }
    return x;
  }
}
