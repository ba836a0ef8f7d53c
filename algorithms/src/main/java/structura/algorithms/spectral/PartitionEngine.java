package structura.algorithms.spectral;

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

  /** Releases the engine's threads or context. */
  @Override
  void close();
}
