package structura.algorithms.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * Multi-shift MINRES: solves (A + σ_q I)·X_q = B for all shifts σ_q at once, A symmetric, with
 * one shared Lanczos basis, so the cost in products is that of a single solve.
 *
 * <p><b>Method.</b> The Krylov spaces of A + σI do not depend on σ, and Lanczos on A gives
 * T + σI for each shift. Each shift runs its own MINRES (Paige and Saunders, 1975; the recurrence
 * of SciPy's {@code minres}) on the shared vectors: a Givens QR of T + σ_q I updated by one
 * rotation per step, three-term direction updates, and the residual norm |φ̄| known at every
 * step. Pleiss, Jankowiak, Eriksson, Damle and Gardner, "Fast matrix square roots with
 * applications to Gaussian processes and Bayesian optimization" (NeurIPS 2020), §3 (msMINRES),
 * GPyTorch's {@code utils/minres.py}.
 *
 * <p><b>Cost.</b> One block product per step regardless of the number of shifts Q; O(Q·n·k) vector
 * work per step; memory 3·Q·n·k doubles. The end check costs Q·k products. With
 * {@link MultiShiftMinresOptions#reorthogonalize()} the shared basis is kept (m·n·k doubles after
 * m steps) and each new vector is re-orthogonalized against it, 4·m·n·k flops at step m.
 *
 * <p><b>Deviations.</b> Unpreconditioned (CIQ in GPyTorch's variational strategy also runs without
 * one). Optional full re-orthogonalization of the shared Lanczos basis (GPyTorch has none): it
 * is what lets MINRES reach 1e-8 at κ = 1e8, where the plain recurrence stalls near 5e-3. GPyTorch stops on the mean relative size of the solution update, checked every 10 steps;
 * here every shift and column must meet the residual tolerance, checked every step and
 * recomputed at the end. Indefinite A + σI is allowed (MINRES needs only symmetry).
 */
public final class MultiShiftMinres {
  private static final String NAME = "MultiShiftMinres";

  private MultiShiftMinres() {}

  /**
   * Solves (A + σ_q I)·X_q = B for every q.
   *
   * @param a n×n symmetric operator
   * @param b n×k right-hand sides, finite
   * @param shifts σ_q, finite (A + σ_q I must be nonsingular)
   * @param options tolerance and iterations
   */
  public static MultiShiftResult solve(LinearOperator a, Matrix b, double[] shifts, MultiShiftMinresOptions options) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(shifts, "shifts");
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "b", a, b);
    if (shifts.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, NAME + ": no shifts given.", "Pass at least one shift.");
    }
    for (double s : shifts) {
      if (!Double.isFinite(s)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, NAME + ": shift " + s + " is not finite.",
            "Pass finite shifts.");
      }
    }
    Products products = new Products(a, ProductPrecision.F64, NAME);
    if (options.checkSymmetry()) {
      IterativeChecks.symmetric(NAME, a, products, options.seed());
    }
    return run(a, b, shifts.clone(), options, products);
  }

  static MultiShiftResult run(LinearOperator a, Matrix bm, double[] shifts, MultiShiftMinresOptions o,
      Products products) {
    int n = a.rows();
    int k = bm.cols();
    int nq = shifts.length;
    double[] b = Blocks.copyOf(bm);
    double[] beta1 = Blocks.norms(b, n, k);
    double[] v = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        v[i * k + j] = beta1[j] > 0 ? b[i * k + j] / beta1[j] : 0;
      }
    }
    double[] vPrev = new double[n * k];
    double[] beta = new double[k];
    double[][] x = new double[nq][n * k];
    double[][] w1 = new double[nq][n * k];
    double[][] w2 = new double[nq][n * k];
    double[][] cs = new double[nq][k];
    double[][] sn = new double[nq][k];
    double[][] dbar = new double[nq][k];
    double[][] epsln = new double[nq][k];
    double[][] phibar = new double[nq][k];
    boolean[] active = new boolean[k];
    for (int q = 0; q < nq; q++) {
      java.util.Arrays.fill(cs[q], -1);
      phibar[q] = beta1.clone();
    }
    int activeCount = 0;
    for (int j = 0; j < k; j++) {
      active[j] = beta1[j] > 0;
      activeCount += active[j] ? 1 : 0;
    }
    int iterations = 0;
    double[] coef = new double[k];
    // the Lanczos blocks v_1..v_m, kept only to re-orthogonalize against (one basis for all shifts)
    List<double[]> basis = o.reorthogonalize() ? new ArrayList<>() : null;
    while (activeCount > 0 && iterations < o.maxIterations()) {
      double[] p = products.exact(v, k);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          p[i * k + j] -= beta[j] * vPrev[i * k + j];
        }
      }
      double[] alpha = Blocks.dots(v, p, n, k);
      for (int j = 0; j < k; j++) {
        coef[j] = -alpha[j];
      }
      Blocks.axpy(coef, v, p, n, k);
      if (basis != null) {
        basis.add(v);
        reorthogonalize(basis, p, n, k);
      }
      double[] betaNext = Blocks.norms(p, n, k);
      iterations++;
      double worst = 0;
      for (int q = 0; q < nq; q++) {
        double[] oldeps = new double[k];
        double[] delta = new double[k];
        double[] gammaInv = new double[k];
        double[] phi = new double[k];
        for (int j = 0; j < k; j++) {
          if (!active[j]) {
            continue;
          }
          double al = alpha[j] + shifts[q];
          oldeps[j] = epsln[q][j];
          delta[j] = cs[q][j] * dbar[q][j] + sn[q][j] * al;
          double gbar = sn[q][j] * dbar[q][j] - cs[q][j] * al;
          epsln[q][j] = sn[q][j] * betaNext[j];
          dbar[q][j] = -cs[q][j] * betaNext[j];
          double gamma = Math.max(Math.hypot(gbar, betaNext[j]), Double.MIN_NORMAL);
          cs[q][j] = gbar / gamma;
          sn[q][j] = betaNext[j] / gamma;
          phi[j] = cs[q][j] * phibar[q][j];
          phibar[q][j] = sn[q][j] * phibar[q][j];
          gammaInv[j] = 1 / gamma;
          worst = Math.max(worst, Math.abs(phibar[q][j]) / beta1[j]);
        }
        // w_new = (v − oldeps·w_{k−2} − delta·w_{k−1})/γ, stored over w_{k−2}; then x += φ·w_new.
        double[] older = w2[q];
        double[] newer = w1[q];
        double[] xq = x[q];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < k; j++) {
            if (active[j]) {
              int t = i * k + j;
              double w = (v[t] - oldeps[j] * older[t] - delta[j] * newer[t]) * gammaInv[j];
              older[t] = w;
              xq[t] += phi[j] * w;
            }
          }
        }
        w2[q] = newer;
        w1[q] = older;
      }
      for (int j = 0; j < k; j++) {
        if (!active[j]) {
          continue;
        }
        boolean done = betaNext[j] <= 1e-14 * Math.abs(alpha[j]) + Double.MIN_NORMAL;
        boolean allMet = true;
        for (int q = 0; q < nq; q++) {
          allMet &= Math.abs(phibar[q][j]) <= o.tolerance() * beta1[j];
        }
        if (done || allMet) {
          active[j] = false;
          activeCount--;
        }
      }
      double[] next = p;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          next[i * k + j] = active[j] ? p[i * k + j] / betaNext[j] : 0;
        }
      }
      vPrev = v;
      v = next;
      beta = betaNext;
      o.listener().iteration(NAME, iterations, worst);
    }
    return finish(a, b, beta1, shifts, x, iterations, o, products, n, k);
  }

  /**
   * p ← p − Σ_i v_i·(v_iᵀp) column by column, over the stored basis, twice (classical
   * Gram–Schmidt; "twice is enough"). α and β of the tridiagonal stay those of the recurrence:
   * the correction only removes the rounding-induced components along earlier vectors.
   */
  private static void reorthogonalize(List<double[]> basis, double[] p, int n, int k) {
    for (int pass = 0; pass < 2; pass++) {
      for (double[] u : basis) {
        double[] c = Blocks.dots(u, p, n, k);
        for (int j = 0; j < k; j++) {
          c[j] = -c[j];
        }
        Blocks.axpy(c, u, p, n, k);
      }
    }
  }

  /** Recomputes every shifted residual with one block product over all shifts. */
  private static MultiShiftResult finish(LinearOperator a, double[] b, double[] beta1, double[] shifts, double[][] x,
      int iterations, MultiShiftMinresOptions o, Products products, int n, int k) {
    int nq = shifts.length;
    double[] all = new double[n * k * nq];
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < nq; q++) {
        System.arraycopy(x[q], i * k, all, i * k * nq + q * k, k);
      }
    }
    double[] ax = products.exact(all, k * nq);
    double[][] rel = new double[nq][k];
    boolean converged = true;
    List<Matrix> solutions = new ArrayList<>();
    for (int q = 0; q < nq; q++) {
      double[] r = new double[n * k];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          int t = i * k + j;
          r[t] = b[t] - ax[i * k * nq + q * k + j] - shifts[q] * x[q][t];
        }
      }
      double[] norms = Blocks.norms(r, n, k);
      for (int j = 0; j < k; j++) {
        rel[q][j] = beta1[j] == 0 ? 0 : norms[j] / beta1[j];
        converged &= rel[q][j] <= o.tolerance();
      }
      solutions.add(Blocks.wrap(x[q], n, k));
    }
    StopReason reason = converged ? StopReason.CONVERGED
        : iterations >= o.maxIterations() ? StopReason.MAX_ITERATIONS : StopReason.STAGNATED;
    return new MultiShiftResult(solutions, iterations, products.count(), rel, converged, reason);
  }
}
