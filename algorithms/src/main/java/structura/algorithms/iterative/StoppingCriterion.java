package structura.algorithms.iterative;

/** Which error {@link SubspaceIteration} certifies before it stops. */
public enum StoppingCriterion {
  /** Davis–Kahan: ‖sin Θ(V, V*)‖₂ ≤ ‖AV − VD‖₂/gap ≤ ε. */
  L2,
  /**
   * Entrywise: the bound of Charisopoulos, Benson and Damle on min_O ‖V − V*O‖_{2→∞} (largest row
   * norm) is at most ε; a row-wise error can be far below the spectral one, so this stops earlier.
   */
  L2_TO_INFINITY
}
