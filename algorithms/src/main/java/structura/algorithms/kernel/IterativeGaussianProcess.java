package structura.algorithms.kernel;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.iterative.ConjugateGradient;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.ContourIntegralQuadrature;
import structura.algorithms.iterative.ContourIntegralQuadratureOptions;
import structura.algorithms.iterative.ContourIntegralQuadratureResult;
import structura.algorithms.iterative.Estimate;
import structura.algorithms.iterative.HutchinsonOptions;
import structura.algorithms.iterative.Lanczos;
import structura.algorithms.iterative.LanczosOptions;
import structura.algorithms.iterative.LanczosResult;
import structura.algorithms.iterative.PivotedCholeskyPreconditioner;
import structura.algorithms.iterative.Preconditioner;
import structura.algorithms.iterative.SparseInverseCholeskyPreconditioner;
import structura.algorithms.iterative.SolveResult;
import structura.algorithms.iterative.StochasticLanczosQuadrature;
import structura.algorithms.iterative.StochasticLanczosQuadratureOptions;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;

/**
 * Exact Gaussian-process regression without forming the kernel matrix: every solve with
 * A = K + σ_n²I is preconditioned CG on the lazy {@link KernelOperator} (O(N·d) memory, N² kernel
 * evaluations per product), the GPyTorch/BBMM recipe (Gardner et al., NeurIPS 2018; our notes
 * §4.4, §5.3, §10.5). Same model and formulas as {@link DenseGaussianProcess}, its oracle.
 *
 * <ul>
 *   <li><b>Mean:</b> α = A⁻¹(y − μ) by PCG with the preconditioner the options name: pivoted
 *       Cholesky P = L·Lᵀ + σ_n²I (L of rank {@code preconditionerRank} from kernel columns read
 *       directly), or the sparse inverse-Cholesky factor P⁻¹ = U·Uᵀ on nearest earlier points
 *       ({@link VecchiaPreconditioner}: for local kernels with small noise);
 *       mean(x*) = μ + k(x*, X)·α.
 *   <li><b>Variance</b> of y*: k(x*, x*) − k*ᵀA⁻¹k* + σ_n², by batched PCG on blocks of 64 test
 *       cross-covariance columns ({@link IterativeGaussianProcessOptions.VarianceMethod#CG}), or
 *       by LOVE ({@link IterativeGaussianProcessOptions.VarianceMethod#LOVE}).
 *   <li><b>Log marginal likelihood:</b> −½(y − μ)ᵀα − ½ log|A| − (N/2) log 2π with
 *       log|A| = log|P| + log|W·A·Wᵀ| (WᵀW = P⁻¹), the second term by stochastic Lanczos quadrature
 *       (the preconditioned operator is well conditioned, so few Lanczos steps suffice).
 *   <li><b>Samples</b> of y* at test points: CIQ ({@link ContourIntegralQuadrature}) square root of
 *       the predictive covariance operator Σ* = K** − K*X·A⁻¹·KX* + σ_n²I (each product one PCG
 *       solve), applied to standard normal vectors; Σ* ⪰ σ_n²I gives CIQ its lower spectrum bound.
 * </ul>
 *
 * <p><b>Cost.</b> Each CG iteration is one product with the lazy operator: N²·(3d + c) flops per
 * column. Memory O(N·(d + r)) for r = preconditionerRank, plus the CG blocks.
 *
 * <p><b>Errors.</b> Non-converged solves are reported, never hidden: {@link #meanSolve()} carries
 * the CG result and its {@code converged} flag.
 */
public final class IterativeGaussianProcess {
  private static final int VARIANCE_BLOCK = 64;

  private final KernelFunction kernel;
  private final Matrix train;
  private final double[] centred;
  private final double noise;
  private final double mean;
  private final LinearOperator a;
  private final Preconditioner preconditioner;
  private final double preconditionerSeconds;
  private final SolveResult meanSolve;
  private final IterativeGaussianProcessOptions options;
  private final Compute compute;

