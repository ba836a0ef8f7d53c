package structura.algorithms.iterative;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;

/**
 * Stochastic Lanczos quadrature: tr f(A) and log det A for A symmetric (positive definite for the
 * logarithm) from Lanczos runs on random probes.
 *
 * <p><b>Method.</b> Ubaru, Chen and Saad, "Fast estimation of tr(f(A)) via stochastic Lanczos
 * quadrature", SIAM J. Matrix Anal. Appl. 38(4), 2017, Alg. 1: for each probe z, m Lanczos steps
 * from z/‖z‖ give T = S·diag(θ)·Sᵀ and the Gauss quadrature zᵀf(A)z ≈ ‖z‖²·Σ_j S_{1j}²·f(θ_j); the
 * estimate is the mean over probes, with the sample standard error, stopping as
 * {@link Hutchinson} does. As in CoLA's {@code slq} and GPyTorch's {@code InvQuadLogDet}.
 *
 * <p><b>Cost.</b> m block products per block of probes; O(m³) per probe for the small
 * eigenproblem (EJML).
 *
 * <p><b>Deviations.</b> The reported standard error covers the probe variance only, not the
 * quadrature error of m steps (which the Lanczos tolerance makes negligible once a probe's Krylov
 * space becomes invariant). Non-positive Ritz values under log are an error, not masked (CoLA
 * zeroes them, GPyTorch clamps).
 *
 * <p><b>Errors.</b> A Ritz value θ ≤ 0 when f = log throws
 * {@link ErrorCode#NOT_SYMMETRIC_POSITIVE_DEFINITE}, as does a failed symmetry test.
 */
public final class StochasticLanczosQuadrature {
  private static final String NAME = "StochasticLanczosQuadrature";

  private StochasticLanczosQuadrature() {}

  /** Estimates log det A for A symmetric positive definite. */
  public static Estimate logDeterminant(LinearOperator a, StochasticLanczosQuadratureOptions options) {
    return estimate(a, null, options);
  }

  /**
   * Estimates tr f(A) for A symmetric.
   *
   * @param f applied to the Ritz values (must be defined on A's spectrum)
   */
  public static Estimate trace(LinearOperator a, DoubleUnaryOperator f, StochasticLanczosQuadratureOptions options) {
    return estimate(a, Objects.requireNonNull(f, "f"), options);
  }

  private static Estimate estimate(LinearOperator a, DoubleUnaryOperator f, StochasticLanczosQuadratureOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    int n = a.rows();
    HutchinsonOptions p = options.probes();
    Products products = new Products(a, ProductPrecision.F64, NAME);
    IterativeChecks.symmetric(NAME, a, products, p.seed());
    LanczosOptions lanczos = LanczosOptions.defaults().withMaxIterations(options.lanczosIterations())
        .withReorthogonalization(options.reorthogonalize()).withKeepBasis(false).withSymmetryCheck(false);
    SplittableRandom rng = new SplittableRandom(p.seed());
    RunningMean stats = new RunningMean(1);
    int blocks = 0;
    while (stats.count() < p.maxProbes()) {
      int k = Math.min(p.blockSize(), p.maxProbes() - stats.count());
      double[] z = new double[n * k];
      p.distribution().fill(z, rng);
      LanczosResult lr = Lanczos.run(a, Blocks.wrap(z, n, k), lanczos, products);
      List<Tridiagonal> ts = lr.tridiagonals();
      double[] norms = lr.startNorms();
      for (int j = 0; j < k; j++) {
        stats.add(new double[] {norms[j] * norms[j] * quadrature(ts.get(j), f, blocks, j)});
      }
      blocks++;
      double est = stats.mean()[0];
      double se = stats.standardError()[0];
      p.listener().iteration(NAME, blocks, se / Math.abs(est));
      if (stats.count() >= 2 && se <= p.tolerance() * Math.abs(est)) {
        return new Estimate(est, se, stats.count(), products.count(), true, StopReason.CONVERGED);
      }
    }
    return new Estimate(stats.mean()[0], stats.standardError()[0], stats.count(), products.count(), false,
        StopReason.MAX_ITERATIONS);
  }

  /** e₁ᵀ f(T) e₁ = Σ_j S_{1j}² f(θ_j); f = null means log with the positivity check. */
  private static double quadrature(Tridiagonal t, DoubleUnaryOperator f, int block, int column) {
    SymmetricEigen eig = t.eigen();
    double[] theta = eig.values();
    Matrix s = eig.vectors();
    double sum = 0;
    for (int j = 0; j < theta.length; j++) {
      double value;
      if (f == null) {
        if (!(theta[j] > 0)) {
          throw new StructuraException(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE,
              NAME + ": Ritz value " + theta[j] + " ≤ 0 (probe " + column + " of block " + block
                  + "), so the operator is not positive definite and log det is undefined.",
              "Check that the operator is symmetric positive definite (add the noise or jitter term).");
        }
        value = Math.log(theta[j]);
      } else {
        value = f.applyAsDouble(theta[j]);
      }
      double tau = s.get(0, j);
      sum += tau * tau * value;
    }
    return sum;
  }
}
