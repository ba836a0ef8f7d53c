package structura.algorithms.kernel;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.iterative.ConjugateGradient;
import structura.algorithms.iterative.Preconditioner;
import structura.algorithms.iterative.SolveResult;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;

/**
 * Hyperparameters of an {@link IterativeGaussianProcess} (lengthscale ℓ, outputscale σ_f², noise
 * σ_n²) by maximising the log marginal likelihood L(θ) with Adam in θ = (log ℓ, log σ_f², log σ_n²),
 * from products with the lazy kernel operator only (BBMM: Gardner et al., NeurIPS 2018, §3–4).
 *
 * <p><b>Gradient.</b> ∂L/∂θ = ½ αᵀ(∂A/∂θ)α − ½ tr(A⁻¹ ∂A/∂θ) with A = σ_f²K₁(ℓ) + σ_n²I and
 * α = A⁻¹(y − μ). The trace is Hutchinson's estimator (1/t)Σ_i u_iᵀ(∂A/∂θ)z_i with t seeded
 * Rademacher probes z_i (fixed over the iterations, so the stochastic objective is smooth) and
 * u_i = A⁻¹z_i; α and all u_i come from one block PCG solve. ∂A/∂log σ_f² = K, ∂A/∂log σ_n² = σ_n²I,
 * and ∂A/∂log ℓ·W by a central difference of two lazy products in log ℓ (step 1e-4: truncation
 * error about 1e-8 relative, rounding about 1e-12), since the SPI kernel routine evaluates the
 * kernel, not its derivative. Per iteration: one block PCG solve with t + 1 columns, three block
 * products, and r kernel columns for the preconditioner.
 *
 * <p><b>Optimiser.</b> Adam (Kingma and Ba 2015) with β₁ = 0.9, β₂ = 0.999, as GPyTorch's examples;
 * a fixed number of iterations. The final log marginal likelihood is the SLQ estimate of
 * {@link IterativeGaussianProcess#logMarginalLikelihood()}. Nothing claims convergence: the
 * result carries the last gradient.
 *
 * <p><b>Deviation.</b> GPyTorch draws new probes each iteration and takes log|A| and its gradient
 * from the same CG run's tridiagonals; here probes are fixed, and log|A| is estimated only when
 * reported.
 */
public final class MarginalLikelihoodFit {
  /** Finite-difference step in log ℓ. */
  private static final double LOG_STEP = 1e-4;

  /**
   * The fitted hyperparameters.
   *
   * @param kernel the kernel with the fitted lengthscale(s) and variance
   * @param noise the fitted σ_n²
   * @param iterations Adam steps taken
   * @param gradient ∂L/∂(log ℓ, log σ_f², log σ_n²) at the last step (stochastic)
   * @param lastSolve the last block PCG solve (its convergence)
   */
  public record Result(KernelFunction kernel, double noise, int iterations, double[] gradient, SolveResult lastSolve) {}

  private final Compute compute;
  private final IterativeGaussianProcessOptions options;
  private final int iterations;
  private final double learningRate;

