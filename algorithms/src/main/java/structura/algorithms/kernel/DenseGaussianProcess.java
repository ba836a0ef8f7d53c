package structura.algorithms.kernel;

import java.util.Objects;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Exact Gaussian-process regression by a dense Cholesky factorization: the reference GP for
 * N up to a few thousand training points, and the oracle the iterative (CG on a
 * {@link KernelOperator}) GP is checked against.
 *
 * <p><b>Model.</b> y = f(x) + ε with f ~ GP(μ, k), ε ~ N(0, σ_n²) and a constant mean μ (the
 * training mean, or 0). With K = k(X, X) + σ_n²·I = L·Lᵀ and α = K⁻¹(y − μ):
 * <pre>mean(x*) = μ + k(x*, X)·α
 * var(x*)  = k(x*, x*) − ‖L⁻¹·k(X, x*)‖² + σ_n²     (the predictive variance of y*)</pre>
 * (Rasmussen and Williams, <i>Gaussian Processes for Machine Learning</i>, Alg. 2.1.)
 *
 * <p><b>Cost.</b> Fitting forms the N×N matrix (N²·d, 8N² bytes) and factors it (N³/3 flops);
 * the predictive mean of M points streams k(x*, X) through the lazy {@link KernelOperator}
 * (M·N kernel entries, no M×N storage); the variance solves with L column block by column block
 * (M·N² flops, N·64 doubles at a time). Everything in double precision.
 *
 * <p>The scalable counterpart (PCG on the lazy operator, marginal-likelihood fitting, CIQ samples)
 * is {@link IterativeGaussianProcess}; this class is its dense oracle.
 */
public final class DenseGaussianProcess {
  private final KernelFunction kernel;
  private final Matrix train;
  private final double noise;
  private final double mean;
  private final double[] lower;
  private final Matrix alpha;
  private final Compute compute;
  private final double logMarginalLikelihood;

  private DenseGaussianProcess(KernelFunction kernel, Matrix train, double noise, double mean, double[] lower, Matrix alpha,
      Compute compute, double logMarginalLikelihood) {
    this.logMarginalLikelihood = logMarginalLikelihood;
    this.kernel = kernel;
    this.train = train;
    this.noise = noise;
    this.mean = mean;
    this.lower = lower;
    this.alpha = alpha;
    this.compute = compute;
  }

