package structura.algorithms.kernel;

import java.util.Objects;
import structura.algorithms.iterative.IterationListener;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link IterativeGaussianProcess} and {@link MarginalLikelihoodFit}.
 *
 * @param cgTolerance relative residual at which the PCG solves with K + σ²I stop; default 1e-8
 *     (tight enough for posterior means within 1e-6 of the Cholesky GP)
 * @param maxIterations cap on CG iterations per solve; default 1000
 * @param preconditioner which preconditioner the PCG solves use; default
 *     {@link PreconditionerKind#PIVOTED_CHOLESKY}
 * @param preconditionerRank rank of the pivoted-Cholesky preconditioner L·Lᵀ + σ²I (GPyTorch uses
 *     15; a larger rank pays off when σ² is small); default 100; 0 = none
 * @param neighbours earlier points per column of the {@link PreconditionerKind#VECCHIA} factor;
 *     default 30
 * @param varianceMethod how predictive variances are computed; default {@link VarianceMethod#CG}
 * @param loveRank Lanczos steps of the {@link VarianceMethod#LOVE} cache; default 100
 * @param probes Rademacher probes of the trace estimates (gradient) and of the SLQ
 *     log-determinant; default 16
 * @param lanczosIterations Lanczos steps per probe in the SLQ log-determinant; default 50
 * @param seed seed of the probes; default 0
 * @param listener progress of the CG solves and of the fit; default none
 */
public record IterativeGaussianProcessOptions(double cgTolerance, int maxIterations, PreconditionerKind preconditioner,
    int preconditionerRank, int neighbours, VarianceMethod varianceMethod, int loveRank, int probes, int lanczosIterations, long seed, IterationListener listener) {

  /** The preconditioner of the solves with A = K + σ²I. */
  public enum PreconditionerKind {
    /**
     * P = L·Lᵀ + σ²I, L the rank-{@code preconditionerRank} pivoted Cholesky factor of K: for
     * kernels that are numerically low rank (long lengthscales, or noise not much below the
     * spectrum's tail).
     */
    PIVOTED_CHOLESKY,
    /**
     * P⁻¹ = U·Uᵀ, the sparse inverse-Cholesky (Vecchia) factor on {@code neighbours} nearest
     * earlier points in a random ordering ({@link VecchiaPreconditioner}): for local kernels with
     * small noise, where K has too many eigenvalues above σ² for any low rank.
     */
    VECCHIA
  }

  /** How predictive variances are computed. */
  public enum VarianceMethod {
    /** Exact up to the CG tolerance: PCG solves on blocks of 64 test cross-covariance columns, k*ᵀ(K + σ²I)⁻¹k*. */
    CG,
    /**
     * LOVE-style (Pleiss, Gardner, Weinberger and Wilson, ICML 2018): one Lanczos run of loveRank
     * steps on K + σ²I, started from the mean test cross-covariance column, gives
     * (K + σ²I)⁻¹ ≈ Q·T⁻¹·Qᵀ;
     * each variance then costs one row of k(x*, X)·Q. The Krylov space under-resolves each k*,
     * so variances come out too large (conservative): within about 11% of the exact ones at
     * N = 1000, σ_n² = 0.01 in the tests, most of it in the latent part. For large test sets.
     */
    LOVE,
    /**
     * The exact conditional variance of y* given only its {@code neighbours} nearest training
     * points (k** − k*Sᵀ(K_SS + σ²I)⁻¹k*S + σ², one small Cholesky per test point): the Vecchia
     * prediction. Conditioning on a subset can only raise the variance, so it is an upper bound
     * on the exact one, and tight for local kernels whose screening makes far points irrelevant.
     * O(M·N·d) search plus O(M·m³).
     */
    NEAREST
  }

  /** Validates. */
  public IterativeGaussianProcessOptions {
    if (!(cgTolerance > 0 && cgTolerance < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "IterativeGaussianProcessOptions: cgTolerance = " + cgTolerance + " must be in (0, 1).", "Pass for example 1e-8.");
    }
    Objects.requireNonNull(preconditioner, "preconditioner");
    if (neighbours < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "IterativeGaussianProcessOptions: neighbours = " + neighbours + ".", "Pass at least 1 neighbour (default 30).");
    }
    if (maxIterations < 1 || preconditionerRank < 0 || loveRank < 1 || probes < 2 || lanczosIterations < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "IterativeGaussianProcessOptions: maxIterations " + maxIterations + ", preconditionerRank " + preconditionerRank
              + ", loveRank " + loveRank + ", probes " + probes + ", lanczosIterations " + lanczosIterations + ".",
          "Pass maxIterations, loveRank, lanczosIterations ≥ 1, preconditionerRank ≥ 0 and probes ≥ 2.");
    }
    Objects.requireNonNull(varianceMethod, "varianceMethod");
    Objects.requireNonNull(listener, "listener");
  }

  /**
   * CG tolerance 1e-8, 1000 iterations, pivoted-Cholesky preconditioner of rank 100 (30 neighbours
   * if switched to Vecchia), CG variances, 16 probes, 50 Lanczos steps, seed 0.
   */
  public static IterativeGaussianProcessOptions defaults() {
    return new IterativeGaussianProcessOptions(1e-8, 1000, PreconditionerKind.PIVOTED_CHOLESKY, 100, 30, VarianceMethod.CG, 100, 16, 50, 0,
        IterationListener.NONE);
  }

  public IterativeGaussianProcessOptions withCgTolerance(double v) {
    return new IterativeGaussianProcessOptions(v, maxIterations, preconditioner, preconditionerRank, neighbours, varianceMethod, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withMaxIterations(int v) {
    return new IterativeGaussianProcessOptions(cgTolerance, v, preconditioner, preconditionerRank, neighbours, varianceMethod, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withPreconditioner(PreconditionerKind v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, v, preconditionerRank, neighbours, varianceMethod, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withPreconditionerRank(int v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, v, neighbours, varianceMethod, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withNeighbours(int v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, v, varianceMethod, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withVarianceMethod(VarianceMethod v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, neighbours, v, loveRank, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withLoveRank(int v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, neighbours, varianceMethod, v, probes, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withProbes(int v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, neighbours, varianceMethod, loveRank, v, lanczosIterations, seed, listener);
  }

  public IterativeGaussianProcessOptions withSeed(long v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, neighbours, varianceMethod, loveRank, probes, lanczosIterations, v, listener);
  }

  public IterativeGaussianProcessOptions withListener(IterationListener v) {
    return new IterativeGaussianProcessOptions(cgTolerance, maxIterations, preconditioner, preconditionerRank, neighbours, varianceMethod, loveRank, probes, lanczosIterations, seed, v);
  }
}
