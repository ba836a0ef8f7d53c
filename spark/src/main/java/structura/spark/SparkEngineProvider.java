package structura.spark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import structura.algorithms.spectral.PartitionEngine;
import structura.algorithms.spectral.PartitionEngineProvider;
import structura.algorithms.spectral.PartitionSource;
import structura.algorithms.spectral.PartitionedJobException;
import structura.algorithms.spectral.PartitionedRows;
import structura.api.ErrorCode;

/**
 * The {@code spark} engine, found by {@link java.util.ServiceLoader} when this module is on the
 * class path: starts a SparkContext for a master URL ({@code local[*]} by default; any URL is
 * passed through for a real cluster) and checks within a timeout that it runs a job. A SparkContext
 * already running in the JVM with the same master is used instead (and left running on close).
 *
 * <p>Local masters bind to 127.0.0.1 only (driver host and bind address), never beyond loopback;
 * the web UI is off; the Java serializer is used (Kryo 4 cannot serialize records); logging is
 * quieted to warnings unless {@code log4j2.configurationFile} is already set. Besides
 * {@link PartitionEngine#distribute}, the engine reads Parquet input itself ({@link PartitionEngine#read}). The JVM needs Spark's
 * {@code --add-opens} list and {@code --sun-misc-unsafe-memory-access=allow} (see this module's
 * pom, {@code spark.jvm.args}).
 */
public final class SparkEngineProvider implements PartitionEngineProvider {
  /** Default master: all local cores, in process. */
  public static final String DEFAULT_MASTER = "local[*]";

  /**
   * Held so the levels stick (java.util.logging keeps loggers weakly): when SLF4J routes Spark to
   * java.util.logging (the CLI's module path has slf4j-jdk14), its start-up INFO lines are dropped.
   */
  private static final java.util.logging.Logger[] QUIET = {
      java.util.logging.Logger.getLogger("org.apache.spark"), java.util.logging.Logger.getLogger("org.sparkproject"),
      java.util.logging.Logger.getLogger("org.apache.hadoop")};

  /** Public for {@link java.util.ServiceLoader}. */
  public SparkEngineProvider() {}

  @Override
  public String id() {
    return "spark";
  }

  @Override
  public PartitionEngine open(String master, int threads, Duration timeout) {
    String url = master == null || master.isBlank() ? DEFAULT_MASTER : master;
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:structura-spark-log4j2.properties");
    }
    for (java.util.logging.Logger l : QUIET) {
      l.setLevel(java.util.logging.Level.WARNING);
    }
    ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "structura-spark-start");
      t.setDaemon(true);
      return t;
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    long before = System.currentTimeMillis();
    // getOrCreate: Spark allows one SparkContext per JVM, so a running one (an embedding
    // application's, a test's) is used, and left running on close.
    Future<JavaSparkContext> started = starter.submit(
        () -> JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate(conf(url))));
    JavaSparkContext context;
    try {
      context = started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      started.cancel(true);
      throw unreachable(url, timeout, e);
    } catch (ExecutionException e) {
      throw unreachable(url, timeout, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(url, timeout, e);
    } finally {
      starter.shutdown();
    }
    boolean owned = context.sc().startTime() >= before;
    if (!owned && !context.master().equals(url)) {
      throw new PartitionedJobException(ErrorCode.ENGINE_UNAVAILABLE, "Spark master '" + url
          + "' asked for, but this JVM already runs a SparkContext with master '" + context.master() + "'.",
          "Spark allows one SparkContext per JVM: ask for master '" + context.master() + "', or stop the other context.", null);
    }
    // A standalone or cluster master accepts the context before any executor exists: a first job
    // proves that work runs.
    JavaFutureAction<Long> probe = context.parallelize(List.of(1), 1).countAsync();
    try {
      probe.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      probe.cancel(true);
      if (owned) {
        context.stop();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw unreachable(url, timeout, e);
    }
    return new SparkEngine(context, owned);
  }

  /** The configuration this engine runs with, for {@code master}. */
  public static SparkConf conf(String master) {
    SparkConf conf = new SparkConf().setMaster(master).setAppName("structura")
        .set("spark.ui.enabled", "false")
        .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    if (master.startsWith("local")) {
      conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
    }
    return conf;
  }

  private static PartitionedJobException unreachable(String url, Duration timeout, Throwable cause) {
    return new PartitionedJobException(ErrorCode.ENGINE_UNAVAILABLE,
        "Spark master '" + url + "' did not start or run a job within " + timeout.toSeconds() + " s"
            + (cause == null || cause instanceof TimeoutException ? "." : ": " + cause),
        "Check the master URL and that the cluster is up and has free executors, or use --engine local.", cause);
  }

  /** An engine over an existing context; stops it on close only if it owns it. */
  public static PartitionEngine over(JavaSparkContext context) {
    return new SparkEngine(context, false);
  }

  private record SparkEngine(JavaSparkContext context, boolean owned) implements PartitionEngine {
    @Override
    public String id() {
      return "spark";
    }

    @Override
    public String describe() {
      return "spark (master " + context.master() + ", default parallelism " + context.defaultParallelism() + ")";
    }

    @Override
    public PartitionedRows distribute(PartitionSource source) {
      return SparkPartitionedRows.of(context, source);
    }

    /** Parquet ({@code *.parquet}, a file or a directory of part files), read by Spark SQL on the workers. */
    @Override
    public Optional<PartitionedRows> read(Path file, int partitions) {
      return ParquetRows.isParquet(file) ? Optional.of(ParquetRows.read(context, file, partitions)) : Optional.empty();
    }

    @Override
    public void close() {
      if (owned) {
        context.stop();
      }
    }
  }
}
