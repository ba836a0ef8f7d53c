package structura.algorithms.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;

/**
 * Randomized-truncation conjugate gradients (RR-CG): unbiased estimates of A⁻¹b and log det A from
 * CG runs stopped at a random iteration J, for A symmetric positive definite.
 *
 * <p><b>Method.</b> Potapczynski, Wu, Biderman, Pleiss and Cunningham, "Bias-free scalable
 * Gaussian processes via randomized truncations" (ICML 2021), notes §6.2–6.3, the "Russian
 * roulette" estimator: with CG increments Δ_k = α_k p_k, x̃ = Σ_{k ≤ J} Δ_k / P(J ≥ k), so
 * E_J[x̃] = Σ_{k ≤ max} Δ_k, the CG iterate at max. Log-determinant: for a probe z, ld_k =
 * ‖z‖²·e₁ᵀ log(T_k) e₁ with T_k the leading k×k block of the Lanczos tridiagonal recovered from
 * the CG coefficients (T_kk = 1/α_k + β_{k−1}/α_{k−1}, T_{k,k−1} = √β_{k−1}/α_{k−1}), and
 * ld̃ = ld₁ + Σ_{2 ≤ k ≤ J} (ld_k − ld_{k−1}) / P(J ≥ k); E[ld̃] = E_z[ld_max] = tr log A once
 * the quadrature has converged by max. Plain CG truncated at a fixed k is biased (its Gauss
 * quadrature overestimates, log having negative even derivatives), which is what RR removes.
 *
 * <p><b>Cost.</b> J products per probe (E[J] from the distribution), O(J³) per level for the
 * small eigenproblems. If CG converges (relative residual 1e-10) before J, the remaining Δ are
 * zero and the plain solution is used, as in the authors' code.
 *
 * <p><b>Deviations.</b> No preconditioner; one truncation sample per probe (the authors draw
 * two per solve for unbiased gradients, not needed here). SS-RFF is not implemented.
 */
public final class RrConjugateGradient {
  private static final String NAME = "RrConjugateGradient";
  private static final double CONVERGED = 1e-10;

  private RrConjugateGradient() {}