  private IterativeGaussianProcess(KernelFunction kernel, Matrix train, double[] centred, double noise, double mean, LinearOperator a,
      Preconditioner preconditioner, double preconditionerSeconds, SolveResult meanSolve, IterativeGaussianProcessOptions options,
      Compute compute) {
    this.kernel = kernel;
    this.train = train;
    this.centred = centred;
    this.noise = noise;
    this.mean = mean;
    this.a = a;
    this.preconditioner = preconditioner;
    this.preconditionerSeconds = preconditionerSeconds;
    this.meanSolve = meanSolve;
    this.options = options;
    this.compute = compute;
  }

  /**
   * Conditions the GP on training points (N×d) and targets (N values) with fixed hyperparameters.
   *
   * @param noise σ_n² &gt; 0 (CG needs A positive definite)
   * @param centre whether μ is the mean of the targets (true) or 0
   * @throws InvalidArgumentException for non-finite points or targets (naming the row), a count
   *     mismatch, or σ_n² ≤ 0 (the message suggests a noise term: without it duplicated points
   *     make K singular)
   */
  public static IterativeGaussianProcess fit(KernelFunction kernel, Matrix points, double[] targets, double noise, boolean centre,
      IterativeGaussianProcessOptions options, Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(compute, "compute");
    return fit(kernel, points, targets, noise, centre, noisyKernel(kernel, points.toDType(DType.F64), noise, compute), options, compute);
  }

  /**
   * As {@link #fit(KernelFunction, Matrix, double[], double, boolean, IterativeGaussianProcessOptions, Compute)},
   * with every product by A = K + σ_n²I through {@code noisyKernel} instead of the lazy exact
   * operator: for example a fast kernel transform with the noise added
   * ({@code FastKernelTransform.factor(kernel, points, …).withNoise(noise)}), whose products cost
   * O(N log N). The CG solves (mean, CG variances, CIQ samples), LOVE's Lanczos run and the SLQ
   * log-determinant then see that operator's approximation of K; the preconditioner's kernel
   * columns and the test cross-covariances k(x*, X) are still evaluated exactly.
   *
   * @param noisyKernel an N×N symmetric positive definite operator approximating K + σ_n²I for the
   *     rows of {@code points}, F64 products (not modified)
   * @throws InvalidArgumentException as the lazy variant, and if the operator is not N×N
   */
  public static IterativeGaussianProcess fit(KernelFunction kernel, Matrix points, double[] targets, double noise, boolean centre,
      LinearOperator noisyKernel, IterativeGaussianProcessOptions options, Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(noisyKernel, "noisyKernel");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(compute, "compute");
    double mu = GaussianProcessChecks.priorMean(points, targets, centre);
    GaussianProcessChecks.positiveNoise(noise);
    Matrix x = points.toDType(DType.F64);
    if (noisyKernel.rows() != x.rows() || noisyKernel.cols() != x.rows()) {
      throw new InvalidArgumentException(structura.api.ErrorCode.DIMENSION_MISMATCH,
          "IterativeGaussianProcess.fit: the kernel operator is " + noisyKernel.rows() + "×" + noisyKernel.cols() + " but there are "
              + x.rows() + " training points.", "Build the operator on the same training points.");
    }
    double[] r = new double[targets.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = targets[i] - mu;
    }
    LinearOperator a = Operators.tagged(noisyKernel, Structure.SYMMETRIC, Structure.PSD);
    long t0 = System.nanoTime();
    Preconditioner pre = preconditioner(kernel, x, noise, options, compute);
    double setup = (System.nanoTime() - t0) * 1e-9;
    SolveResult solve = ConjugateGradient.solve(a, Matrix.wrap(r.clone(), r.length, 1), cgOptions(options, pre));
    return new IterativeGaussianProcess(kernel, x, r, noise, mu, a, pre, setup, solve, options, compute);
  }

  /** A = K + σ²I, lazy, tagged symmetric positive definite (so CG skips its symmetry test). */
  static LinearOperator noisyKernel(KernelFunction kernel, Matrix x, double noise, Compute compute) {
    double[] diag = new double[x.rows()];
    java.util.Arrays.fill(diag, noise);
    return Operators.tagged(Operators.sum(KernelOperator.symmetric(kernel, x, compute), Operators.diagonal(DType.F64, diag)),
        Structure.SYMMETRIC, Structure.PSD);
  }

