package structura.algorithms.spectral;

import java.io.Serializable;

/**
 * A test hook: replaces the answer of a partition with what a faulty or adversarial node would
 * send (a valid orthonormal basis, otherwise arbitrary), after the honest local computation and on
 * the worker, as a real fault would. Production runs use {@link #NONE}.
 */
@FunctionalInterface
public interface NodeFault extends Serializable {
  /** No fault: every partition answers honestly. */
  NodeFault NONE = RoundFunctions.Honest.INSTANCE;

  /** What partition {@code honest.partition()} sends instead of {@code honest}. */
  LocalEigenspace answer(LocalEigenspace honest);
}
