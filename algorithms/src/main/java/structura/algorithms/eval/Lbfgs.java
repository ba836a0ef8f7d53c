package structura.algorithms.eval;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4 with the
 * two-loop recursion 7.5 and the initial scaling γ = sᵀy / yᵀy of eq. 7.20) for smooth convex
 * objectives in double precision. Deviation: a backtracking Armijo line search instead of one
 * satisfying the Wolfe conditions, with pairs of non-positive curvature skipped — enough for the
 * convex probe objective, where sᵀy ≥ 0 always holds. Memory O(m·p) for p parameters.
 */
final class Lbfgs {
  /** An objective: writes the gradient at {@code x} into {@code grad} and returns the value. */
  interface Function {
    double valueAndGradient(double[] x, double[] grad);
  }

  /**
   * @param x the minimiser found
   * @param value the objective there
   * @param iterations iterations done
   * @param converged whether the gradient max-norm reached the tolerance
   * @param gradientNorm the gradient max-norm at {@code x}
   */
  record Result(double[] x, double value, int iterations, boolean converged, double gradientNorm) {}

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 60;

  private Lbfgs() {}

  /** Minimises {@code f} from {@code x0} (not modified) until ‖∇f‖∞ ≤ {@code gtol} or {@code maxIterations}. */
  static Result minimize(Function f, double[] x0, double gtol, int maxIterations) {
    int p = x0.length;
    double[] x = x0.clone();
    double[] g = new double[p];
    double fx = f.valueAndGradient(x, g);
    Deque<double[][]> history = new ArrayDeque<>();   // newest first: {s, y, {1 / yᵀs}}
    double[] xNew = new double[p];
    double[] gNew = new double[p];
    int it = 0;
    while (maxAbs(g) > gtol && it < maxIterations) {
      it++;
      double[] d = direction(g, history);
      double slope = dot(g, d);
      if (!(slope < 0)) {                               // lost descent through rounding: restart from steepest descent
        history.clear();
        d = direction(g, history);
        slope = dot(g, d);
      }
      // the first step of steepest descent has no curvature scale yet; keep it of unit length
      double step = history.isEmpty() ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int bt = 0; bt < MAX_BACKTRACKS; bt++) {
        for (int i = 0; i < p; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.valueAndGradient(xNew, gNew);
        if (fNew <= fx + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        break;                                          // no decrease representable: as close as double allows
      }
      double[] s = new double[p];
      double[] y = new double[p];
      for (int i = 0; i < p; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        history.addFirst(new double[][] {s, y, {1 / sy}});
        if (history.size() > MEMORY) {
          history.removeLast();
        }
      }
      System.arraycopy(xNew, 0, x, 0, p);
      System.arraycopy(gNew, 0, g, 0, p);
      fx = fNew;
    }
    double gn = maxAbs(g);
    return new Result(x, fx, it, gn <= gtol, gn);
  }

  /** −H·g by the two-loop recursion; −g when there is no history. */
  private static double[] direction(double[] g, Deque<double[][]> history) {
    int p = g.length;
    double[] q = new double[p];
    for (int i = 0; i < p; i++) {
      q[i] = -g[i];
    }
    if (history.isEmpty()) {
      return q;
    }
    double[] alpha = new double[history.size()];
    int k = 0;
    for (double[][] h : history) {                      // newest to oldest
      alpha[k] = h[2][0] * dot(h[0], q);
      axpy(-alpha[k], h[1], q);
      k++;
    }
    double[][] newest = history.peekFirst();
    double gamma = 1 / (newest[2][0] * dot(newest[1], newest[1]));   // sᵀy / yᵀy
    for (int i = 0; i < p; i++) {
      q[i] *= gamma;
    }
    var it = history.descendingIterator();              // oldest to newest
    k = history.size() - 1;
    while (it.hasNext()) {
      double[][] h = it.next();
      double beta = h[2][0] * dot(h[1], q);
      axpy(alpha[k] - beta, h[0], q);
      k--;
    }
    return q;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
