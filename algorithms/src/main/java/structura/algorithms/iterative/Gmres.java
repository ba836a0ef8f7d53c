package structura.algorithms.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * Restarted GMRES(m) with right preconditioning for A·X = B, A square and possibly non-symmetric
 * or indefinite.
 *
 * <p><b>Method.</b> Saad and Schultz (1986); Saad, "Iterative Methods for Sparse Linear Systems",
 * 2nd ed., Alg. 6.9 (GMRES) with right preconditioning (§9.3.2): Arnoldi on A·M⁻¹ from
 * r₀/‖r₀‖ (classical Gram–Schmidt twice), Givens rotations keep the small least-squares problem
 * min ‖βe₁ − H̄y‖ triangular, so its residual |g_{j+1}| is known at every step without forming x;
 * x += M⁻¹·V·y at the end of each cycle. With right preconditioning that residual is the true
 * residual of the unpreconditioned system, so the stopping rule is honest. Each cycle starts from a
 * residual recomputed as b − A·x.
 *
 * <p><b>Cost.</b> Per step one product, one M⁻¹ and 4·j·n flops of orthogonalization; per cycle
 * one more product and one more M⁻¹. Memory: m + 1 basis vectors of length n.
 *
 * <p><b>Deviations.</b> The columns of B are solved one after another (each has its own Krylov
 * space), not as block GMRES. CoLA solves the least-squares problem by padded normal equations
 * and ignores its preconditioner; here Givens QR and the preconditioner is applied.
 */
public final class Gmres {
  private static final String NAME = "Gmres";

  private Gmres() {}