  /** The preconditioner of A = K + σ²I that {@code options} names. */
  static Preconditioner preconditioner(KernelFunction kernel, Matrix x, double noise, IterativeGaussianProcessOptions options,
      Compute compute) {
    return switch (options.preconditioner()) {
      case PIVOTED_CHOLESKY -> preconditioner(kernel, x, noise, options.preconditionerRank(), compute);
      case VECCHIA -> VecchiaPreconditioner.of(kernel, x, noise, options.neighbours(), options.seed());
    };
  }

  /** P = L·Lᵀ + σ²I from `rank` kernel columns k(X, x_j) read directly (N evaluations each). */
  static PivotedCholeskyPreconditioner preconditioner(KernelFunction kernel, Matrix x, double noise, int rank, Compute compute) {
    int n = x.rows();
    double[] diag = new double[n];
    double[] noiseDiag = new double[n];
    java.util.Arrays.fill(diag, kernel.variance());
    java.util.Arrays.fill(noiseDiag, noise);
    Matrix one = Matrix.of(DType.F64, 1, 1, 1.0);
    return PivotedCholeskyPreconditioner.ofColumns(n, j -> {
      Matrix col = KernelOperator.cross(kernel, x, x.view(j, 0, 1, x.cols()).copy(), compute).apply(one);
      return col.f64().clone();
    }, diag, noiseDiag, PivotedCholeskyOptions.ofRank(Math.min(rank, n)));
  }

  static ConjugateGradientOptions cgOptions(IterativeGaussianProcessOptions o, Preconditioner pre) {
    return ConjugateGradientOptions.defaults().withTolerance(o.cgTolerance()).withMaxIterations(o.maxIterations())
        .withPreconditioner(pre).withSymmetryCheck(false).withListener(o.listener());
  }

  /** The CG solve for α: iterations, residual and whether it converged. */
  public SolveResult meanSolve() {
    return meanSolve;
  }

  /** The preconditioner of the solves (read-only use). */
  public Preconditioner preconditioner() {
    return preconditioner;
  }

  /** Wall-clock seconds spent building the preconditioner. */
  public double preconditionerSeconds() {
    return preconditionerSeconds;
  }

  /** The kernel. */
  public KernelFunction kernel() {
    return kernel;
  }

  /** σ_n². */
  public double noise() {
    return noise;
  }

  /** μ. */
  public double priorMean() {
    return mean;
  }

  /** α = (K + σ_n²I)⁻¹(y − μ) (N×1, a copy). */
  public Matrix weights() {
    return meanSolve.solution().copy();
  }

  /**
   * Predictive mean μ + k(x*, X)·α for each row of {@code test} (M×d). One lazy cross product:
   * M·N kernel evaluations.
   *
   * @throws InvalidArgumentException if the test dimension differs from the training one
   */
  public double[] predictMean(Matrix test) {
    Matrix t = GaussianProcessChecks.testPoints(train, test);
    Matrix m = KernelOperator.cross(kernel, t, train, compute).apply(meanSolve.solution());
    double[] out = new double[t.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean + m.get(i, 0);
    }
    return out;
  }

  /** Predictive variance of y* (latent variance plus σ_n²) for each row of {@code test}, by the configured method. */
  public double[] predictVariance(Matrix test) {
    Matrix t = GaussianProcessChecks.testPoints(train, test);
    return switch (options.varianceMethod()) {
      case CG -> varianceByCg(t);
      case LOVE -> varianceByLove(t);
      case NEAREST -> varianceByNearest(t);
    };
  }

