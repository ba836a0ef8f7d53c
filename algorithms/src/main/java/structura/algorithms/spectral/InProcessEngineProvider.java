package structura.algorithms.spectral;

import java.time.Duration;

/** The {@code local} engine: {@link InProcessPartitions} on a thread pool of its own. */
public final class InProcessEngineProvider implements PartitionEngineProvider {
  /** Public for {@link java.util.ServiceLoader}. */
  public InProcessEngineProvider() {}

  @Override
  public String id() {
    return "local";
  }

  @Override
  public PartitionEngine open(String master, int threads, Duration timeout) {
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    return new PartitionEngine() {
      private final java.util.List<InProcessPartitions> opened = new java.util.ArrayList<>();

      @Override
      public String id() {
        return "local";
      }

      @Override
      public String describe() {
        return "local (in-process, " + n + " threads)";
      }

      @Override
      public PartitionedRows distribute(PartitionSource source) {
        InProcessPartitions rows = new InProcessPartitions(source, n);
        opened.add(rows);
        return rows;
      }

      @Override
      public void close() {
        opened.forEach(InProcessPartitions::close);
      }
    };
  }
}
