package structura.algorithms.kernel.fkt;

import structura.api.backend.RadialKernel;

/**
 * Taylor coefficients of a radial kernel as a function of the squared distance: with
 * g(s) = κ(√s), {@link #coefficients} returns g_n = g⁽ⁿ⁾(s₀)/n! for n = 0..p, so that
 * κ(√(s₀ + h)) = Σ_n g_n·hⁿ + O(h^(p+1)). The FKT's far field is built from these "radial
 * derivatives" (the paper's code takes them by Taylor-mode automatic differentiation).
 *
 * <p>Closed forms for the Gaussian, Cauchy, rational quadratic and Laplace 1/r kernels; the
 * exponential and Matérn kernels, functions of √s, go through truncated power-series arithmetic
 * (√ by the binomial series, exp by the recurrence n·f_n = Σ m·u_m·f_(n−m)): O(p²) flops.
 * Every kernel of {@link RadialKernel.Kind} is supported. s₀ must be &gt; 0 for the kernels that are
 * not smooth at r = 0 (exponential, Matérn, Laplace); the FKT only calls this for well-separated
 * pairs, where s₀ ≥ (node radius/θ)² &gt; 0.
 */
final class RadialTaylor {
  private RadialTaylor() {}

  /**
   * Writes g_0..g_p at s₀ into {@code out}; {@code scratch} holds at least 3·(p+1) doubles.
   */
  static void coefficients(RadialKernel kernel, double s0, int p, double[] out, double[] scratch) {
    double variance = kernel.variance();
    switch (kernel.kind()) {
      case GAUSSIAN -> {
        double g = variance * Math.exp(-0.5 * s0);
        for (int n = 0; n <= p; n++) {
          out[n] = g;
          g *= -0.5 / (n + 1);
        }
      }
      case CAUCHY -> {
        double inv = 1 / (1 + s0);
        double g = variance * inv;
        for (int n = 0; n <= p; n++) {
          out[n] = g;
          g *= -inv;
        }
      }
      case RATIONAL_QUADRATIC -> {
        // (1 + s/(2α))^(−α): the n-th coefficient is binom(−α, n)·(2α)^(−n)·(1 + s₀/(2α))^(−α−n).
        double alpha = kernel.shape();
        double base = 1 + s0 / (2 * alpha);
        double g = variance * Math.pow(base, -alpha);
        for (int n = 0; n <= p; n++) {
          out[n] = g;
          g *= (-alpha - n) / ((n + 1) * 2 * alpha * base);
        }
      }
      case LAPLACE -> {
        double g = variance / Math.sqrt(s0);
        for (int n = 0; n <= p; n++) {
          out[n] = g;
          g *= (-0.5 - n) / ((n + 1) * s0);
        }
      }
      case EXPONENTIAL, MATERN_12 -> expOfRoot(1, s0, p, out, scratch, variance, 0, 0);
      case MATERN_32 -> expOfRoot(Math.sqrt(3), s0, p, out, scratch, variance, 1, 0);
      case MATERN_52 -> expOfRoot(Math.sqrt(5), s0, p, out, scratch, variance, 1, 1.0 / 3);
    }
  }

  /**
   * σ²·(1 + b₁·c·ρ + b₂·c²·ρ²)·exp(−c·ρ) with ρ = √s, as a series in h = s − s₀ (the Matérn
   * family: b = (0, 0), (1, 0), (1, 1/3) for ν = 1/2, 3/2, 5/2).
   */
  private static void expOfRoot(double c, double s0, int p, double[] out, double[] scratch, double variance,
      double b1, double b2) {
    double[] rho = scratch;   // √(s₀ + h) at scratch[0..p]
    double[] e = scratch;
    int eo = p + 1;           // exp(−c·ρ) at scratch[eo..]
    int po = 2 * (p + 1);     // the polynomial factor at scratch[po..]
    double root = Math.sqrt(s0);
    double term = root;
    for (int n = 0; n <= p; n++) {
      rho[n] = term;
      term *= (0.5 - n) / ((n + 1) * s0);
    }
    e[eo] = Math.exp(-c * root);
    for (int n = 1; n <= p; n++) {
      double sum = 0;
      for (int m = 1; m <= n; m++) {
        sum += m * (-c * rho[m]) * e[eo + n - m];
      }
      e[eo + n] = sum / n;
    }
    for (int n = 0; n <= p; n++) {
      // ρ² = s₀ + h exactly.
      double rho2 = n == 0 ? s0 : n == 1 ? 1 : 0;
      e[po + n] = (n == 0 ? 1 : 0) + b1 * c * rho[n] + b2 * c * c * rho2;
    }
    for (int n = 0; n <= p; n++) {
      double sum = 0;
      for (int m = 0; m <= n; m++) {
        sum += e[po + m] * e[eo + n - m];
      }
      out[n] = variance * sum;
    }
  }
}
