package structura.algorithms.iterative;

/**
 * The complete elliptic integral K and the Jacobi elliptic functions sn, cn, dn at real
 * arguments, by the arithmetic–geometric mean, for the contour quadrature of {@link
 * ContourIntegralQuadrature}.
 *
 * <p>Both take the parameter through its complementary square root k' = √(1 − m): for the CIQ
 * rule m = 1 − λ_min/λ_max is within rounding of 1 on ill-conditioned spectra, and forming 1 − m
 * would cancel every digit; k' = √(λ_min/λ_max) is exact. Method: Abramowitz and Stegun 17.6
 * (K = π/(2·AGM(1, k'))) and 16.4 (descending Landen / AGM for sn, cn, dn), as in Cephes
 * {@code ellpj}.
 */
final class JacobiElliptic {
  private static final int MAX_STEPS = 40;

  private JacobiElliptic() {}

  /** K(m) with m = 1 − k'², for k' in (0, 1]. */
  static double completeK(double kPrime) {
    double a = 1;
    double b = kPrime;
    for (int i = 0; i < MAX_STEPS && Math.abs(a - b) > 1e-16 * a; i++) {
      double t = 0.5 * (a + b);
      b = Math.sqrt(a * b);
      a = t;
    }
    return Math.PI / (2 * a);
  }

  /** {sn, cn, dn}(u | m) with m = 1 − k'², for real u and k' in (0, 1]. */
  static double[] snCnDn(double u, double kPrime) {
    double m = (1 - kPrime) * (1 + kPrime);
    double[] a = new double[MAX_STEPS + 1];
    double[] c = new double[MAX_STEPS + 1];
    a[0] = 1;
    double b = kPrime;
    c[0] = Math.sqrt(m);
    double twoN = 1;
    int i = 0;
    while (Math.abs(c[i] / a[i]) > 1e-17 && i < MAX_STEPS) {
      double ai = a[i];
      i++;
      c[i] = 0.5 * (ai - b);
      double t = Math.sqrt(ai * b);
      a[i] = 0.5 * (ai + b);
      b = t;
      twoN *= 2;
    }
    double phi = twoN * a[i] * u;
    for (; i > 0; i--) {
      double t = c[i] * Math.sin(phi) / a[i];
      phi = 0.5 * (Math.asin(t) + phi);
    }
    double sn = Math.sin(phi);
    double cn = Math.cos(phi);
    // dn² = 1 − m·sn² = k'² + m·cn², free of cancellation (Cephes' cn/cos(φ − φ_prev) is 0/0 at u = K)
    double dn = Math.sqrt(kPrime * kPrime + m * cn * cn);
    return new double[] {sn, cn, dn};
  }
}