  /** One RR-CG solve of A·x = b (b n×1) with J drawn from {@code distribution} using {@code seed}. */
  public static Matrix solve(LinearOperator a, Matrix b, TruncationDistribution distribution, long seed) {
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "b", a, b);
    Objects.requireNonNull(distribution, "distribution");
    int j = distribution.sample(new SplittableRandom(seed));
    Cg cg = new Cg(new Products(a, ProductPrecision.F64, NAME), Blocks.copyOf(b.view(0, 0, b.rows(), 1)));
    double[] x = new double[a.rows()];
    for (int k = 1; k <= j && !cg.converged(); k++) {
      double[] delta = cg.step();
      double w = 1 / distribution.survival(k);
      for (int i = 0; i < x.length; i++) {
        x[i] += w * delta[i];
      }
    }
    return Blocks.wrap(x, x.length, 1);
  }

  /**
   * The RR log-determinant estimate, one truncation level J per probe, stopping on the relative
   * standard error as {@link Hutchinson} does ({@code probes.blockSize()} is not used: each probe
   * runs its own CG).
   */
  public static Estimate logDeterminant(LinearOperator a, TruncationDistribution distribution, HutchinsonOptions probes) {
    IterativeChecks.square(NAME, a);
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(probes, "probes");
    Products products = new Products(a, ProductPrecision.F64, NAME);
    IterativeChecks.symmetric(NAME, a, products, probes.seed());
    SplittableRandom rng = new SplittableRandom(probes.seed());
    RunningMean stats = new RunningMean(1);
    while (stats.count() < probes.maxProbes()) {
      double[] z = new double[a.rows()];
      probes.distribution().fill(z, rng);
      stats.add(new double[] {logDeterminantSample(products, z, distribution, distribution.sample(rng))});
      double est = stats.mean()[0];
      double se = stats.standardError()[0];
      probes.listener().iteration(NAME, stats.count(), se / Math.abs(est));
      if (stats.count() >= 2 && se <= probes.tolerance() * Math.abs(est)) {
        return new Estimate(est, se, stats.count(), products.count(), true, StopReason.CONVERGED);
      }
    }
    return new Estimate(stats.mean()[0], stats.standardError()[0], stats.count(), products.count(), false,
        StopReason.MAX_ITERATIONS);
  }

  /** ld̃ for probe z and level j; with {@code distribution} null, the plain truncated ld_j. */
  static double logDeterminantSample(Products products, double[] z, TruncationDistribution distribution, int j) {
    double zz = 0;
    for (double v : z) {
      zz += v * v;
    }
    Cg cg = new Cg(products, z);
    double estimate = 0;
    double previous = 0;
    for (int k = 1; k <= j && !cg.converged(); k++) {
      cg.step();
      double ld = zz * logQuadrature(cg.tridiagonal());
      double weight = distribution == null ? 1 : 1 / distribution.survival(k);
      estimate += (ld - previous) * weight;
      previous = ld;
    }
    return estimate;
  }

  /** e₁ᵀ log(T) e₁. */
  private static double logQuadrature(Tridiagonal t) {
    SymmetricEigen eig = t.eigen();
    double[] theta = eig.values();
    Matrix s = eig.vectors();
    double sum = 0;
    for (int i = 0; i < theta.length; i++) {
      if (!(theta[i] > 0)) {
        throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
            NAME + ": Ritz value " + theta[i] + " ≤ 0: the operator is not positive definite.",
            "Pass a symmetric positive definite operator.");
      }
      sum += s.get(0, i) * s.get(0, i) * Math.log(theta[i]);
    }
    return sum;
  }

  /** Unpreconditioned CG on one right-hand side, one step at a time, keeping its coefficients. */
  static final class Cg {
    private final Products products;
    private final double[] r;
    private final double[] p;
    private final double bNorm;
    private final List<Double> alphas = new ArrayList<>();
    private final List<Double> betas = new ArrayList<>();
    private double gamma;

    Cg(Products products, double[] b) {
      this.products = products;
      this.r = b.clone();
      this.p = b.clone();
      this.bNorm = GramSchmidt.norm(b);
      this.gamma = dot(r, r);
    }

    boolean converged() {
      return Math.sqrt(gamma) <= CONVERGED * bNorm;
    }

    /** One iteration; returns the increment Δ = α·p. */
    double[] step() {
      double[] ap = products.exact(p, 1);
      double curvature = dot(p, ap);
      if (!(curvature > 0)) {
        throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
            NAME + ": non-positive curvature pᵀAp = " + curvature + " at iteration " + (alphas.size() + 1) + ".",
            "Pass a symmetric positive definite operator.");
      }
      double alpha = gamma / curvature;
      double[] delta = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        delta[i] = alpha * p[i];
        r[i] -= alpha * ap[i];
      }
      double next = dot(r, r);
      double beta = next / gamma;
      gamma = next;
      for (int i = 0; i < p.length; i++) {
        p[i] = r[i] + beta * p[i];
      }
      alphas.add(alpha);
      betas.add(beta);
      return delta;
    }

    /** The Lanczos tridiagonal T_k of the k steps so far, from the CG coefficients. */
    Tridiagonal tridiagonal() {
      int k = alphas.size();
      double[] diag = new double[k];
      double[] off = new double[Math.max(0, k - 1)];
      for (int i = 0; i < k; i++) {
        diag[i] = 1 / alphas.get(i) + (i > 0 ? betas.get(i - 1) / alphas.get(i - 1) : 0);
        if (i > 0) {
          off[i - 1] = Math.sqrt(betas.get(i - 1)) / alphas.get(i - 1);
        }
      }
      return new Tridiagonal(diag, off);
    }

    private static double dot(double[] a, double[] b) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i] * b[i];
      }
      return s;
    }
  }
}
