package structura.algorithms.spectral;

import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A round over partitioned data could not complete: {@code STRUCTURA-D001} for partitions that
 * cannot be used (empty, ragged), {@code STRUCTURA-D002} for a task that failed for good,
 * {@code STRUCTURA-D003} for an engine that cannot run.
 */
public class PartitionedJobException extends StructuraException {
  private static final long serialVersionUID = 1L;

  /**
   * @param code one of the {@code STRUCTURA-D*} codes
   * @param detail what failed, naming the partition or engine
   * @param remedy what to do
   * @param cause the engine's failure; may be null
   */
  public PartitionedJobException(ErrorCode code, String detail, String remedy, Throwable cause) {
    super(code, detail, remedy, cause);
  }

  /** The error for partition {@code index} holding no rows. */
  public static PartitionedJobException emptyPartition(int index, int partitions) {
    return new PartitionedJobException(ErrorCode.PARTITION_INVALID,
        "Partition " + index + " of " + partitions + " holds no rows.",
        "Use fewer partitions than rows, or repartition the data so that none is empty.", null);
  }
}