  private double[] varianceByNearest(Matrix t) {
    Matrix xs = kernel.scale(train).copy();
    Matrix ts = kernel.scale(t).copy();
    double[] src = xs.f64();
    double[] q = ts.f64();
    int d = train.cols();
    double prior = prior();
    double[] out = new double[t.rows()];
    java.util.stream.IntStream.range(0, t.rows()).parallel().forEach(i -> {
      int[] s = NearestNeighbours.nearest(src, train.rows(), d, q, i * d, options.neighbours());
      int m = s.length;
      double[] a = new double[m * m];
      double[] b = new double[m];
      for (int p = 0; p < m; p++) {
        b[p] = kernel.ofScaledDistance(distance(src, s[p] * d, q, i * d, d));
        for (int c = 0; c <= p; c++) {
          a[p * m + c] = kernel.ofScaledDistance(distance(src, s[p] * d, src, s[c] * d, d)) + (p == c ? noise : 0);
        }
      }
      // b·(K_SS + σ²I)⁻¹·b = ‖L⁻¹b‖² with the Cholesky factor L (in place, lower triangle)
      for (int j = 0; j < m; j++) {
        double v = a[j * m + j];
        for (int c = 0; c < j; c++) {
          v -= a[j * m + c] * a[j * m + c];
        }
        double dj = Math.sqrt(v);
        a[j * m + j] = dj;
        for (int p = j + 1; p < m; p++) {
          double w = a[p * m + j];
          for (int c = 0; c < j; c++) {
            w -= a[p * m + c] * a[j * m + c];
          }
          a[p * m + j] = w / dj;
        }
      }
      double quad = 0;
      for (int p = 0; p < m; p++) {
        double w = b[p];
        for (int c = 0; c < p; c++) {
          w -= a[p * m + c] * b[c];
        }
        b[p] = w / a[p * m + p];
        quad += b[p] * b[p];
      }
      out[i] = Math.max(prior - quad, 0) + noise;
    });
    return out;
  }

  private static double distance(double[] x, int xo, double[] y, int yo, int d) {
    double r2 = 0;
    for (int c = 0; c < d; c++) {
      double diff = x[xo + c] - y[yo + c];
      r2 += diff * diff;
    }
    return Math.sqrt(r2);
  }

  private double prior() {
    double[] origin = new double[train.cols()];
    return kernel.value(origin, origin);
  }

  private double[] varianceByCg(Matrix t) {
    double[] out = new double[t.rows()];
    double prior = prior();
    for (int b0 = 0; b0 < t.rows(); b0 += VARIANCE_BLOCK) {
      int bs = Math.min(VARIANCE_BLOCK, t.rows() - b0);
      Matrix cross = KernelOperator.cross(kernel, train, t.view(b0, 0, bs, t.cols()).copy(), compute)
          .apply(Matrix.identity(DType.F64, bs));  // N×bs columns k(X, x*)
      SolveResult s = ConjugateGradient.solve(a, cross, cgOptions(options, preconditioner));
      requireConverged(s, "predictive variance");
      for (int c = 0; c < bs; c++) {
        double q = 0;
        for (int i = 0; i < train.rows(); i++) {
          q += cross.get(i, c) * s.solution().get(i, c);
        }
        out[b0 + c] = Math.max(prior - q, 0) + noise;
      }
    }
    return out;
  }

  private double[] varianceByLove(Matrix t) {
    // Lanczos starts from the mean test cross-covariance column, so its Krylov space resolves the
    // directions the k* of this test set share (one product with the cross operator).
    Matrix ones = Matrix.zeros(DType.F64, t.rows(), 1);
    ones.fill(1.0 / t.rows());
    Matrix r = loveFactor(KernelOperator.cross(kernel, train, t, compute).apply(ones));
    Matrix kr = KernelOperator.cross(kernel, t, train, compute).apply(r);  // M×k rows k*ᵀR
    double prior = prior();
    double[] out = new double[t.rows()];
    for (int i = 0; i < out.length; i++) {
      double q = 0;
      for (int j = 0; j < kr.cols(); j++) {
        q += kr.get(i, j) * kr.get(i, j);
      }
      out[i] = Math.max(prior - q, 0) + noise;
    }
    return out;
  }

