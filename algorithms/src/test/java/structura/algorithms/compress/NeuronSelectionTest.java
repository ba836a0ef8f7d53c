package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.columns;
import static structura.algorithms.compress.CompressionFixtures.f32InPlace;
import static structura.algorithms.compress.CompressionFixtures.f64;
import static structura.algorithms.compress.CompressionFixtures.frobenius2;
import static structura.algorithms.compress.CompressionFixtures.gaussian;
import static structura.algorithms.compress.CompressionFixtures.gram;
import static structura.algorithms.compress.CompressionFixtures.multiply;
import static structura.algorithms.compress.CompressionFixtures.multiplyTransposed;
import static structura.algorithms.compress.CompressionFixtures.projectOut;
import static structura.algorithms.compress.CompressionFixtures.subtract;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.PivotedQr;
import structura.algorithms.linalg.PivotedQrFactorization;
import structura.algorithms.linalg.PivotedQrOptions;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * {@link NeuronSelection} (pivoted Cholesky of XᵀX, error curve from W·L, correction
 * W' = W·Tᵀ) against references computed from X itself: Householder column-pivoted QR for the
 * pivots, Gram–Schmidt projections for the errors, and the product X·Wᵀ for the correction. The
 * corrected weight is returned in F32, so "exact" means to F32 rounding (~1e-7 relative).
 */
class NeuronSelectionTest {
  static final Compute C = Compute.reference();

  /** X = U·V with U N×r, V r×f Gaussian and column j scaled by 1.25^(−j): exactly rank r. */
  static double[][] lowRank(long seed, int n, int f, int r) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] x = multiply(gaussian(rnd, n, r), gaussian(rnd, r, f));
    scaleColumns(x);
    return x;
  }

  static void scaleColumns(double[][] x) {
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= Math.pow(1.25, -j);
      }
    }
  }

  /** ‖(X_J W'ᵀ + 1·δᵀ) − X Wᵀ‖_F / ‖X Wᵀ‖_F for a correction. */
  static double outputError(double[][] x, double[][] w, NeuronSelection.Correction corr) {
    double[][] want = multiplyTransposed(x, w);
    double[][] got = multiplyTransposed(columns(x, corr.kept()), CompressionFixtures.array(corr.weight()));
    for (double[] row : got) {
      for (int i = 0; i < row.length; i++) {
        row[i] += corr.biasDelta()[i];
      }
    }
    return Math.sqrt(frobenius2(subtract(got, want)) / frobenius2(want));
  }

  @Test
  void exactlyLowRankActivationsAreReproducedByRPivots() {
    int n = 300;
    int f = 24;
    int r = 6;
    double[][] x = lowRank(1, n, f, r);
    double[][] w = gaussian(new SplittableRandom(2), 10, f);
    Matrix wm = f32InPlace(w);
    NeuronSelection ns = NeuronSelection.of(C, f64(gram(x)), wm, f);
    assertEquals(r, ns.rank(), "neurons beyond rank r are exact combinations and stop the factorization");
    assertEquals(r + 1, ns.error.length);
    double total = frobenius2(multiplyTransposed(x, w));
    assertEquals(total, ns.error[0], 1e-10 * total);
    assertTrue(ns.error[r] <= 1e-10 * total, "error at rank r: " + ns.error[r] / total);
    assertTrue(ns.error[r - 1] > 1e-4 * total, "r − 1 pivots cannot reproduce a rank-r X");
    NeuronSelection.Correction corr = ns.correction(r, null, wm);
    assertEquals(r, corr.kept().length);
    int[] sorted = Arrays.copyOf(ns.order, r);
    Arrays.sort(sorted);
    assertArrayEquals(sorted, corr.kept());
    assertEquals(10, corr.weight().rows());
    assertEquals(r, corr.weight().cols());
    assertArrayEquals(new double[10], corr.biasDelta());
    double err = outputError(x, w, corr);
    assertTrue(err < 1e-6, "W'·X_J reproduces W·X to F32 rounding: " + err);
    // sanity: the uncorrected selection (W restricted to the kept columns) is far off
    double[][] plain = new double[10][r];
    for (int i = 0; i < 10; i++) {
      for (int c = 0; c < r; c++) {
        plain[i][c] = w[i][corr.kept()[c]];
      }
    }
    NeuronSelection.Correction naive = new NeuronSelection.Correction(corr.kept(), f64(plain), new double[10]);
    assertTrue(outputError(x, w, naive) > 0.1);
  }

  @Test
  void pivotsAndRatiosMatchHouseholderColumnPivotedQr() {
    for (long seed = 3; seed < 6; seed++) {
      int n = 200;
      int f = 16;
      // full rank with column scales 1.25^(−j): pivots well separated
      double[][] x = gaussian(new SplittableRandom(seed), n, f);
      scaleColumns(x);
      double[][] w = gaussian(new SplittableRandom(seed + 100), 7, f);
      NeuronSelection ns = NeuronSelection.of(C, f64(gram(x)), f32InPlace(w), f);
      PivotedQrFactorization qr = new PivotedQr(Compute.reference(), PivotedQrOptions.defaults()).factor(f64(x));
      assertEquals(f, ns.rank());
      int[] qrPivots = Arrays.copyOf(qr.pivots(), f);
      assertArrayEquals(qrPivots, ns.order, "seed " + seed);
      double[] rd = qr.rDiagonalAbs();
      for (int k = 0; k < f; k++) {
        assertEquals(rd[k] / rd[0], ns.ratio[k], 1e-9, "|R(k,k)/R(0,0)| at " + k);
      }
      // and on an exactly rank-deficient X the first r pivots agree too
      double[][] lr = lowRank(seed, n, f, 5);
      NeuronSelection low = NeuronSelection.of(C, f64(gram(lr)), f32InPlace(w), f);
      PivotedQrFactorization lqr = new PivotedQr(Compute.reference(), PivotedQrOptions.defaults()).factor(f64(lr));
      assertArrayEquals(Arrays.copyOf(lqr.pivots(), 5), low.order);
    }
  }

  @Test
  void errorCurveMatchesDirectProjectionErrors() {
    int n = 250;
    int f = 20;
    double[][] x = gaussian(new SplittableRandom(7), n, f);
    scaleColumns(x);
    double[][] w = gaussian(new SplittableRandom(8), 6, f);
    Matrix wm = f32InPlace(w);
    NeuronSelection ns = NeuronSelection.of(C, f64(gram(x)), wm, f);
    double total = frobenius2(multiplyTransposed(x, w));
    for (int k : new int[] {1, 3, 8, 13, 19, 20}) {
      int[] j = Arrays.copyOf(ns.order, k);
      // ‖(X − X_J T) Wᵀ‖² with X_J T the least-squares fit = the projection of X on span(X_J)
      double[][] residual = projectOut(x, columns(x, j));
      double direct = frobenius2(multiplyTransposed(residual, w));
      assertEquals(direct, ns.error[k], 1e-9 * total, "error[" + k + "]");
      // and the correction achieves it (to F32 rounding of W')
      NeuronSelection.Correction corr = ns.correction(k, null, wm);
      double achieved = outputError(x, w, corr);
      assertEquals(Math.sqrt(direct / total), achieved, 1e-5, "achieved error at k = " + k);
    }
    for (int k = 1; k <= f; k++) {
      assertTrue(ns.error[k] <= ns.error[k - 1] + 1e-12 * total, "error is non-increasing");
    }
    assertEquals(0, ns.error[f], 1e-9 * total);
  }

  @Test
  void maxRankStopsEarlyWithTheSamePrefix() {
    double[][] x = gaussian(new SplittableRandom(9), 150, 40);
    scaleColumns(x);
    double[][] w = gaussian(new SplittableRandom(10), 5, 40);
    Matrix wm = f32InPlace(w);
    NeuronSelection full = NeuronSelection.of(C, f64(gram(x)), wm, 40);
    NeuronSelection part = NeuronSelection.of(C, f64(gram(x)), wm, 35); // crosses the 32-pivot panel
    assertEquals(35, part.rank());
    assertArrayEquals(Arrays.copyOf(full.order, 35), part.order);
    for (int k = 0; k <= 35; k++) {
      assertEquals(full.error[k], part.error[k], 1e-9 * full.error[0]);
    }
  }

  @Test
  void centeredStatisticsFoldTheMeanIntoTheBias() {
    // X = U·V + 1·cᵀ: affine rank r; with the centered scatter r pivots and the bias change are exact
    int n = 300;
    int f = 18;
    int r = 5;
    SplittableRandom rnd = new SplittableRandom(11);
    double[][] x = lowRank(12, n, f, r);
    double[] shift = new double[f];
    for (int j = 0; j < f; j++) {
      shift[j] = 3 * gaussian(rnd);
    }
    double[] mean = new double[f];
    for (double[] row : x) {
      for (int j = 0; j < f; j++) {
        row[j] += shift[j];
        mean[j] += row[j] / n;
      }
    }
    double[][] centered = new double[n][f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        centered[i][j] = x[i][j] - mean[j];
      }
    }
    double[][] w = gaussian(new SplittableRandom(13), 8, f);
    Matrix wm = f32InPlace(w);
    NeuronSelection ns = NeuronSelection.of(C, f64(gram(centered)), wm, f);
    assertEquals(r, ns.rank());
    NeuronSelection.Correction corr = ns.correction(r, mean, wm);
    double err = outputError(x, w, corr);
    assertTrue(err < 1e-6, "X_J W'ᵀ + 1(b' − b)ᵀ reproduces X Wᵀ: " + err);
    // without the intercept the same r columns cannot fit the shifted X
    NeuronSelection.Correction noBias = new NeuronSelection.Correction(corr.kept(), corr.weight(), new double[8]);
    assertTrue(outputError(x, w, noBias) > 1e-2);
  }
}
