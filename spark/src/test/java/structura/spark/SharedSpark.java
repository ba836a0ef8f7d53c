package structura.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one SparkContext of the test JVM (Spark allows one per JVM), shared by the module's test
 * classes and stopped at JVM exit. {@code local[2,3]}: two threads in process, loopback only, up
 * to three attempts per task (the {@code F} of {@code local[N,F]}; {@code spark.task.maxFailures}
 * has no effect in local mode).
 */
final class SharedSpark {
  private static JavaSparkContext context;

  private SharedSpark() {}

  static synchronized JavaSparkContext context() {
    if (context == null) {
      context = new JavaSparkContext(SparkEngineProvider.conf("local[2,3]"));
      Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
    }
    return context;
  }
}
