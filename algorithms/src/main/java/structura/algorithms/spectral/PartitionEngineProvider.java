package structura.algorithms.spectral;

import java.time.Duration;

/**
 * Found with {@link java.util.ServiceLoader}: lets a caller (the CLI's {@code --engine}) open an
 * engine that is not on its compile path, such as the optional Spark module on the class path.
 *
 * <p><b>Contract for implementers.</b> The constructor and {@link #id()} are cheap and never
 * throw; {@link #open} fails with {@code STRUCTURA-D003} when the engine cannot run (master
 * unreachable within {@code timeout}), naming what was tried.
 */
public interface PartitionEngineProvider {
  /** Stable id, for example {@code "spark"}. */
  String id();

  /**
   * @param master where to run: an engine-specific URL (Spark: {@code local[*]}, {@code local[2,3]},
   *     {@code spark://host:7077}); null for the engine's default
   * @param threads worker threads for in-process engines; 0 for the engine's default
   * @param timeout how long to wait for the engine to accept work before failing
   * @throws PartitionedJobException {@code STRUCTURA-D003} if the engine cannot start or answer
   */
  PartitionEngine open(String master, int threads, Duration timeout);
}
