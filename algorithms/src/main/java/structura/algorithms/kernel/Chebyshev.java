package structura.algorithms.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * Chebyshev tools shared by {@link HarmonicLowRank} (radial fits) and the FKT's FMM path (the
 * tensor grids of {@code structura.algorithms.kernel.fkt.ChebyshevGrid}): the degree at which a
 * Chebyshev series fits a function to a tolerance, and barycentric Lagrange interpolation on
 * Chebyshev points of the first kind (stable for any number of nodes; Berrut and Trefethen, SIAM
 * Review 46(3), 2004). Static, stateless.
 */
public final class Chebyshev {
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
  public static double[] fitDegree(DoubleUnaryOperator g, double tolerance, int maxDegree) {
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

  /**
   * m Chebyshev points of the first kind on [lo, hi], ascending: x_j = lo + (hi − lo)·(1 −
   * cos((j + ½)π/m))/2, j = 0..m−1. A new array.
   */
  public static double[] nodes(int m, double lo, double hi) {
    double[] x = new double[m];
    for (int j = 0; j < m; j++) {
      x[j] = lo + (hi - lo) * 0.5 * (1 - Math.cos(Math.PI * (j + 0.5) / m));
    }
    return x;
  }

  /**
   * Barycentric weights λ_j = (−1)^j·sin((j + ½)π/m) of {@link #nodes} (any interval: a common
   * factor cancels; the ascending order flips the textbook sign, which cancels too). A new array.
   */
  public static double[] barycentricWeights(int m) {
    double[] w = new double[m];
    for (int j = 0; j < m; j++) {
      w[j] = ((j % 2 == 0) ? 1 : -1) * Math.sin(Math.PI * (j + 0.5) / m);
    }
    return w;
  }

  /** The m Lagrange basis polynomials on {@code nodes} at x, written to {@code out[0..m)}. */
  public static void lagrange(double[] nodes, double[] weights, double x, double[] out) {
    lagrange(nodes, weights, x, out, 0);
  }

  /**
   * The m = nodes.length Lagrange basis polynomials ℓ_j(x) = (λ_j/(x − x_j)) / Σ_k λ_k/(x − x_k)
   * (barycentric form, O(m)) written to {@code out[offset..offset+m)}; exact at a node.
   */
  public static void lagrange(double[] nodes, double[] weights, double x, double[] out, int offset) {
    int m = nodes.length;
    for (int j = 0; j < m; j++) {
      if (x == nodes[j]) {
        java.util.Arrays.fill(out, offset, offset + m, 0);
        out[offset + j] = 1;
        return;
      }
    }
    double sum = 0;
    for (int j = 0; j < m; j++) {
      out[offset + j] = weights[j] / (x - nodes[j]);
      sum += out[offset + j];
    }
    for (int j = 0; j < m; j++) {
      out[offset + j] /= sum;
    }
  }
}
