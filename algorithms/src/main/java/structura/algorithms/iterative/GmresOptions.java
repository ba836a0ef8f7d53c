package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Options of {@link Gmres}.
 *
 * @param tolerance stop column j when ‖b_j − A·x_j‖ ≤ tolerance·‖b_j‖; default 1e-6 (CoLA's); in (0, 1)
 * @param restart Krylov dimension per cycle, GMRES(m); default 50
 * @param maxIterations cap on Arnoldi steps per column over all cycles; default 1000 (CoLA's)
 * @param preconditioner right preconditioner M ≈ A (M⁻¹ applied through
 *     {@link Preconditioner#applyInverse}; symmetry not required here), or null for none (default)
 * @param initialGuess X₀ (n×k) or null for zero (default)
 * @param listener progress per step (relative residual of the running column); default none
 */
public record GmresOptions(double tolerance, int restart, int maxIterations, Preconditioner preconditioner,
    Matrix initialGuess, IterationListener listener) {
  /** Validates. */
  public GmresOptions {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "GmresOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-6.");
    }
    IterativeChecks.atLeast("GmresOptions", "restart", restart, 1);
    IterativeChecks.atLeast("GmresOptions", "maxIterations", maxIterations, 1);
    Objects.requireNonNull(listener, "listener");
  }

  /** Tolerance 1e-6, GMRES(50), 1000 steps, no preconditioner. */
  public static GmresOptions defaults() {
    return new GmresOptions(1e-6, 50, 1000, null, null, IterationListener.NONE);
  }

  public GmresOptions withTolerance(double v) {
    return new GmresOptions(v, restart, maxIterations, preconditioner, initialGuess, listener);
  }

  public GmresOptions withRestart(int v) {
    return new GmresOptions(tolerance, v, maxIterations, preconditioner, initialGuess, listener);
  }

  public GmresOptions withMaxIterations(int v) {
    return new GmresOptions(tolerance, restart, v, preconditioner, initialGuess, listener);
  }

  public GmresOptions withPreconditioner(Preconditioner v) {
    return new GmresOptions(tolerance, restart, maxIterations, v, initialGuess, listener);
  }

  public GmresOptions withInitialGuess(Matrix v) {
    return new GmresOptions(tolerance, restart, maxIterations, preconditioner, v, listener);
  }

  public GmresOptions withListener(IterationListener v) {
    return new GmresOptions(tolerance, restart, maxIterations, preconditioner, initialGuess, v);
  }
}
