package structura.algorithms.eval;

import java.util.Arrays;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * The eigenvalue spectrum of a covariance matrix, λ₁ ≥ λ₂ ≥ … ≥ 0, and the dimension measures
 * read from it.
 *
 * <ul>
 * <li><b>Effective rank</b> (Roy and Vetterli, EUSIPCO 2007): {@code exp(H(p))} with
 * {@code p_i = σ_i / Σσ} over the singular values {@code σ_i = √λ_i} of the centered data and H
 * the Shannon entropy; between 1 (one direction) and the dimension (a flat spectrum).</li>
 * <li><b>Stable rank</b> {@code Σλ / λ₁} and <b>participation ratio</b> {@code (Σλ)² / Σλ²}.</li>
 * <li><b>Energy rank</b> {@link #rankAt(double)}: the fewest leading directions holding a given
 * fraction of the variance, the width a projection needs.</li>
 * </ul>
 * Negative eigenvalues (rounding of a PSD matrix) count as zero. Immutable; accessors copy.
 *
 * @param eigenvalues covariance eigenvalues, non-increasing
 */
public record Spectrum(double[] eigenvalues) {
  /**
   * @throws InvalidArgumentException INVALID_INPUT for an empty, non-finite or increasing spectrum
   */
  public Spectrum {
    eigenvalues = eigenvalues.clone();
    if (eigenvalues.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "a spectrum needs at least one eigenvalue.",
          "Pass the eigenvalues of a non-empty covariance matrix.");
    }
    for (int i = 0; i < eigenvalues.length; i++) {
      if (!Double.isFinite(eigenvalues[i]) || (i > 0 && eigenvalues[i] > eigenvalues[i - 1])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "eigenvalue " + i + " = " + eigenvalues[i]
            + " is not finite or breaks the non-increasing order.", "Sort the eigenvalues in decreasing order.");
      }
      eigenvalues[i] = Math.max(0, eigenvalues[i]);
    }
  }

  @Override
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** Σλ, the total variance. */
  public double total() {
    return Arrays.stream(eigenvalues).sum();
  }

  /** exp of the entropy of the normalised singular values √λ_i; 0 for an all-zero spectrum. */
  public double effectiveRank() {
    double sum = 0;
    for (double l : eigenvalues) {
      sum += Math.sqrt(l);
    }
    if (sum == 0) {
      return 0;
    }
    double h = 0;
    for (double l : eigenvalues) {
      double p = Math.sqrt(l) / sum;
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return Math.exp(h);
  }

  /** Σλ / λ₁; 0 for an all-zero spectrum. */
  public double stableRank() {
    return eigenvalues[0] == 0 ? 0 : total() / eigenvalues[0];
  }

  /** (Σλ)² / Σλ²; 0 for an all-zero spectrum. */
  public double participationRatio() {
    double s2 = 0;
    for (double l : eigenvalues) {
      s2 += l * l;
    }
    double t = total();
    return s2 == 0 ? 0 : t * t / s2;
  }

  /**
   * The fewest leading directions whose eigenvalues sum to at least {@code fraction} of the total.
   *
   * @param fraction in (0, 1]
   */
  public int rankAt(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "fraction " + fraction + " is not in (0, 1].",
          "Pass a variance fraction such as 0.9 or 0.99.");
    }
    double target = fraction * total();
    double s = 0;
    for (int i = 0; i < eigenvalues.length; i++) {
      s += eigenvalues[i];
      if (s >= target * (1 - 1e-12)) {
        return i + 1;
      }
    }
    return eigenvalues.length;
  }

  /**
   * The normalised ℓ1 distance between two spectra of the same dimension:
   * {@code Σ|λ_i − μ_i| / (½Σ(λ_i + μ_i))}, in [0, 2]; 0 exactly when they are equal, 2 when their
   * variance lies in disjoint index ranges. Scale-sensitive by design: a class whose features
   * spread twice as far is imbalanced against one that does not.
   */
  public double distance(Spectrum other) {
    if (other.eigenvalues.length != eigenvalues.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "spectra of dimension " + eigenvalues.length
          + " and " + other.eigenvalues.length + " cannot be compared.", "Compare spectra of the same feature space.");
    }
    double diff = 0;
    double mean = 0;
    for (int i = 0; i < eigenvalues.length; i++) {
      diff += Math.abs(eigenvalues[i] - other.eigenvalues[i]);
      mean += 0.5 * (eigenvalues[i] + other.eigenvalues[i]);
    }
    return mean == 0 ? 0 : diff / mean;
  }
}
