package structura.algorithms.spectral;

import java.io.Serializable;
import java.util.List;
import structura.api.Matrix;

/**
 * Where the rows of each partition come from: stored blocks or a generator that makes partition i
 * on demand, so data larger than memory never exists as one array. Serializable so a distributed
 * engine can rebuild partitions on its workers.
 */
public interface PartitionSource extends Serializable {
  /** Number of partitions P. */
  int partitionCount();

  /** Columns d of every partition. */
  int columns();

  /**
   * The rows of partition {@code index} (r×d F64). Deterministic: the same index gives the same
   * rows every time. The caller may modify the returned matrix only if {@link #freshCopies()}.
   */
  Matrix partition(int index);

  /** Whether {@link #partition} returns a new matrix on every call (generators do). */
  boolean freshCopies();

  /** Stored blocks, used as given (not copied; callers must not modify them afterwards). */
  static PartitionSource of(List<Matrix> blocks) {
    return StoredPartitions.of(blocks);
  }

  /**
   * Splits {@code rows} into {@code partitions} contiguous blocks of ⌊m/P⌋ or ⌈m/P⌉ rows (views,
   * no copy; the first m mod P blocks have one row more).
   */
  static PartitionSource split(Matrix rows, int partitions) {
    return StoredPartitions.split(rows, partitions);
  }
}