  /**
   * Conditions the GP on training points (N×d, one per row) and targets (N values).
   *
   * @param noise σ_n² ≥ 0, the observation-noise variance added to the diagonal
   * @param centre whether μ is the mean of the targets (true) or 0
   * @throws InvalidArgumentException on NaN/Inf points or targets (naming the row), a target
   *     count that differs from the point count, or a negative noise
   * @throws NumericalFailureException when K + σ_n²·I is numerically singular, typically
   *     duplicated points without noise; the message suggests a noise term
   */
  public static DenseGaussianProcess fit(KernelFunction kernel, Matrix points, double[] targets, double noise, boolean centre,
      Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(compute, "compute");
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "Gaussian process: noise variance is " + noise + ".",
          "Pass a finite noise variance >= 0 (about the squared measurement error of the targets).");
    }
    double mu = GaussianProcessChecks.priorMean(points, targets, centre);
    Matrix x = points.toDType(DType.F64);
    KernelOperator k = KernelOperator.symmetric(kernel, x, compute);  // validates the points
    Matrix kk = k.toDense();
    int n = x.rows();
    for (int i = 0; i < n; i++) {
      kk.set(i, i, kk.get(i, i) + noise);
    }
    Matrix l;
    try {
      l = new Cholesky(compute, structura.algorithms.linalg.CholeskyOptions.defaults()).factor(kk);
    } catch (NumericalFailureException e) {
      throw new NumericalFailureException("Gaussian process: the kernel matrix plus noise " + noise + " is not numerically positive "
          + "definite (" + e.getMessage() + "); duplicated or nearly coincident training points make it singular.",
          "Add a noise term (e.g. noise = 1e-6 times the kernel variance or more), or remove duplicated points.");
    }
    Matrix r = Matrix.zeros(DType.F64, n, 1);
    for (int i = 0; i < n; i++) {
      r.set(i, 0, targets[i] - mu);
    }
    double[] lw = l.f64().clone();
    double[] a = r.f64().clone();
    forward(lw, n, a, 1);
    double fit = 0;
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      fit += a[i] * a[i];  // (y − μ)ᵀK⁻¹(y − μ) = ‖L⁻¹(y − μ)‖²
      logDet += 2 * Math.log(lw[i * n + i]);
    }
    backward(lw, n, a);
    double lml = -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
    return new DenseGaussianProcess(kernel, x, noise, mu, lw, Matrix.wrap(a, n, 1), compute, lml);
  }

  /**
   * log p(y | X) = −½(y − μ)ᵀK⁻¹(y − μ) − ½ log det K − (N/2) log 2π with K = k(X, X) + σ_n²I,
   * from the Cholesky factor (log det K = 2 Σ log L_ii). The objective for choosing
   * hyperparameters.
   */
  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  /** The kernel. */
  public KernelFunction kernel() {
    return kernel;
  }

  /** σ_n². */
  public double noise() {
    return noise;
  }

  /** The constant prior mean μ. */
  public double priorMean() {
    return mean;
  }

  /** α = (K + σ_n²I)⁻¹(y − μ), N×1. A copy. */
  public Matrix weights() {
    return alpha.copy();
  }

  /**
   * Predictive mean μ + k(x*, X)·α for each row of {@code test} (M×d, the training dimension).
   *
   * @throws InvalidArgumentException if the test dimension differs from the training one
   */
  public double[] predictMean(Matrix test) {
    Matrix t = GaussianProcessChecks.testPoints(train, test);
    Matrix m = KernelOperator.cross(kernel, t, train, compute).apply(alpha);
    double[] out = new double[t.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean + m.get(i, 0);
    }
    return out;
  }

  /** Predictive variance of y* (latent variance plus σ_n²) for each row of {@code test}. */
  public double[] predictVariance(Matrix test) {
    Matrix t = GaussianProcessChecks.testPoints(train, test);
    int n = train.rows();
    int block = 64;
    double[] out = new double[t.rows()];
    double[] origin = new double[t.cols()];
    double prior = kernel.value(origin, origin);
    for (int b0 = 0; b0 < t.rows(); b0 += block) {
      int bs = Math.min(block, t.rows() - b0);
      Matrix kt = KernelOperator.cross(kernel, train, rows(t, b0, bs), compute).toDense();  // N×bs
      double[] v = kt.f64().clone();
      forward(lower, n, v, bs);
      for (int c = 0; c < bs; c++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += v[i * bs + c] * v[i * bs + c];
        }
        out[b0 + c] = Math.max(prior - s, 0) + noise;
      }
    }
    return out;
  }

  private static Matrix rows(Matrix m, int from, int count) {
    Matrix out = Matrix.zeros(DType.F64, count, m.cols());
    for (int i = 0; i < count; i++) {
      for (int t = 0; t < m.cols(); t++) {
        out.set(i, t, m.get(from + i, t));
      }
    }
    return out;
  }

  /** B ← L⁻¹B for the row-major lower triangular n×n L and n×r B. */
  private static void forward(double[] l, int n, double[] b, int r) {
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < i; p++) {
        double lip = l[i * n + p];
        if (lip != 0) {
          for (int c = 0; c < r; c++) {
            b[i * r + c] -= lip * b[p * r + c];
          }
        }
      }
      double d = l[i * n + i];
      for (int c = 0; c < r; c++) {
        b[i * r + c] /= d;
      }
    }
  }

  /** b ← L⁻ᵀb for one vector. */
  private static void backward(double[] l, int n, double[] b) {
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int p = i + 1; p < n; p++) {
        s -= l[p * n + i] * b[p];
      }
      b[i] = s / l[i * n + i];
    }
  }
}
