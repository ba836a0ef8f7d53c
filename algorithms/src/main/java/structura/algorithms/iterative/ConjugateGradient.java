package structura.algorithms.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;

/**
 * Preconditioned conjugate gradients for A·X = B with A symmetric positive definite, on a block of
 * right-hand sides, optionally re-orthogonalized, with operator products optionally rounded to a
 * low-precision format.
 *
 * <p><b>Method.</b> Hestenes–Stiefel PCG per column (Golub and Van Loan, 4th ed., Alg. 11.5.1),
 * all columns sharing one block product per iteration: α = ⟨r, z⟩/⟨p, Ap⟩, x += αp, r −= αAp,
 * z = P⁻¹r, β = ⟨r', z'⟩/⟨r, z⟩, p = z + βp. A column stops moving once
 * ‖r_j‖ ≤ tol·‖b_j‖ (GPyTorch freezes converged columns the same way). With
 * {@code reorthogonalize}, each new residual is orthogonalized against all earlier ones in the P⁻¹
 * inner product (they are P⁻¹-orthogonal in exact arithmetic), twice. When the recurrence stops,
 * the true residual B − A·X is recomputed with unrounded products; if it misses the tolerance and
 * replacements remain, CG restarts from it (residual replacement, i.e. iterative refinement).
 *
 * <p><b>Low precision.</b> Following Maddox, Potapczynski and Wilson, "Low-precision arithmetic
 * for fast Gaussian processes" (UAI 2022, §5 of our notes, {@code linear_log_cg_re}): products in
 * F32/FP16/BF16 (see {@link ProductPrecision}) with full re-orthogonalization of the residuals
 * and compensated accumulation. Plain CG with rounded products stalls: its recurrence residual
 * keeps falling while the true residual stops near u·‖A‖‖x‖. The stabilised run ends each cycle
 * once the recurrence residual fell by {@code replacementReduction}, replaces the residual with an
 * unrounded b − A·x, and so reaches the F64 answer.
 *
 * <p><b>Cost.</b> Per iteration one product with the n×k block p, one P⁻¹, O(nk) vector work;
 * re-orthogonalization adds 4·i·n·k flops at iteration i and stores 2·i·n·k doubles. Set-up: two
 * products for the symmetry test; end: k products for the recomputed residual (per cycle).
 *
 * <p><b>Deviations.</b> Work vectors and inner products are in double precision and only the
 * products are rounded (the paper's "mixed" setting: half MVMs, float32 CG), so the paper's
 * log-domain inner products, which guard fp16's range, are not needed. The stopping rule is
 * relative to ‖b_j‖ (CoLA stops at tol·‖r₀‖ + tol on the normalized system). GPyTorch's residual
 * re-orthogonalization skips the latest vector ({@code range(k − 1)}); here all are used.
 *
 * <p><b>Errors.</b> pᵀAp ≤ 0 (an indefinite or singular operator, or products so coarse that A
 * looks indefinite) throws {@link ErrorCode#NOT_SYMMETRIC_POSITIVE_DEFINITE}, as does a failed
 * symmetry test; NaN/Inf in B, X₀ or an operator output throws {@link ErrorCode#INVALID_INPUT}.
 * Running out of iterations is not an error: the result says {@code converged = false}.
 */
public final class ConjugateGradient {
  private static final String NAME = "ConjugateGradient";

  private ConjugateGradient() {}