  /**
   * @param iterations Adam steps (≥ 1; 50 is typical)
   * @param learningRate Adam step size in log space (0.1 is GPyTorch's usual choice)
   */
  public MarginalLikelihoodFit(Compute compute, IterativeGaussianProcessOptions options, int iterations, double learningRate) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
    if (iterations < 1 || !(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "MarginalLikelihoodFit: iterations " + iterations + ", learning rate " + learningRate + ".",
          "Pass at least one iteration and a positive learning rate such as 0.1.");
    }
    this.iterations = iterations;
    this.learningRate = learningRate;
  }

  /**
   * Maximises the log marginal likelihood from the initial {@code kernel} and {@code noise}.
   *
   * @param points training points N×d (not modified)
   * @param targets N targets
   * @param centre whether μ is the mean of the targets
   */
  public Result fit(KernelFunction kernel, double noise, Matrix points, double[] targets, boolean centre) {
    Objects.requireNonNull(kernel, "kernel");
    double mu = GaussianProcessChecks.priorMean(points, targets, centre);
    GaussianProcessChecks.positiveNoise(noise);
    Matrix x = points.toDType(DType.F64);
    int n = x.rows();
    int t = options.probes();
    Matrix rhs = Matrix.zeros(DType.F64, n, t + 1);
    SplittableRandom rng = new SplittableRandom(options.seed());
    for (int i = 0; i < n; i++) {
      rhs.set(i, 0, targets[i] - mu);
      for (int c = 1; c <= t; c++) {
        rhs.set(i, c, rng.nextBoolean() ? 1 : -1);
      }
    }
    double[] theta = {0, Math.log(kernel.variance()), Math.log(noise)};  // θ₀ = log of the lengthscale factor
    double[] m = new double[3];
    double[] v = new double[3];
    double[] g = new double[3];
    SolveResult last = null;
    for (int it = 1; it <= iterations; it++) {
      KernelFunction k = scaled(kernel, Math.exp(theta[0]), Math.exp(theta[1]));
      double s2 = Math.exp(theta[2]);
      last = gradient(k, s2, x, rhs, g);
      for (int p = 0; p < 3; p++) {  // Adam ascent
        m[p] = 0.9 * m[p] + 0.1 * g[p];
        v[p] = 0.999 * v[p] + 0.001 * g[p] * g[p];
        double mh = m[p] / (1 - Math.pow(0.9, it));
        double vh = v[p] / (1 - Math.pow(0.999, it));
        theta[p] += learningRate * mh / (Math.sqrt(vh) + 1e-8);
      }
      theta[2] = Math.max(theta[2], theta[1] + Math.log(1e-8));  // keep σ_n² ≥ 1e-8·σ_f²: A stays well posed
      options.listener().iteration("MarginalLikelihoodFit", it, Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) / n);
    }
    return new Result(scaled(kernel, Math.exp(theta[0]), Math.exp(theta[1])), Math.exp(theta[2]), iterations, g.clone(), last);
  }

  /** Writes the stochastic ∂L/∂θ at (k, σ²) into g; returns the block solve. */
  private SolveResult gradient(KernelFunction k, double s2, Matrix x, Matrix rhs, double[] g) {
    int n = x.rows();
    int t = rhs.cols() - 1;
    LinearOperator a = IterativeGaussianProcess.noisyKernel(k, x, s2, compute);
    Preconditioner pre = IterativeGaussianProcess.preconditioner(k, x, s2, options, compute);
    SolveResult solve = ConjugateGradient.solve(a, rhs, IterativeGaussianProcess.cgOptions(options, pre));
    Matrix w = Matrix.zeros(DType.F64, n, t + 1);  // [α, z_1..z_t]
    Matrix u = solve.solution();                   // [α, u_1..u_t]
    for (int i = 0; i < n; i++) {
      w.set(i, 0, u.get(i, 0));
      for (int c = 1; c <= t; c++) {
        w.set(i, c, rhs.get(i, c));
      }
    }
    Matrix kw = KernelOperator.symmetric(k, x, compute).apply(w);
    double h = LOG_STEP;
    Matrix up = KernelOperator.symmetric(scaled(k, Math.exp(h), k.variance()), x, compute).apply(w);
    Matrix down = KernelOperator.symmetric(scaled(k, Math.exp(-h), k.variance()), x, compute).apply(w);
    double[] quad = new double[3];
    double[] trace = new double[3];
    for (int i = 0; i < n; i++) {
      double alpha = u.get(i, 0);
      quad[0] += alpha * (up.get(i, 0) - down.get(i, 0)) / (2 * h);
      quad[1] += alpha * kw.get(i, 0);
      quad[2] += s2 * alpha * alpha;
      for (int c = 1; c <= t; c++) {
        double ui = u.get(i, c);
        trace[0] += ui * (up.get(i, c) - down.get(i, c)) / (2 * h);
        trace[1] += ui * kw.get(i, c);
        trace[2] += s2 * ui * rhs.get(i, c);
      }
    }
    for (int p = 0; p < 3; p++) {
      g[p] = 0.5 * quad[p] - 0.5 * trace[p] / t;
    }
    return solve;
  }

  /** The kernel with its lengthscale(s) multiplied by {@code factor} and variance {@code variance}. */
  static KernelFunction scaled(KernelFunction k, double factor, double variance) {
    double[] ls = k.lengthscales();
    for (int i = 0; i < ls.length; i++) {
      ls[i] *= factor;
    }
    var radial = k.radial();
    if (radial.kind() == structura.api.backend.RadialKernel.Kind.RATIONAL_QUADRATIC && ls.length == 1) {
      return KernelFunction.rationalQuadratic(ls[0], variance, radial.shape());
    }
    return ls.length == 1 ? KernelFunction.isotropic(radial.kind(), ls[0], variance) : KernelFunction.ard(radial.kind(), ls, variance);
  }
}
