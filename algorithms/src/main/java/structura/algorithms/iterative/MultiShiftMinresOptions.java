package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link MultiShiftMinres}.
 *
 * @param tolerance stop when, for every shift and column, ‖b_j − (A + σ_q I)x_{qj}‖ ≤
 *     tolerance·‖b_j‖ (the MINRES residual estimate while iterating, recomputed at the end);
 *     default 1e-5; in (0, 1)
 * @param maxIterations cap on Lanczos steps; default 1000 (GPyTorch's {@code max_cg_iterations})
 * @param checkSymmetry run the two-product randomized symmetry test first; default true
 * @param seed seed of that test; default 0
 * @param listener progress per step (largest relative residual estimate); default none
 * @param reorthogonalize re-orthogonalize each new Lanczos vector against all previous ones
 *     (classical Gram–Schmidt, twice), one basis shared by every shift; default false. Costs
 *     O(m·n·k) flops at step m and keeps all m basis blocks (m·n·k doubles); without it the basis
 *     loses orthogonality as Ritz values converge, which delays convergence and, on very
 *     ill-conditioned operators (κ ≈ 1e8), stalls it above small tolerances
 */
public record MultiShiftMinresOptions(double tolerance, int maxIterations, boolean checkSymmetry, long seed,
    IterationListener listener, boolean reorthogonalize) {
  /** Validates. */
  public MultiShiftMinresOptions {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "MultiShiftMinresOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-5.");
    }
    IterativeChecks.atLeast("MultiShiftMinresOptions", "maxIterations", maxIterations, 1);
    Objects.requireNonNull(listener, "listener");
  }

  /** Tolerance 1e-5, 1000 steps, symmetry test on, no re-orthogonalization. */
  public static MultiShiftMinresOptions defaults() {
    return new MultiShiftMinresOptions(1e-5, 1000, true, 0, IterationListener.NONE, false);
  }

  public MultiShiftMinresOptions withTolerance(double v) {
    return new MultiShiftMinresOptions(v, maxIterations, checkSymmetry, seed, listener, reorthogonalize);
  }

  public MultiShiftMinresOptions withMaxIterations(int v) {
    return new MultiShiftMinresOptions(tolerance, v, checkSymmetry, seed, listener, reorthogonalize);
  }

  public MultiShiftMinresOptions withSymmetryCheck(boolean v) {
    return new MultiShiftMinresOptions(tolerance, maxIterations, v, seed, listener, reorthogonalize);
  }

  public MultiShiftMinresOptions withListener(IterationListener v) {
    return new MultiShiftMinresOptions(tolerance, maxIterations, checkSymmetry, seed, v, reorthogonalize);
  }

  public MultiShiftMinresOptions withReorthogonalization(boolean v) {
    return new MultiShiftMinresOptions(tolerance, maxIterations, checkSymmetry, seed, listener, v);
  }
}
