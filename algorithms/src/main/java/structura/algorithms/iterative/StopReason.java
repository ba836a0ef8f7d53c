package structura.algorithms.iterative;

/** Why an iterative method stopped. Only {@link #CONVERGED} goes with {@code converged() == true}. */
public enum StopReason {
  /** The stopping rule held on a residual recomputed from the operator. */
  CONVERGED,
  /** The iteration cap was reached before the stopping rule held. */
  MAX_ITERATIONS,
  /**
   * The recurrence claimed convergence but the residual recomputed from the operator did not meet
   * the tolerance and no further correction was allowed (low-precision products: the attainable
   * accuracy floor of plain CG).
   */
  STAGNATED,
  /** An exact invariant subspace was found (Lanczos, Arnoldi): the Krylov space cannot grow. */
  INVARIANT_SUBSPACE
}
