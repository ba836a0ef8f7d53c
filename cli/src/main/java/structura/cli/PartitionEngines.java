package structura.cli;

import java.time.Duration;
import java.util.ServiceLoader;
import structura.algorithms.spectral.PartitionEngine;
import structura.algorithms.spectral.PartitionEngineProvider;
import structura.algorithms.spectral.PartitionedJobException;
import structura.api.ErrorCode;

/**
 * Finds the {@code --engine} among the {@link PartitionEngineProvider}s visible to
 * {@link ServiceLoader}: {@code local} is always there (structura.algorithms); {@code spark}
 * only when the optional structura-spark module and Spark are on the class path. The CLI has no
 * compile-time dependency on Spark.
 */
final class PartitionEngines {
  private PartitionEngines() {}

  static PartitionEngine open(String id, String master, int threads, Duration timeout) {
    for (PartitionEngineProvider p : ServiceLoader.load(PartitionEngineProvider.class)) {
      if (p.id().equals(id)) {
        return p.open(master, threads, timeout);
      }
    }
    String remedy = "spark".equals(id)
        ? "Build the optional module (./mvnw -pl spark -am -DskipTests package) and run with it on the class path: "
            + "STRUCTURA_SPARK=1 ./structura pca ... adds spark/target/structura-spark-*.jar and the jars in "
            + "spark/target/classpath.txt with Spark's JVM options; or use --engine local."
        : "Use --engine local or --engine spark.";
    throw new PartitionedJobException(ErrorCode.ENGINE_UNAVAILABLE, "No partition engine '" + id + "' is available.",
        remedy, null);
  }
}
