package structura.algorithms.kernel;

import java.util.Objects;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Gaussian-process regression with an approximate kernel k(x, y) ≈ φ(x)ᵀφ(y) given by r
 * features (Nyström features {@link KernelNystrom.Result#features}, random Fourier features
 * {@link RandomFourierFeatures#features}): Bayesian linear regression y = Φw + ε, w ~ N(0, I),
 * ε ~ N(0, σ²I) — the baseline the exact {@link IterativeGaussianProcess} is compared with.
 *
 * <p>With A = ΦᵀΦ + σ²I (r×r, Cholesky): mean(x*) = μ + φ*ᵀA⁻¹Φᵀ(y − μ) and the predictive
 * variance of y* is σ²·φ*ᵀA⁻¹φ* + σ² (Rasmussen and Williams, §2.1 and §8.3.4, the
 * "subset of regressors" predictive for Nyström features). Cost O(N·r²) to fit, O(r²) per test
 * point.
 */
public final class FeatureGaussianProcess {
  private final Matrix factor;   // Cholesky factor of A, r×r
  private final double[] weights;  // A⁻¹Φᵀ(y − μ)
  private final double noise;
  private final double mean;
  private final Compute compute;

  private FeatureGaussianProcess(Matrix factor, double[] weights, double noise, double mean, Compute compute) {
    this.factor = factor;
    this.weights = weights;
    this.noise = noise;
    this.mean = mean;
    this.compute = compute;
  }

  /**
   * @param features Φ (N×r) of the training points
   * @param targets the N targets
   * @param noise σ² &gt; 0
   * @param centre whether μ is the mean of the targets
   */
  public static FeatureGaussianProcess fit(Matrix features, double[] targets, double noise, boolean centre, Compute compute) {
    Objects.requireNonNull(compute, "compute");
    double mu = GaussianProcessChecks.priorMean(features, targets, centre);
    GaussianProcessChecks.positiveNoise(noise);
    Matrix phi = features.toDType(DType.F64);
    int r = phi.cols();
    Matrix a = compute.multiply(Transpose.T, phi, Transpose.N, phi);
    for (int q = 0; q < r; q++) {
      a.set(q, q, a.get(q, q) + noise);
    }
    Matrix l = new Cholesky(compute, CholeskyOptions.defaults()).factor(a);
    double[] b = new double[r];
    for (int i = 0; i < phi.rows(); i++) {
      double yi = targets[i] - mu;
      for (int q = 0; q < r; q++) {
        b[q] += phi.get(i, q) * yi;
      }
    }
    solve(l, b);
    return new FeatureGaussianProcess(l, b, noise, mu, compute);
  }

  /** b ← A⁻¹b = L⁻ᵀL⁻¹b. */
  private static void solve(Matrix l, double[] b) {
    int r = b.length;
    for (int i = 0; i < r; i++) {
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= l.get(i, p) * b[p];
      }
      b[i] = s / l.get(i, i);
    }
    for (int i = r - 1; i >= 0; i--) {
      double s = b[i];
      for (int p = i + 1; p < r; p++) {
        s -= l.get(p, i) * b[p];
      }
      b[i] = s / l.get(i, i);
    }
  }

  /** {mean, variance of y*} for each row of the test features Φ* (M×r). */
  public double[][] predict(Matrix testFeatures) {
    Matrix phi = testFeatures.toDType(DType.F64);
    int r = weights.length;
    if (phi.cols() != r) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "FeatureGaussianProcess: " + phi.cols() + " test features but " + r + " training features.", "Use the same feature map for both.");
    }
    double[] m = new double[phi.rows()];
    double[] v = new double[phi.rows()];
    double[] z = new double[r];
    for (int i = 0; i < m.length; i++) {
      double s = mean;
      for (int q = 0; q < r; q++) {
        z[q] = phi.get(i, q);
        s += z[q] * weights[q];
      }
      m[i] = s;
      double quad = 0;  // φᵀA⁻¹φ = ‖L⁻¹φ‖²
      for (int q = 0; q < r; q++) {
        double t = z[q];
        for (int p = 0; p < q; p++) {
          t -= factor.get(q, p) * z[p];
        }
        z[q] = t / factor.get(q, q);
        quad += z[q] * z[q];
      }
      v[i] = noise * quad + noise;
    }
    return new double[][] {m, v};
  }
}
