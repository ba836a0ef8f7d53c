package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link LanczosEigensolver}.
 *
 * @param maxIterations the largest Krylov dimension m (capped at n); the basis Q (n×m doubles) is
 *     kept for full re-orthogonalization, so memory is 8·n·m bytes; default 300
 * @param tolerance a Ritz pair (θ, v) has converged when ‖A·v − θ·v‖ ≤ tolerance·‖A‖, with ‖A‖
 *     estimated by the largest |Ritz value|; default 1e-8; in (0, 1)
 * @param checkEvery test the Ritz pairs every this many steps (an O(j³) tridiagonal eigensolve at
 *     dimension j, negligible beside the products for j in the hundreds); default 5
 * @param checkSymmetry run the two-product randomized symmetry test first (skipped for operators
 *     tagged symmetric or PSD); default true
 * @param seed seed of the Gaussian start vector and of the symmetry test; default 0
 * @param listener progress once per Lanczos step; default none
 */
public record LanczosEigensolverOptions(int maxIterations, double tolerance, int checkEvery, boolean checkSymmetry,
    long seed, IterationListener listener) {
  /** Validates. */
  public LanczosEigensolverOptions {
    IterativeChecks.atLeast("LanczosEigensolverOptions", "maxIterations", maxIterations, 1);
    IterativeChecks.atLeast("LanczosEigensolverOptions", "checkEvery", checkEvery, 1);
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "LanczosEigensolverOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-8.");
    }
    Objects.requireNonNull(listener, "listener");
  }

  /** 300 steps, tolerance 1e-8, checks every 5 steps, symmetry test on, seed 0. */
  public static LanczosEigensolverOptions defaults() {
    return new LanczosEigensolverOptions(300, 1e-8, 5, true, 0, IterationListener.NONE);
  }

  public LanczosEigensolverOptions withMaxIterations(int v) {
    return new LanczosEigensolverOptions(v, tolerance, checkEvery, checkSymmetry, seed, listener);
  }

  public LanczosEigensolverOptions withTolerance(double v) {
    return new LanczosEigensolverOptions(maxIterations, v, checkEvery, checkSymmetry, seed, listener);
  }

  public LanczosEigensolverOptions withCheckEvery(int v) {
    return new LanczosEigensolverOptions(maxIterations, tolerance, v, checkSymmetry, seed, listener);
  }

  public LanczosEigensolverOptions withSymmetryCheck(boolean v) {
    return new LanczosEigensolverOptions(maxIterations, tolerance, checkEvery, v, seed, listener);
  }

  public LanczosEigensolverOptions withSeed(long v) {
    return new LanczosEigensolverOptions(maxIterations, tolerance, checkEvery, checkSymmetry, v, listener);
  }

  public LanczosEigensolverOptions withListener(IterationListener v) {
    return new LanczosEigensolverOptions(maxIterations, tolerance, checkEvery, checkSymmetry, seed, v);
  }
}
