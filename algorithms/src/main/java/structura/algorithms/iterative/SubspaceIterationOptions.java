package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link SubspaceIteration}.
 *
 * @param rank r, the number of leading eigenvectors; ≥ 1
 * @param gap the eigengap λ_r − λ_{r+1} (or a lower bound on it) that the certified bounds divide
 *     by; required, positive (the paper's code takes it as an input too, default 1)
 * @param tolerance ε; default 1e-4 (the paper's setting)
 * @param criterion which bound must fall below ε; default {@link StoppingCriterion#L2_TO_INFINITY}
 * @param maxIterations cap; default 1000
 * @param seed of the Gaussian start block; default 0
 * @param listener progress per iteration (the criterion's bound); default none
 */
public record SubspaceIterationOptions(int rank, double gap, double tolerance, StoppingCriterion criterion,
    int maxIterations, long seed, IterationListener listener) {
  /** Validates. */
  public SubspaceIterationOptions {
    IterativeChecks.atLeast("SubspaceIterationOptions", "rank", rank, 1);
    IterativeChecks.positive("SubspaceIterationOptions", "gap", gap);
    IterativeChecks.positive("SubspaceIterationOptions", "tolerance", tolerance);
    Objects.requireNonNull(criterion, "criterion");
    IterativeChecks.atLeast("SubspaceIterationOptions", "maxIterations", maxIterations, 1);
    Objects.requireNonNull(listener, "listener");
  }

  /** Rank r with eigengap {@code gap}; ε = 1e-4, ℓ2→∞ criterion, 1000 iterations, seed 0. */
  public static SubspaceIterationOptions of(int rank, double gap) {
    return new SubspaceIterationOptions(rank, gap, 1e-4, StoppingCriterion.L2_TO_INFINITY, 1000, 0,
        IterationListener.NONE);
  }

  public SubspaceIterationOptions withTolerance(double v) {
    return new SubspaceIterationOptions(rank, gap, v, criterion, maxIterations, seed, listener);
  }

  public SubspaceIterationOptions withCriterion(StoppingCriterion v) {
    return new SubspaceIterationOptions(rank, gap, tolerance, v, maxIterations, seed, listener);
  }

  public SubspaceIterationOptions withMaxIterations(int v) {
    return new SubspaceIterationOptions(rank, gap, tolerance, criterion, v, seed, listener);
  }

  public SubspaceIterationOptions withSeed(long v) {
    return new SubspaceIterationOptions(rank, gap, tolerance, criterion, maxIterations, v, listener);
  }

  public SubspaceIterationOptions withListener(IterationListener v) {
    return new SubspaceIterationOptions(rank, gap, tolerance, criterion, maxIterations, seed, v);
  }
}
