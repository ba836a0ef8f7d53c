package structura.algorithms.compress;

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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * {@link HeadSelection} on per-head outputs A = [A_0 … A_4] (5 heads of width 3) where two heads
 * are linear combinations of the others: they must be chosen last (their gain is zero once what
 * they combine is kept), keeping three heads must give zero error, and the refitted output
 * projection must reproduce A·W_oᵀ. On independent heads the greedy choice and the error of
 * every head count are checked against projections computed from A directly.
 */
class HeadSelectionTest {
  static final Compute C = Compute.reference();
  static final int H = 5;
  static final int DV = 3;
  static final int N = 240;
  static final int D = 12;

  /** How heads 1 and 3 are made. */
  enum Kind {
    /** head 1 = A_0·M, head 3 = A_4·M2: the same spans as heads 0 and 4 */
    TWINS,
    /** head 1 = A_0·M + A_2·M2, head 3 = A_2·M3 + A_4·M4: combinations of two heads each */
    MIXED,
    /** all five heads random */
    INDEPENDENT
  }

  /** Heads 0, 2, 4 random with scales 1 + 0.3·h; heads 1 and 3 as {@code kind} says. */
  static double[][] heads(long seed, Kind kind) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] a = new double[N][H * DV];
    for (int h = 0; h < H; h++) {
      double scale = 1 + h * 0.3;
      double[][] block = gaussian(rnd, N, DV);
      for (int i = 0; i < N; i++) {
        for (int t = 0; t < DV; t++) {
          a[i][h * DV + t] = scale * block[i][t];
        }
      }
    }
    if (kind == Kind.INDEPENDENT) {
      return a;
    }
    boolean mixed = kind == Kind.MIXED;
    double[][] head1 = mixed ? multiply(columns(a, headColumns(new int[] {0, 2})), gaussian(rnd, 2 * DV, DV))
        : multiply(columns(a, headColumns(new int[] {0})), gaussian(rnd, DV, DV));
    double[][] head3 = mixed ? multiply(columns(a, headColumns(new int[] {2, 4})), gaussian(rnd, 2 * DV, DV))
        : multiply(columns(a, headColumns(new int[] {4})), gaussian(rnd, DV, DV));
    for (int i = 0; i < N; i++) {
      for (int t = 0; t < DV; t++) {
        a[i][DV + t] = 2 * head1[i][t]; // larger than the random heads: a norm rule would keep it
        a[i][3 * DV + t] = head3[i][t];
      }
    }
    return a;
  }

  static int[] headColumns(int[] hs) {
    return Arrays.stream(hs).flatMap(h -> IntStream.range(h * DV, (h + 1) * DV)).toArray();
  }

  static int[] complement(int[] kept) {
    return IntStream.range(0, H).filter(h -> Arrays.stream(kept).noneMatch(k -> k == h)).toArray();
  }

  /** Asserts that the {@code dropped} heads lie in the span of the {@code kept} ones (direct projection). */
  static void assertInSpan(double[][] a, int[] kept, int[] dropped) {
    double[][] d = columns(a, headColumns(dropped));
    double residual = frobenius2(projectOut(d, columns(a, headColumns(kept))));
    assertTrue(residual < 1e-20 * frobenius2(d), "dropped heads " + Arrays.toString(dropped)
        + " are combinations of the kept ones: " + residual / frobenius2(d));
  }

  static double relativeOutputError(double[][] a, double[][] w, NeuronSelection.Correction corr) {
    double[][] want = multiplyTransposed(a, w);
    double[][] got = multiplyTransposed(columns(a, headColumns(corr.kept())), CompressionFixtures.array(corr.weight()));
    for (double[] row : got) {
      for (int i = 0; i < row.length; i++) {
        row[i] += corr.biasDelta()[i];
      }
    }
    return Math.sqrt(frobenius2(subtract(got, want)) / frobenius2(want));
  }

  @Test
  void headsSpannedByOthersAreDroppedFirstAndTheProjectionIsRefittedExactly() {
    double[][] a = heads(1, Kind.TWINS);
    double[][] w = gaussian(new SplittableRandom(2), D, H * DV);
    Matrix wm = f32InPlace(w);
    HeadSelection hs = HeadSelection.of(C, f64(gram(a)), wm, H, DV);
    assertEquals(H, hs.order.length);
    assertEquals(H, Arrays.stream(hs.order).distinct().count());
    // heads 0 and 1 span one subspace, 3 and 4 another: whichever of a pair comes first, its twin
    // adds nothing afterwards and is among the last two
    int lo = Math.min(hs.order[3], hs.order[4]);
    int hi = Math.max(hs.order[3], hs.order[4]);
    assertTrue((lo == 0 || lo == 1) && (hi == 3 || hi == 4), "order " + Arrays.toString(hs.order));
    double total = frobenius2(multiplyTransposed(a, w));
    assertEquals(total, hs.error[0], 1e-10 * total);
    assertTrue(hs.error[3] < 1e-8 * total, "three independent heads explain everything: " + hs.error[3] / total);
    assertTrue(hs.error[4] < 1e-8 * total);
    assertTrue(hs.error[2] > 1e-3 * total);
    int[] kept = hs.kept(3);
    assertTrue(Arrays.stream(kept).anyMatch(h -> h == 2), "head 2 has no twin");
    NeuronSelection.Correction corr = hs.correction(kept, null, wm);
    assertEquals(D, corr.weight().rows());
    assertEquals(3 * DV, corr.weight().cols());
    double err = relativeOutputError(a, w, corr);
    assertTrue(err < 1e-6, "A_S W_o'ᵀ reproduces A W_oᵀ to F32 rounding: " + err);
    // dropping the same heads with W_o's own columns (no refit) is far off
    double[][] plain = columns(w, headColumns(kept));
    assertTrue(relativeOutputError(a, w, new NeuronSelection.Correction(kept, f64(plain), new double[D])) > 0.1);
  }

  @Test
  void headsThatCombineSeveralOthersAreDroppedWithAnExactRefit() {
    double[][] a = heads(2, Kind.MIXED);
    double[][] w = gaussian(new SplittableRandom(3), D, H * DV);
    Matrix wm = f32InPlace(w);
    HeadSelection hs = HeadSelection.of(C, f64(gram(a)), wm, H, DV);
    double total = frobenius2(multiplyTransposed(a, w));
    assertTrue(hs.error[3] < 1e-8 * total, "error with 3 heads " + hs.error[3] / total);
    assertTrue(hs.error[2] > 1e-3 * total);
    int[] kept = hs.kept(3);
    assertInSpan(a, kept, complement(kept));
    assertTrue(relativeOutputError(a, w, hs.correction(kept, null, wm)) < 1e-6);
  }

  @Test
  void greedyChoiceAndErrorsMatchDirectProjections() {
    double[][] a = heads(3, Kind.INDEPENDENT); // independent heads: no ties in the greedy choice
    double[][] w = gaussian(new SplittableRandom(4), D, H * DV);
    Matrix wm = f32InPlace(w);
    HeadSelection hs = HeadSelection.of(C, f64(gram(a)), wm, H, DV);
    double total = frobenius2(multiplyTransposed(a, w));
    // at every step the next head is the one whose addition leaves the least output error
    for (int k = 0; k < H; k++) {
      int[] prefix = Arrays.copyOf(hs.order, k);
      int next = -1;
      double lowest = Double.POSITIVE_INFINITY;
      for (int h = 0; h < H; h++) {
        final int cand = h;
        if (Arrays.stream(prefix).anyMatch(p -> p == cand)) {
          continue;
        }
        int[] s = IntStream.concat(Arrays.stream(prefix), IntStream.of(h)).sorted().toArray();
        double e = frobenius2(multiplyTransposed(projectOut(a, columns(a, headColumns(s))), w));
        if (e < lowest) {
          lowest = e;
          next = h;
        }
      }
      assertEquals(next, hs.order[k], "step " + k + ", order " + Arrays.toString(hs.order));
    }
    for (int k = 1; k <= H; k++) {
      int[] s = hs.kept(k);
      double direct = frobenius2(multiplyTransposed(projectOut(a, columns(a, headColumns(s))), w));
      assertEquals(direct, hs.error[k], 1e-8 * total, "error[" + k + "]");
      double achieved = relativeOutputError(a, w, hs.correction(s, null, wm));
      assertEquals(Math.sqrt(direct / total), achieved, 1e-5, "refitted error with " + k + " heads");
    }
  }

  @Test
  void centeredScatterWithMeanRefitsTheBias() {
    // constant offsets per column: the dependent heads are affine combinations of the others
    double[][] a = heads(5, Kind.MIXED);
    SplittableRandom rnd = new SplittableRandom(6);
    double[] mean = new double[H * DV];
    double[] shift = new double[H * DV];
    for (int j = 0; j < shift.length; j++) {
      shift[j] = 2 * gaussian(rnd);
    }
    for (double[] row : a) {
      for (int j = 0; j < row.length; j++) {
        row[j] += shift[j];
        mean[j] += row[j] / N;
      }
    }
    double[][] centered = new double[N][H * DV];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < H * DV; j++) {
        centered[i][j] = a[i][j] - mean[j];
      }
    }
    double[][] w = gaussian(new SplittableRandom(7), D, H * DV);
    Matrix wm = f32InPlace(w);
    HeadSelection hs = HeadSelection.of(C, f64(gram(centered)), wm, H, DV);
    assertTrue(hs.error[3] < 1e-8 * hs.error[0]);
    assertInSpan(centered, hs.kept(3), complement(hs.kept(3)));
    NeuronSelection.Correction corr = hs.correction(hs.kept(3), mean, wm);
    assertTrue(relativeOutputError(a, w, corr) < 1e-6);
    assertTrue(relativeOutputError(a, w, new NeuronSelection.Correction(corr.kept(), corr.weight(), new double[D])) > 1e-2);
  }
}
