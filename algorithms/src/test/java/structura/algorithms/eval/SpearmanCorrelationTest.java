package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import structura.api.StructuraException;

/** Spearman's ρ on hand-checked cases with ties, and values of scipy.stats.spearmanr. */
class SpearmanCorrelationTest {
  @Test
  void tiesGetTheirMeanRank() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, SpearmanCorrelation.ranks(new double[] {1, 2, 2, 3}), 0);
    // by hand: ranks x = (1, 2.5, 2.5, 4), y = (1, 3, 2, 4); deviations (−1.5, 0, 0, 1.5) and
    // (−1.5, .5, −.5, 1.5): ρ = 4.5 / sqrt(4.5 · 5) = 0.948683…; scipy.stats.spearmanr gives 0.9486832980505139
    assertEquals(4.5 / Math.sqrt(4.5 * 5), SpearmanCorrelation.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}), 1e-15);
    assertEquals(0.9486832980505139, SpearmanCorrelation.of(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}), 1e-14);
  }

  @Test
  void agreesWithScipyOnTiesInBothSeries() {
    // scipy.stats.spearmanr([3,1,4,1,5,9,2,6], [2,7,1,8,2,8,1,8]).statistic (scipy 1.17.1)
    assertEquals(0.19885368120992467, SpearmanCorrelation.of(new double[] {3, 1, 4, 1, 5, 9, 2, 6},
        new double[] {2, 7, 1, 8, 2, 8, 1, 8}), 1e-14);
  }

  @Test
  void monotoneMapsGiveOneAndMinusOne() {
    double[] x = {0.3, -1, 2.5, 7, 0.31, -4};
    double[] cube = new double[x.length];
    double[] negated = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      cube[i] = x[i] * x[i] * x[i];
      negated[i] = -Math.exp(x[i]);
    }
    assertEquals(1.0, SpearmanCorrelation.of(x, cube), 1e-15);
    assertEquals(-1.0, SpearmanCorrelation.of(x, negated), 1e-15);
  }

  @Test
  void constantSeriesHaveNoCorrelation() {
    assertTrue(Double.isNaN(SpearmanCorrelation.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    assertThrows(StructuraException.class, () -> SpearmanCorrelation.of(new double[] {1, 2}, new double[] {1}));
    assertThrows(StructuraException.class, () -> SpearmanCorrelation.of(new double[] {1, Double.NaN}, new double[] {1, 2}));
  }
}
