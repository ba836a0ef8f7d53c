package structura.algorithms.spectral;

import java.io.Serializable;

/**
 * Merges two partition results. Must be associative and commutative: engines reduce in any tree
 * shape and order (Spark's treeAggregate), and the answer must not depend on it.
 *
 * @param <R> the partition result type
 */
@FunctionalInterface
public interface PartitionCombiner<R extends Serializable> extends Serializable {
  /** The merge of {@code a} and {@code b}; may return a new value or one of its arguments updated. */
  R combine(R a, R b);
}
