package structura.algorithms.spectral;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A place where partitioned rounds run: the in-process thread pool, or a Spark context. Opened
 * through a {@link PartitionEngineProvider}; holds resources (threads, a SparkContext) until
 * {@link #close()}.
 */
public interface PartitionEngine extends AutoCloseable {
  /** The provider's id, for example {@code "local"} or {@code "spark"}. */
  String id();

  /** One line for logs: the id and what it runs on (threads, master URL). */
  String describe();

  /**
   * The rows of {@code source} as partitioned data on this engine, keeping its partitioning:
   * partition i of the result holds exactly the rows of {@code source.partition(i)}.
   */
  PartitionedRows distribute(PartitionSource source);

  /**
   * The rows of a file in a format this engine reads itself, on its workers, so the data never
   * passes through the caller (Spark: Parquet). Empty when the engine does not read this file's
   * format; the caller then reads the file and calls {@link #distribute}. The default reads none.
   *
   * @param file the data file (or directory of part files)
   * @param partitions row partitions P; 0 keeps the engine's own split of the file
   * @throws structura.api.StructuraException {@code STRUCTURA-F002} naming the file and column when
   *     the file holds data that is not a numeric matrix
   */
  default Optional<PartitionedRows> read(Path file, int partitions) {
    return Optional.empty();
  }

  /** Releases the engine's threads or context. */
  @Override
  void close();
}