  /**
   * R = Q·L_T^{−T} from a re-orthogonalized Lanczos run on A from {@code start}, so that
   * A⁻¹ ≈ Q·T⁻¹·Qᵀ = R·Rᵀ on that Krylov space. (Running it on the preconditioned operator
   * instead fails: its spectrum is so clustered that Lanczos stops after a step or two, and the
   * directions outside the Krylov space are lost.)
   */
  private Matrix loveFactor(Matrix start) {
    LanczosResult lr = Lanczos.decompose(a, start, LanczosOptions.defaults()
        .withMaxIterations(Math.min(options.loveRank(), train.rows())).withReorthogonalization(true).withKeepBasis(true)
        .withSymmetryCheck(false));
    Matrix q = lr.basis();
    Matrix tl = new Cholesky(compute, CholeskyOptions.defaults()).factor(lr.tridiagonal().toDense());
    int k = tl.rows();
    // Q·L⁻ᵀ: solve L·Xᵀ = Qᵀ row by row (k is small).
    Matrix xt = q.transposeCopy();
    for (int i = 0; i < k; i++) {
      for (int p = 0; p < i; p++) {
        double l = tl.get(i, p);
        for (int c = 0; c < xt.cols(); c++) {
          xt.set(i, c, xt.get(i, c) - l * xt.get(p, c));
        }
      }
      double d = tl.get(i, i);
      for (int c = 0; c < xt.cols(); c++) {
        xt.set(i, c, xt.get(i, c) / d);
      }
    }
    return xt.transposeCopy();
  }

  /**
   * log p(y | X) estimated as −½(y − μ)ᵀα − ½(log|P| + SLQ log|P^{−1/2}AP^{−1/2}|) − (N/2) log 2π,
   * with {@code probes} seeded Rademacher probes and {@code lanczosIterations} steps each.
   */
  public Estimate logMarginalLikelihood() {
    Estimate logDet = logDeterminant(a, preconditioner, noise, options, compute);
    double fit = 0;
    for (int i = 0; i < centred.length; i++) {
      fit += centred[i] * meanSolve.solution().get(i, 0);
    }
    double value = -0.5 * fit - 0.5 * logDet.estimate() - 0.5 * centred.length * Math.log(2 * Math.PI);
    return new Estimate(value, 0.5 * logDet.standardError(), logDet.samples(), logDet.matrixVectorProducts(), logDet.converged(),
        logDet.reason());
  }

  /**
   * log|A| = log|P| + SLQ estimate of log|W·A·Wᵀ| for a whitening W with WᵀW = P⁻¹ (so W·A·Wᵀ
   * has the spectrum of P⁻¹A): W = P^{−1/2} for the pivoted Cholesky preconditioner, W = Uᵀ for
   * the sparse inverse-Cholesky one.
   */
  static Estimate logDeterminant(LinearOperator a, Preconditioner pre, double noise, IterativeGaussianProcessOptions o,
      Compute compute) {
    LinearOperator product;
    if (pre instanceof PivotedCholeskyPreconditioner pc) {
      LinearOperator root = inverseRoot(pc, noise, compute);
      product = Operators.product(root, a, root);
    } else if (pre instanceof SparseInverseCholeskyPreconditioner sic) {
      LinearOperator u = sic.factor();
      product = Operators.product(u.transpose(), a, u);
    } else {
      throw new IllegalStateException("no whitening for " + pre);
    }
    LinearOperator whitened = Operators.tagged(product, Structure.SYMMETRIC, Structure.PSD);
    Estimate e = StochasticLanczosQuadrature.logDeterminant(whitened, StochasticLanczosQuadratureOptions.defaults()
        .withLanczosIterations(o.lanczosIterations())
        .withProbes(HutchinsonOptions.defaults().withMaxProbes(o.probes()).withBlockSize(o.probes()).withSeed(o.seed())
            .withTolerance(0.5)));
    return new Estimate(e.estimate() + pre.logDeterminant(), e.standardError(), e.samples(), e.matrixVectorProducts(), e.converged(),
        e.reason());
  }

