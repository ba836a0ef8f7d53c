package structura.algorithms.iterative;

/**
 * Receives the progress of an iterative method, once per iteration, on the thread that runs it.
 * The defaults ignore everything, so a listener overrides only what it needs. Listeners must not
 * throw; they observe and cannot steer the iteration.
 */
public interface IterationListener {
  /** A listener that ignores everything. */
  IterationListener NONE = new IterationListener() {};

  /**
   * Iteration {@code iteration} (1-based) of {@code method} finished.
   *
   * @param method the method's class name, for example {@code "ConjugateGradient"}
   * @param iteration iterations done so far
   * @param residual the method's progress measure after it (the largest relative residual over the
   *     columns for solvers; the largest β_j/‖T‖ over the running columns for Lanczos; the
   *     relative standard error for estimators)
   */
  default void iteration(String method, int iteration, double residual) {}
}
