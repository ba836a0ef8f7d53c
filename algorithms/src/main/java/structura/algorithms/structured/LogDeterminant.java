package structura.algorithms.structured;

/**
 * det A = sign·exp(logAbs), kept apart so that large determinants neither overflow nor lose
 * their sign (LAPACK's and NumPy's slogdet).
 *
 * @param sign +1 or −1; 0 for a singular A (then {@code logAbs} is −∞)
 * @param logAbs log|det A|
 */
public record LogDeterminant(double sign, double logAbs) {
  /** det(I) = 1. */
  public static final LogDeterminant ONE = new LogDeterminant(1, 0);

  /** The determinant of a product: signs multiply, logs add. */
  public LogDeterminant times(LogDeterminant other) {
    return new LogDeterminant(sign * other.sign, logAbs + other.logAbs);
  }

  /** det(A)^p for an integer power p ≥ 0 (Kronecker and block rules). */
  public LogDeterminant pow(long p) {
    double s = sign == 0 ? (p == 0 ? 1 : 0) : (p % 2 == 0 ? 1 : sign);
    return new LogDeterminant(s, p == 0 ? 0 : p * logAbs);
  }

  /** log det A when A has a positive determinant (PSD operators); NaN when det A ≤ 0. */
  public double logdet() {
    return sign > 0 ? logAbs : Double.NaN;
  }
}
