package structura.algorithms.kernel;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Random Fourier features (Rahimi and Recht, "Random features for large-scale kernel machines",
 * NIPS 2007): for a shift-invariant kernel k(x, y) = σ²·κ(‖(x − y)/ℓ‖) with spectral density p,
 * z(x) = σ·√(2/D)·[cos(ω_jᵀx̃ + b_j)]_{j<D} with x̃ = x/ℓ, ω_j ~ p and b_j ~ U[0, 2π), so that
 * E[z(x)ᵀz(y)] = k(x, y) and the error of each entry is O(σ²/√D).
 *
 * <p><b>Spectral densities</b> (Bochner), for the kernels that admit one:
 * <ul>
 *   <li>Gaussian exp(−r²/2): ω ~ N(0, I);
 *   <li>Matérn ν (1/2 = exponential, 3/2, 5/2, in the form with √(2ν)·r): the multivariate
 *       Student t with 2ν degrees of freedom, ω = g·√(2ν/u), g ~ N(0, I), u ~ χ²_{2ν}; for the
 *       exponential kernel (ν = 1/2) that is the multivariate Cauchy density;
 *   <li>rational quadratic (1 + r²/(2α))^{−α}: a Gamma scale mixture of Gaussians,
 *       ω ~ N(0, (τ/α)·I), τ ~ Gamma(α, 1);
 *   <li>Cauchy 1/(1 + r²): the same mixture, ω ~ N(0, 2τ·I), τ ~ Exp(1).
 * </ul>
 * The Laplace 1/r Green's function is not positive definite and has no such density: rejected.
 *
 * <p><b>Cost.</b> O(N·D·d) for the features; the operator Z·Zᵀ multiplies in O(N·D) per column.
 */
public final class RandomFourierFeatures {
  private final KernelFunction kernel;
  private final Matrix frequencies;
  private final double[] phases;
  private final Compute compute;

  private RandomFourierFeatures(KernelFunction kernel, Matrix frequencies, double[] phases, Compute compute) {
    this.kernel = kernel;
    this.frequencies = frequencies;
    this.phases = phases;
    this.compute = compute;
  }

  /**
   * Draws D = {@code features} frequencies for {@code kernel} in dimension d.
   *
   * @throws InvalidArgumentException for D &lt; 1, d &lt; 1 or the LAPLACE kernel
   */
  public static RandomFourierFeatures draw(KernelFunction kernel, int dimension, int features, long seed, Compute compute) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(compute, "compute");
    if (features < 1 || dimension < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "RandomFourierFeatures: " + features + " features in dimension " + dimension + ".", "Pass at least one feature and one dimension.");
    }
    RadialKernel radial = kernel.radial();
    if (!radial.positiveDefinite()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "RandomFourierFeatures: the " + radial.kind() + " kernel has no spectral density.",
          "Use a positive definite shift-invariant kernel (rbf, matern, rq, cauchy, exponential).");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix w = Matrix.zeros(DType.F64, features, dimension);
    double[] b = new double[features];
    for (int j = 0; j < features; j++) {
      double scale = switch (radial.kind()) {
        case GAUSSIAN -> 1;
        case EXPONENTIAL, MATERN_12 -> studentScale(1, rng);
        case MATERN_32 -> studentScale(3, rng);
        case MATERN_52 -> studentScale(5, rng);
        case RATIONAL_QUADRATIC -> Math.sqrt(gamma(radial.shape(), rng) / radial.shape());
        case CAUCHY -> Math.sqrt(2 * -Math.log(1 - rng.nextDouble()));
        case LAPLACE -> throw new IllegalStateException();
      };
      for (int t = 0; t < dimension; t++) {
        w.set(j, t, scale * rng.nextGaussian());
      }
      b[j] = 2 * Math.PI * rng.nextDouble();
    }
    return new RandomFourierFeatures(kernel, w, b, compute);
  }

  /** √(2ν/u) with u ~ χ²_{2ν}, 2ν = {@code dof} (an integer here). */
  private static double studentScale(int dof, SplittableRandom rng) {
    double u = 0;
    for (int i = 0; i < dof; i++) {
      double g = rng.nextGaussian();
      u += g * g;
    }
    return Math.sqrt(dof / u);
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost u^{1/a} for shape &lt; 1. */
  private static double gamma(double shape, SplittableRandom rng) {
    if (shape < 1) {
      return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  /** The number of features D. */
  public int count() {
    return phases.length;
  }

  /** Z (N×D, F64) with Z·Zᵀ ≈ k(X, X), for the rows of {@code points} (not modified). */
  public Matrix features(Matrix points) {
    if (points.cols() != frequencies.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "RandomFourierFeatures: the points have dimension " + points.cols() + " but the features were drawn for "
              + frequencies.cols() + ".", "Draw the features for the points' dimension.");
    }
    Matrix x = kernel.scale(points.toDType(DType.F64));
    int n = x.rows();
    int dd = phases.length;
    int d = x.cols();
    double amplitude = Math.sqrt(kernel.variance() * 2.0 / dd);
    double[] z = new double[n * dd];
    IntStream.range(0, n).parallel().forEach(i -> {
      for (int j = 0; j < dd; j++) {
        double s = phases[j];
        for (int t = 0; t < d; t++) {
          s += frequencies.get(j, t) * x.get(i, t);
        }
        z[i * dd + j] = amplitude * Math.cos(s);
      }
    });
    return Matrix.wrap(z, n, dd);
  }

  /** Z·Zᵀ for the rows of {@code points} as a symmetric operator. */
  public LinearOperator operator(Matrix points) {
    Matrix z = features(points);
    double[] ones = new double[z.cols()];
    Arrays.fill(ones, 1);
    return Operators.lowRank(z, ones, z, compute);
  }
}