  /**
   * Solves A·X = B.
   *
   * @param a n×n operator (not modified)
   * @param b n×k right-hand sides, finite (not modified)
   * @param options tolerance, restart length, iterations, preconditioner
   */
  public static SolveResult solve(LinearOperator a, Matrix b, GmresOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "b", a, b);
    int n = a.rows();
    int k = b.cols();
    Preconditioner pre = IterativeChecks.preconditioner(NAME, options.preconditioner(), n);
    Matrix x0 = options.initialGuess();
    if (x0 != null) {
      IterativeChecks.rightHandSide(NAME, "initialGuess", a, x0);
      if (x0.cols() != k) {
        throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
            NAME + ": initialGuess has " + x0.cols() + " columns, b has " + k + ".", "Pass one guess per column.");
      }
    }
    Products products = new Products(a, ProductPrecision.F64, NAME);
    double[] solution = new double[n * k];
    double[] relative = new double[k];
    List<List<Double>> histories = new ArrayList<>();
    int iterations = 0;
    StopReason worst = StopReason.CONVERGED;
    for (int j = 0; j < k; j++) {
      double[] bj = Blocks.column(Blocks.copyOf(b), n, k, j);
      double[] xj = x0 == null ? new double[n] : Blocks.column(Blocks.copyOf(x0), n, k, j);
      List<Double> history = new ArrayList<>();
      Column c = new Column(products, pre, options, bj, xj, history);
      StopReason reason = c.run();
      if (reason != StopReason.CONVERGED) {
        worst = reason;
      }
      relative[j] = c.relative;
      iterations = Math.max(iterations, c.steps);
      histories.add(history);
      for (int i = 0; i < n; i++) {
        solution[i * k + j] = xj[i];
      }
    }
    return new SolveResult(Blocks.wrap(solution, n, k), iterations, products.count(), relative, merge(histories),
        worst == StopReason.CONVERGED, worst);
  }

  /** history[i] = the largest over columns of each column's residual after i steps (its last one once it stopped). */
  private static double[] merge(List<List<Double>> histories) {
    int len = 0;
    for (List<Double> h : histories) {
      len = Math.max(len, h.size());
    }
    double[] out = new double[len];
    for (List<Double> h : histories) {
      for (int i = 0; i < len; i++) {
        out[i] = Math.max(out[i], h.isEmpty() ? 0 : h.get(Math.min(i, h.size() - 1)));
      }
    }
    return out;
  }

  /** GMRES on one right-hand side. */
  private static final class Column {
    final Products products;
    final Preconditioner pre;
    final GmresOptions o;
    final double[] b;
    final double[] x;
    final List<Double> history;
    final int n;
    final double bNorm;
    int steps;
    double relative;

    Column(Products products, Preconditioner pre, GmresOptions o, double[] b, double[] x, List<Double> history) {
      this.products = products;
      this.pre = pre;
      this.o = o;
      this.b = b;
      this.x = x;
      this.history = history;
      this.n = b.length;
      this.bNorm = GramSchmidt.norm(b);
    }

    StopReason run() {
      if (bNorm == 0) {
        java.util.Arrays.fill(x, 0);
        relative = 0;
        history.add(0.0);
        return StopReason.CONVERGED;
      }
      while (true) {
        double[] r = products.exact(x, 1);
        for (int i = 0; i < n; i++) {
          r[i] = b[i] - r[i];
        }
        double beta = GramSchmidt.norm(r);
        relative = beta / bNorm;
        if (history.isEmpty()) {
          history.add(relative);
        }
        if (relative <= o.tolerance()) {
          return StopReason.CONVERGED;
        }
        if (steps >= o.maxIterations()) {
          return StopReason.MAX_ITERATIONS;
        }
        cycle(r, beta);
      }
    }

    /** One GMRES(m) cycle from residual r with norm beta; updates x. */
    private void cycle(double[] r, double beta) {
      int m = Math.min(o.restart(), n);
      List<double[]> v = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r[i] /= beta;
      }
      v.add(r);
      double[][] h = new double[m][];
      double[] cs = new double[m];
      double[] sn = new double[m];
      double[] g = new double[m + 1];
      g[0] = beta;
      int j = 0;
      while (j < m && steps < o.maxIterations()) {
        double[] w = products.exact(applyInverse(v.get(j)), 1);
        double[] col = java.util.Arrays.copyOf(GramSchmidt.orthogonalize(v, w), j + 2);
        double hn = GramSchmidt.norm(w);
        col[j + 1] = hn;
        for (int i = 0; i < j; i++) {
          double t = cs[i] * col[i] + sn[i] * col[i + 1];
          col[i + 1] = -sn[i] * col[i] + cs[i] * col[i + 1];
          col[i] = t;
        }
        double d = Math.hypot(col[j], col[j + 1]);
        cs[j] = d == 0 ? 1 : col[j] / d;
        sn[j] = d == 0 ? 0 : col[j + 1] / d;
        col[j] = d;
        col[j + 1] = 0;
        g[j + 1] = -sn[j] * g[j];
        g[j] = cs[j] * g[j];
        h[j] = col;
        j++;
        steps++;
        double estimate = Math.abs(g[j]) / bNorm;
        history.add(estimate);
        o.listener().iteration(NAME, steps, estimate);
        // hn = 0: the Krylov space is invariant and the least-squares solution is exact.
        if (estimate <= o.tolerance() || hn <= 1e-14 * d) {
          break;
        }
        double[] next = w;
        for (int i = 0; i < n; i++) {
          next[i] /= hn;
        }
        v.add(next);
      }
      double[] y = new double[j];
      for (int i = j - 1; i >= 0; i--) {
        double s = g[i];
        for (int t = i + 1; t < j; t++) {
          s -= h[t][i] * y[t];
        }
        y[i] = s / h[i][i];
      }
      double[] u = new double[n];
      for (int t = 0; t < j; t++) {
        double[] vt = v.get(t);
        for (int i = 0; i < n; i++) {
          u[i] += y[t] * vt[i];
        }
      }
      double[] z = applyInverse(u);
      for (int i = 0; i < n; i++) {
        x[i] += z[i];
      }
    }

    private double[] applyInverse(double[] v) {
      return Blocks.copyOf(pre.applyInverse(Blocks.wrap(v, n, 1)));
    }
  }
}