  /**
   * P^{−1/2} for P = L·Lᵀ + σ²I: with L·Lᵀ = U·diag(m)·Uᵀ (U orthonormal, from the eigenpairs of
   * LᵀL), P^{−1/2} = σ⁻¹I + U·diag((σ² + m)^{−1/2} − σ⁻¹)·Uᵀ.
   */
  static LinearOperator inverseRoot(PivotedCholeskyPreconditioner pre, double sigma2, Compute compute) {
    Matrix l = pre.factor();
    int n = l.rows();
    double sigma = Math.sqrt(sigma2);
    LinearOperator scaledIdentity = Operators.scale(1 / sigma, Operators.identity(DType.F64, n));
    if (l.cols() == 0) {
      return scaledIdentity;
    }
    SymmetricEigen e = SymmetricEigen.decompose(compute.multiply(Transpose.T, l, Transpose.N, l));
    double[] m = e.values();
    int r = 0;
    while (r < m.length && m[r] > 1e-12 * m[0]) {
      r++;
    }
    Matrix u = compute.multiply(Transpose.N, l, Transpose.N, e.vectors().view(0, 0, m.length, r).copy());
    double[] c = new double[r];
    for (int q = 0; q < r; q++) {
      double s = 1 / Math.sqrt(m[q]);
      for (int i = 0; i < n; i++) {
        u.set(i, q, u.get(i, q) * s);
      }
      c[q] = 1 / Math.sqrt(sigma2 + m[q]) - 1 / sigma;
    }
    return Operators.sum(scaledIdentity, Operators.lowRank(u, c, u, compute));
  }

  /**
   * {@code count} samples of y* at the rows of {@code test} (M×count): mean + Σ*^{1/2}·z with z
   * standard normal (seeded) and Σ*^{1/2}·z by CIQ.
   */
  public Matrix predictiveSamples(Matrix test, int count, long seed) {
    Matrix t = GaussianProcessChecks.testPoints(train, test);
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix z = Matrix.zeros(DType.F64, t.rows(), count);
    for (int i = 0; i < t.rows(); i++) {
      for (int c = 0; c < count; c++) {
        z.set(i, c, rng.nextGaussian());
      }
    }
    Matrix root = predictiveCovarianceRoot(t, z).solution();
    double[] m = predictMean(t);
    for (int i = 0; i < t.rows(); i++) {
      for (int c = 0; c < count; c++) {
        root.set(i, c, root.get(i, c) + m[i]);
      }
    }
    return root;
  }

  /** Σ*^{1/2}·z by CIQ on the predictive covariance operator (each product one PCG solve). */
  ContourIntegralQuadratureResult predictiveCovarianceRoot(Matrix t, Matrix z) {
    LinearOperator covariance = Operators.tagged(new PredictiveCovariance(t), Structure.SYMMETRIC, Structure.PSD);
    double upper = prior() + noise;  // λ_max(Σ*) ≤ λ_max(K**) + σ² ≤ M·κ(0) + σ²
    return ContourIntegralQuadrature.sqrt(covariance, z, ContourIntegralQuadratureOptions.defaults()
        .withSpectrumBounds(noise, t.rows() * (upper - noise) + noise));
  }

  /** Σ* = K** − K*X·A⁻¹·KX* + σ_n²I on the test points (M×M), applied through PCG solves. */
  private final class PredictiveCovariance implements LinearOperator {
    private final Matrix test;
    private final KernelOperator testKernel;
    private final KernelOperator cross;

    PredictiveCovariance(Matrix test) {
      this.test = test;
      this.testKernel = KernelOperator.symmetric(kernel, test, compute);
      this.cross = KernelOperator.cross(kernel, train, test, compute);
    }

    @Override
    public int rows() {
      return test.rows();
    }

    @Override
    public int cols() {
      return test.rows();
    }

    @Override
    public DType dtype() {
      return DType.F64;
    }

    @Override
    public Matrix apply(Matrix v) {
      Matrix out = testKernel.apply(v);
      SolveResult s = ConjugateGradient.solve(a, cross.apply(v), cgOptions(options, preconditioner));
      requireConverged(s, "predictive covariance product");
      Matrix back = cross.applyTranspose(s.solution());
      for (int i = 0; i < out.rows(); i++) {
        for (int c = 0; c < out.cols(); c++) {
          out.set(i, c, out.get(i, c) - back.get(i, c) + noise * v.get(i, c));
        }
      }
      return out;
    }

    @Override
    public Matrix applyTranspose(Matrix v) {
      return apply(v);  // Σ* is symmetric
    }
  }

  private static void requireConverged(SolveResult s, String what) {
    if (!s.converged()) {
      throw new structura.algorithms.iterative.NotConvergedException("IterativeGaussianProcess (" + what + ")", s, Double.NaN,
          "Raise the iteration cap or the preconditioner rank, or loosen the CG tolerance.");
    }
  }
}
