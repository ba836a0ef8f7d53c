package structura.algorithms.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * Chebyshev tools for {@link HarmonicLowRank}: the degree at which a Chebyshev series fits a
 * function to a tolerance, and barycentric Lagrange interpolation on Chebyshev points of the
 * first kind (stable for any number of nodes; Berrut and Trefethen, SIAM Review 46(3), 2004).
 */
final class Chebyshev {
  private Chebyshev() {}

  /** Points where the fit error is measured: 201 equispaced points of [0, 1] (the functions fitted are even). */
  private static final int CHECK_POINTS = 201;

  /**
   * The smallest degree D ≤ maxDegree whose truncated Chebyshev series of {@code g} on [−1, 1]
   * has max |error| ≤ {@code tolerance} on [0, 1] (g is even, so [0, 1] is all of it), with
   * coefficients from a discrete cosine transform on 2·maxDegree + 2 Chebyshev–Gauss points.
   *
   * @return {D, error at D}; D = maxDegree when no degree reaches the tolerance
   */
  static double[] fitDegree(DoubleUnaryOperator g, double tolerance, int maxDegree) {
    int n = 2 * maxDegree + 2;
    double[] samples = new double[n];
    for (int j = 0; j < n; j++) {
      samples[j] = g.applyAsDouble(Math.cos(Math.PI * (j + 0.5) / n));
    }
    double[] a = new double[maxDegree + 1];
    for (int k = 0; k <= maxDegree; k++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += samples[j] * Math.cos(k * Math.PI * (j + 0.5) / n);
      }
      a[k] = (k == 0 ? 1.0 : 2.0) * s / n;
    }
    double[] exact = new double[CHECK_POINTS];
    double[] partial = new double[CHECK_POINTS];
    double[] tPrev = new double[CHECK_POINTS];
    double[] tCur = new double[CHECK_POINTS];
    for (int p = 0; p < CHECK_POINTS; p++) {
      double s = p / (CHECK_POINTS - 1.0);
      exact[p] = g.applyAsDouble(s);
      tPrev[p] = 1;
      tCur[p] = s;
    }
    double error = Double.POSITIVE_INFINITY;
    for (int k = 0; k <= maxDegree; k++) {
      error = 0;
      for (int p = 0; p < CHECK_POINTS; p++) {
        double s = p / (CHECK_POINTS - 1.0);
        double tk;
        if (k == 0) {
          tk = 1;
        } else if (k == 1) {
          tk = s;
        } else {
          tk = 2 * s * tCur[p] - tPrev[p];
          tPrev[p] = tCur[p];
          tCur[p] = tk;
        }
        partial[p] += a[k] * tk;
        error = Math.max(error, Math.abs(partial[p] - exact[p]));
      }
      if (error <= tolerance) {
        return new double[] {k, error};
      }
    }
    return new double[] {maxDegree, error};
  }

  /** m Chebyshev points of the first kind on [lo, hi], ascending. */
  static double[] nodes(int m, double lo, double hi) {
    double[] x = new double[m];
    for (int j = 0; j < m; j++) {
      x[j] = lo + (hi - lo) * 0.5 * (1 - Math.cos(Math.PI * (j + 0.5) / m));
    }
    return x;
  }

  /** Barycentric weights of {@link #nodes} (the ascending order flips the textbook sign, which cancels). */
  static double[] barycentricWeights(int m) {
    double[] w = new double[m];
    for (int j = 0; j < m; j++) {
      w[j] = ((j % 2 == 0) ? 1 : -1) * Math.sin(Math.PI * (j + 0.5) / m);
    }
    return w;
  }

  /** The m Lagrange basis polynomials on {@code nodes} at x, written to {@code out}. */
  static void lagrange(double[] nodes, double[] weights, double x, double[] out) {
    int m = nodes.length;
    for (int j = 0; j < m; j++) {
      if (x == nodes[j]) {
        java.util.Arrays.fill(out, 0);
        out[j] = 1;
        return;
      }
    }
    double sum = 0;
    for (int j = 0; j < m; j++) {
      out[j] = weights[j] / (x - nodes[j]);
      sum += out[j];
    }
    for (int j = 0; j < m; j++) {
      out[j] /= sum;
    }
  }
}
