package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link Lanczos}.
 *
 * @param maxIterations the largest Krylov dimension m (capped at n); default 100 (CoLA's
 *     function default)
 * @param tolerance stop a column when β_j ≤ tolerance·max(|α|, |β| so far): the Krylov space is
 *     numerically invariant; default 1e-7 (CoLA's); in (0, 1)
 * @param reorthogonalize full re-orthogonalization of each new vector against all earlier ones,
 *     twice (CoLA's {@code do_double_gram}); costs 4·j·n flops at step j and keeps the basis;
 *     default true
 * @param keepBasis return the basis Q (n×m per column); forced on by re-orthogonalization, which
 *     needs it anyway; default true
 * @param checkSymmetry run the two-product randomized symmetry test first; default true
 * @param seed seed of that test; default 0
 * @param listener progress per step; default none
 */
public record LanczosOptions(int maxIterations, double tolerance, boolean reorthogonalize, boolean keepBasis,
    boolean checkSymmetry, long seed, IterationListener listener) {
  /** Validates. */
  public LanczosOptions {
    IterativeChecks.atLeast("LanczosOptions", "maxIterations", maxIterations, 1);
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "LanczosOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-7.");
    }
    Objects.requireNonNull(listener, "listener");
  }

  /** 100 steps, tolerance 1e-7, full re-orthogonalization, basis kept. */
  public static LanczosOptions defaults() {
    return new LanczosOptions(100, 1e-7, true, true, true, 0, IterationListener.NONE);
  }

  public LanczosOptions withMaxIterations(int v) {
    return new LanczosOptions(v, tolerance, reorthogonalize, keepBasis, checkSymmetry, seed, listener);
  }

  public LanczosOptions withTolerance(double v) {
    return new LanczosOptions(maxIterations, v, reorthogonalize, keepBasis, checkSymmetry, seed, listener);
  }

  public LanczosOptions withReorthogonalization(boolean v) {
    return new LanczosOptions(maxIterations, tolerance, v, keepBasis, checkSymmetry, seed, listener);
  }

  public LanczosOptions withKeepBasis(boolean v) {
    return new LanczosOptions(maxIterations, tolerance, reorthogonalize, v, checkSymmetry, seed, listener);
  }

  public LanczosOptions withSymmetryCheck(boolean v) {
    return new LanczosOptions(maxIterations, tolerance, reorthogonalize, keepBasis, v, seed, listener);
  }

  public LanczosOptions withSeed(long v) {
    return new LanczosOptions(maxIterations, tolerance, reorthogonalize, keepBasis, checkSymmetry, v, listener);
  }

  public LanczosOptions withListener(IterationListener v) {
    return new LanczosOptions(maxIterations, tolerance, reorthogonalize, keepBasis, checkSymmetry, seed, v);
  }
}
