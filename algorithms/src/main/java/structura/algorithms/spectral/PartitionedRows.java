package structura.algorithms.spectral;

import java.io.Serializable;

/**
 * A data matrix held as row partitions that the caller never sees whole: the only access is a
 * round that maps a function over every partition and reduces the small results.
 *
 * <p>One call of {@link #mapReduce} is one round and one pass over the data. Methods in this
 * package state how many rounds they make; {@link #passes()} counts what actually ran, so tests
 * and reports measure it instead of trusting the claim.
 *
 * <p><b>Contract for implementers.</b>
 * <ul>
 *   <li>{@link #mapReduce} calls {@code map} once per partition (retries of failed tasks
 *       excepted), on rows that form a non-empty r×d F64 matrix, and merges every result with
 *       {@code combine}; it increments {@link #passes()} by one.</li>
 *   <li>A partition with no rows is an error ({@code STRUCTURA-D001}), not a silently skipped
 *       result: estimators weight partitions and a missing one changes the answer.</li>
 *   <li>A task that fails for good ends the round with {@link PartitionedJobException}
 *       ({@code STRUCTURA-D002}) carrying the cause.</li>
 * </ul>
 * Implementations: {@link InProcessPartitions} (a thread pool, the embedded default) and the
 * optional {@code structura-spark} module (Spark RDDs).
 */
public interface PartitionedRows {
  /** Number of row partitions P. */
  int partitionCount();

  /** Number of columns d (the dimension of the rows). */
  int columns();

  /**
   * One round: {@code map} on every partition, results merged by {@code combine}.
   *
   * @return the merge of all P partition results
   * @throws PartitionedJobException {@code STRUCTURA-D001} for an empty partition,
   *     {@code STRUCTURA-D002} when a task fails for good
   */
  <R extends Serializable> R mapReduce(PartitionFunction<R> map, PartitionCombiner<R> combine);

  /** Rounds (passes over the data) run so far through this object. */
  long passes();
}
