package structura.algorithms.structured;

/**
 * Eigenvalues of a general square operator, λ_j = real[j] + i·imaginary[j], ordered by
 * increasing modulus (ties by real, then imaginary part). Complex eigenvalues of a real operator
 * come in conjugate pairs.
 *
 * @param real real parts
 * @param imaginary imaginary parts (all zero for a symmetric operator)
 */
public record Eigenvalues(double[] real, double[] imaginary) {
  public Eigenvalues {
    real = real.clone();
    imaginary = imaginary.clone();
  }

  /** The number of eigenvalues. */
  public int size() {
    return real.length;
  }

  @Override
  public double[] real() {
    return real.clone();
  }

  @Override
  public double[] imaginary() {
    return imaginary.clone();
  }
}
