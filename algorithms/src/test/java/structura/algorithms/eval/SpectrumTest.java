package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import structura.api.InvalidArgumentException;

/** {@link Spectrum}'s measures on spectra whose values follow from their definitions by hand. */
class SpectrumTest {
  @Test
  void flatAndSingleDirectionSpectraBoundTheRanks() {
    Spectrum flat = new Spectrum(new double[] {2, 2, 2, 2, 2});
    assertEquals(5, flat.effectiveRank(), 1e-12);
    assertEquals(5, flat.stableRank(), 1e-12);
    assertEquals(5, flat.participationRatio(), 1e-12);
    assertEquals(5, flat.rankAt(0.99));
    assertEquals(3, flat.rankAt(0.6));
    Spectrum one = new Spectrum(new double[] {7, 0, 0});
    assertEquals(1, one.effectiveRank(), 1e-12);
    assertEquals(1, one.stableRank(), 1e-12);
    assertEquals(1, one.rankAt(1.0));
  }

  @Test
  void effectiveRankIsTheExponentialEntropyOfTheSingularValues() {
    // λ = 9, 4, 1 → σ = 3, 2, 1 → p = 1/2, 1/3, 1/6
    Spectrum s = new Spectrum(new double[] {9, 4, 1});
    double h = -(0.5 * Math.log(0.5) + Math.log(1.0 / 3) / 3 + Math.log(1.0 / 6) / 6);
    assertEquals(Math.exp(h), s.effectiveRank(), 1e-12);
    assertEquals(14.0 / 9, s.stableRank(), 1e-12);
    assertEquals(196.0 / 98, s.participationRatio(), 1e-12);
    assertEquals(2, s.rankAt(13.0 / 14));
    assertEquals(3, s.rankAt(13.5 / 14));
  }

  @Test
  void distanceIsZeroForEqualSpectraAndTwoForDisjointOnes() {
    Spectrum a = new Spectrum(new double[] {3, 1, 0});
    assertEquals(0, a.distance(new Spectrum(new double[] {3, 1, 0})), 0);
    assertEquals(2, new Spectrum(new double[] {1, 0}).distance(new Spectrum(new double[] {0, 0})), 1e-12);
    // doubling every eigenvalue: Σ|λ − 2λ| / (½Σ3λ) = 2/3
    assertEquals(2.0 / 3, a.distance(new Spectrum(new double[] {6, 2, 0})), 1e-12);
    assertThrows(InvalidArgumentException.class, () -> a.distance(new Spectrum(new double[] {1, 0})));
  }

  @Test
  void unsortedOrNonFiniteSpectraAreRefusedAndRoundingNegativesCountAsZero() {
    assertThrows(InvalidArgumentException.class, () -> new Spectrum(new double[] {1, 2}));
    assertThrows(InvalidArgumentException.class, () -> new Spectrum(new double[] {Double.NaN}));
    assertThrows(InvalidArgumentException.class, () -> new Spectrum(new double[0]));
    assertEquals(0, new Spectrum(new double[] {1, -1e-17}).eigenvalues()[1], 0);
  }
}