  /**
   * Solves A·X = B.
   *
   * @param a n×n symmetric positive definite operator (not modified)
   * @param b n×k right-hand sides, finite (not modified)
   * @param options tolerance, iterations, preconditioner, precision
   * @return X (n×k, F64) with iterations, products, recomputed residuals and the stop reason
   */
  public static SolveResult solve(LinearOperator a, Matrix b, ConjugateGradientOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "b", a, b);
    int n = a.rows();
    int k = b.cols();
    Preconditioner pre = IterativeChecks.preconditioner(NAME, options.preconditioner(), n);
    Products products = new Products(a, options.productPrecision(), NAME);
    if (options.checkSymmetry()) {
      IterativeChecks.symmetric(NAME, a, products, options.seed());
    }
    return new Run(a, b, options, pre, products, n, k).solve();
  }

  /** The state of one solve. */
  private static final class Run {
    final ConjugateGradientOptions o;
    final Preconditioner pre;
    final Products products;
    final int n;
    final int k;
    final double[] b;
    final double[] bNorm;
    final double[] x;
    final double[] carry;
    final List<Double> history = new ArrayList<>();
    int iterations;

    Run(LinearOperator a, Matrix bm, ConjugateGradientOptions o, Preconditioner pre, Products products, int n, int k) {
      this.o = o;
      this.pre = pre;
      this.products = products;
      this.n = n;
      this.k = k;
      this.b = Blocks.copyOf(bm);
      this.bNorm = Blocks.norms(b, n, k);
      if (o.initialGuess() != null) {
        IterativeChecks.rightHandSide(NAME, "initialGuess", a, o.initialGuess());
        if (o.initialGuess().cols() != k) {
          throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
              NAME + ": initialGuess has " + o.initialGuess().cols() + " columns, b has " + k + ".",
              "Pass one initial guess per right-hand side.");
        }
        this.x = Blocks.copyOf(o.initialGuess());
      } else {
        this.x = new double[n * k];
      }
      for (int j = 0; j < k; j++) {
        if (bNorm[j] == 0) {
          for (int i = 0; i < n; i++) {
            x[i * k + j] = 0;
          }
        }
      }
      this.carry = new double[n * k];
    }

    SolveResult solve() {
      // With X₀ = 0 the residual is B itself: no product needed.
      double[] r = o.initialGuess() == null ? b.clone() : trueResidual();
      double[] rNorm = Blocks.norms(r, n, k);
      history.add(relativeMax(rNorm));
      int replacements = 0;
      while (true) {
        boolean allowReplace = replacements < o.maxResidualReplacements();
        runCycle(r, rNorm, allowReplace && o.productPrecision() != ProductPrecision.F64);
        r = trueResidual();
        rNorm = Blocks.norms(r, n, k);
        double[] relative = relative(rNorm);
        boolean converged = true;
        for (int j = 0; j < k; j++) {
          converged &= relative[j] <= o.tolerance();
        }
        if (converged) {
          return result(relative, StopReason.CONVERGED);
        }
        if (iterations >= o.maxIterations()) {
          return result(relative, StopReason.MAX_ITERATIONS);
        }
        if (!allowReplace) {
          return result(relative, StopReason.STAGNATED);
        }
        replacements++;
      }
    }

    /** CG from residual r (overwritten) until every column meets its cycle threshold or the cap. */
    private void runCycle(double[] r, double[] rNorm, boolean partial) {
      double[] threshold = new double[k];
      boolean[] active = new boolean[k];
      boolean any = false;
      for (int j = 0; j < k; j++) {
        threshold[j] = o.tolerance() * bNorm[j];
        if (partial) {
          threshold[j] = Math.max(threshold[j], o.replacementReduction() * rNorm[j]);
        }
        active[j] = rNorm[j] > threshold[j];
        any |= active[j];
      }
      if (!any) {
        return;
      }
      double[] z = applyInverse(r);
      double[] gamma = Blocks.dots(r, z, n, k);
      requirePositive(gamma, active, "rᵀP⁻¹r", "the preconditioner is not positive definite");
      double[] p = z.clone();
      List<double[]> basisR = new ArrayList<>();
      List<double[]> basisZ = new ArrayList<>();
      if (o.reorthogonalize()) {
        remember(basisR, basisZ, r, z, gamma);
      }
      double[] alpha = new double[k];
      double[] beta = new double[k];
      while (any && iterations < o.maxIterations()) {
        double[] ap = products.apply(p, k);
        double[] curvature = Blocks.dots(p, ap, n, k);
        for (int j = 0; j < k; j++) {
          if (active[j] && !(curvature[j] > 0)) {
            throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
                NAME + ": non-positive curvature pᵀAp = " + curvature[j] + " in column " + j + " at iteration "
                    + (iterations + 1) + (o.productPrecision() == ProductPrecision.F64 ? ""
                        : " (products rounded to " + o.productPrecision() + ")")
                    + ": the operator is not positive definite.",
                "Check that the operator is symmetric positive definite (add the noise or jitter term of a kernel "
                    + "matrix); use GMRES for indefinite systems, or a finer product precision.");
          }
          alpha[j] = active[j] ? gamma[j] / curvature[j] : 0;
        }
        accumulate(alpha, p);
        for (int i = 0; i < n; i++) {
          int row = i * k;
          for (int j = 0; j < k; j++) {
            r[row + j] -= alpha[j] * ap[row + j];
          }
        }
        if (o.reorthogonalize()) {
          reorthogonalize(r, basisR, basisZ, active);
          reorthogonalize(r, basisR, basisZ, active);
        }
        z = applyInverse(r);
        double[] next = Blocks.dots(r, z, n, k);
        iterations++;
        double[] norms = Blocks.norms(r, n, k);
        any = false;
        for (int j = 0; j < k; j++) {
          if (active[j]) {
            rNorm[j] = norms[j];
            active[j] = norms[j] > threshold[j];
            any |= active[j];
          }
        }
        requirePositive(next, active, "rᵀP⁻¹r", "the preconditioner is not positive definite");
        for (int j = 0; j < k; j++) {
          beta[j] = active[j] ? next[j] / gamma[j] : 0;
          gamma[j] = next[j];
        }
        if (o.reorthogonalize()) {
          remember(basisR, basisZ, r, z, gamma);
        }
        Blocks.xpby(z, beta, p, n, k);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < k; j++) {
            if (!active[j]) {
              p[i * k + j] = 0;
            }
          }
        }
        double worst = relativeMax(rNorm);
        history.add(worst);
        o.listener().iteration(NAME, iterations, worst);
      }
    }

    private void requirePositive(double[] v, boolean[] active, String what, String why) {
      for (int j = 0; j < k; j++) {
        if (active[j] && !(v[j] > 0)) {
          throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
              NAME + ": " + what + " = " + v[j] + " in column " + j + " at iteration " + iterations + ": " + why + ".",
              "Pass a symmetric positive definite preconditioner.");
        }
      }
    }

    /** x += α·p, Kahan-compensated when asked (the carry holds the lost low-order parts). */
    private void accumulate(double[] alpha, double[] p) {
      if (!o.compensated()) {
        Blocks.axpy(alpha, p, x, n, k);
        return;
      }
      for (int i = 0; i < n; i++) {
        int row = i * k;
        for (int j = 0; j < k; j++) {
          double y = alpha[j] * p[row + j] - carry[row + j];
          double t = x[row + j] + y;
          carry[row + j] = (t - x[row + j]) - y;
          x[row + j] = t;
        }
      }
    }

    /** Stores r/√γ and z/√γ per column; ⟨r_i/√γ_i, z_j/√γ_j⟩ = δ_ij in exact arithmetic. */
    private void remember(List<double[]> basisR, List<double[]> basisZ, double[] r, double[] z, double[] gamma) {
      double[] rr = new double[n * k];
      double[] zz = new double[n * k];
      for (int j = 0; j < k; j++) {
        double s = gamma[j] > 0 ? 1 / Math.sqrt(gamma[j]) : 0;
        for (int i = 0; i < n; i++) {
          rr[i * k + j] = r[i * k + j] * s;
          zz[i * k + j] = z[i * k + j] * s;
        }
      }
      basisR.add(rr);
      basisZ.add(zz);
    }

    /** r ← r − Σ_i ⟨r, ẑ_i⟩·r̂_i (classical Gram–Schmidt in the P⁻¹ inner product). */
    private void reorthogonalize(double[] r, List<double[]> basisR, List<double[]> basisZ, boolean[] active) {
      double[] coef = new double[k];
      for (int q = 0; q < basisR.size(); q++) {
        double[] c = Blocks.dots(r, basisZ.get(q), n, k);
        for (int j = 0; j < k; j++) {
          coef[j] = active[j] ? -c[j] : 0;
        }
        Blocks.axpy(coef, basisR.get(q), r, n, k);
      }
    }

    private double[] applyInverse(double[] r) {
      Matrix z = pre.applyInverse(Blocks.wrap(r, n, k));
      return z.dtype() == DType.F64 && z.isCompact() && z.offset() == 0 && z.f64().length == n * k && z.f64() != r
          ? z.f64() : Blocks.copyOf(z);
    }

    /** B − A·X with unrounded products (zero for zero columns of B). */
    private double[] trueResidual() {
      double[] ax = products.exact(x, k);
      double[] r = new double[n * k];
      for (int i = 0; i < n * k; i++) {
        r[i] = bNorm[i % k] == 0 ? 0 : b[i] - ax[i];
      }
      return r;
    }

    private double[] relative(double[] norms) {
      double[] rel = new double[k];
      for (int j = 0; j < k; j++) {
        rel[j] = bNorm[j] == 0 ? 0 : norms[j] / bNorm[j];
      }
      return rel;
    }

    private double relativeMax(double[] norms) {
      return Blocks.max(relative(norms));
    }

    private SolveResult result(double[] relative, StopReason reason) {
      double[] h = new double[history.size()];
      for (int i = 0; i < h.length; i++) {
        h[i] = history.get(i);
      }
      return new SolveResult(Blocks.wrap(x.clone(), n, k), iterations, products.count(), relative, h,
          reason == StopReason.CONVERGED, reason);
    }
  }
}
