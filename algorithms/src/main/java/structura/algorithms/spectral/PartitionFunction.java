package structura.algorithms.spectral;

import java.io.Serializable;
import structura.api.Matrix;

/**
 * The work done on one row partition in a round: reads the partition's rows and returns a small
 * result. Serializable because a distributed engine ships it to the workers.
 *
 * <p><b>Contract for implementers.</b> Must not modify {@code rows} (an engine may hand the same
 * cached block to a retried task) and must be deterministic in (partition, rows): engines retry
 * failed tasks and the answer must not change.
 *
 * @param <R> the partition's result; small (independent of the number of rows) and serializable
 */
@FunctionalInterface
public interface PartitionFunction<R extends Serializable> extends Serializable {
  /**
   * @param partition index of the partition, 0-based
   * @param rows the partition's rows, r×d F64, r ≥ 1; read only
   */
  R apply(int partition, Matrix rows);
}
