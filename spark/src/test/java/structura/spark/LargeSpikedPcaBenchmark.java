package structura.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import structura.algorithms.spectral.DistributedPca;
import structura.algorithms.spectral.DistributedPcaOptions;
import structura.algorithms.spectral.DistributedPcaResult;
import structura.algorithms.spectral.InProcessPartitions;
import structura.algorithms.spectral.PartitionedRows;
import structura.algorithms.spectral.PcaMethod;
import structura.algorithms.spectral.SpikedCovarianceModel;
import structura.algorithms.spectral.SubspaceDistance;
import structura.api.Matrix;

/**
 * The spiked covariance model at sizes that never exist as one array (2,000,000 × 512 is 8 GB):
 * every pass regenerates each partition from its seed, on a thread of the in-process engine or on a
 * Spark worker (no caching). Prints a Markdown table of wall time, passes and ‖sin Θ‖ to the
 * planted subspace for the centralized, Procrustes and naive estimators; with {@code mllib},
 * also MLlib's {@code computePrincipalComponents} on the same RDD (cached: it makes several passes).
 *
 * <p>Not a unit test. Run (after {@code ./mvnw -pl spark -am -DskipTests verify}):
 * <pre>
 * java $(spark jvm args) --add-modules jdk.incubator.vector -Xmx10g -cp spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt) \
 *   structura.spark.LargeSpikedPcaBenchmark ROWS D K PARTITIONS local|spark [MASTER] [METHODS, comma-separated: centralized,procrustes,naive,mllib]
 * </pre>
 */
public final class LargeSpikedPcaBenchmark {
  private LargeSpikedPcaBenchmark() {}

  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    int d = Integer.parseInt(args[1]);
    int k = Integer.parseInt(args[2]);
    int partitions = Integer.parseInt(args[3]);
    boolean spark = args[4].equals("spark");
    String master = args.length > 5 ? args[5] : "local[2]";
    String[] methods = (args.length > 6 ? args[6] : "centralized,procrustes,naive").split(",");
    double[] spikes = new double[k];
    for (int j = 0; j < k; j++) {
      spikes[j] = 20.0 - 10.0 * j / k;
    }
    SpikedCovarianceModel model = new SpikedCovarianceModel(d, spikes, 1.0, rows, partitions, 0, 2026);
    Matrix truth = model.truth();
    System.out.printf(Locale.ROOT, "%d x %d, k = %d, %d partitions of %d rows, engine %s%n%n", rows, d, k, partitions,
        model.partitionRows(0), spark ? "spark " + master + " (not cached)" : "local (in-process, 2 threads)");
    System.out.println("| method | wall s | passes | ‖sin Θ‖ to planted | ‖sin Θ‖ to centralized |");
    System.out.println("|---|---|---|---|---|");
    JavaSparkContext sc = spark ? new JavaSparkContext(SparkEngineProvider.conf(master)) : null;
    AtomicInteger jobs = new AtomicInteger();
    if (sc != null) {
      sc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          jobs.incrementAndGet();
        }
      });
    }
    try {
      Matrix centralized = null;
      for (String name : methods) {
        long t0 = System.nanoTime();
        if (name.equals("mllib")) {
          SparkPartitionedRows data = SparkPartitionedRows.of(sc, model);
          RowMatrix matrix = new RowMatrix(data.rdd().map(Vectors::dense).cache().rdd(), rows, d);
          jobs.set(0);
          org.apache.spark.mllib.linalg.Matrix pc = matrix.computePrincipalComponents(k);
          Matrix pcs = Matrix.zeros(structura.api.DType.F64, d, k);
          for (int i = 0; i < d; i++) {
            for (int j = 0; j < k; j++) {
              pcs.set(i, j, pc.apply(i, j));
            }
          }
          row("MLlib computePrincipalComponents (cached RDD)", (System.nanoTime() - t0) / 1e9, jobs.get() + " jobs",
              SubspaceDistance.sinTheta(pcs, truth), centralized == null ? Double.NaN : SubspaceDistance.sinTheta(pcs, centralized));
          continue;
        }
        PcaMethod method = PcaMethod.valueOf(name.toUpperCase(Locale.ROOT));
        PartitionedRows data = spark ? SparkPartitionedRows.of(sc, model) : new InProcessPartitions(model, 2);
        jobs.set(0);
        DistributedPcaResult r = new DistributedPca(DistributedPcaOptions.ofRank(k).withMethod(method)).estimate(data);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (data instanceof InProcessPartitions local) {
          local.close();
        }
        if (method == PcaMethod.CENTRALIZED) {
          centralized = r.components();
        }
        row("structura " + name, seconds, r.passes() + (spark ? " (" + jobs.get() + " Spark jobs)" : ""),
            SubspaceDistance.sinTheta(r.components(), truth),
            centralized == null ? Double.NaN : SubspaceDistance.sinTheta(r.components(), centralized));
      }
    } finally {
      if (sc != null) {
        sc.stop();
      }
    }
  }

  private static void row(String name, double seconds, String passes, double toTruth, double toCentralized) {
    System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.3e | %s |%n", name, seconds, passes, toTruth,
        Double.isNaN(toCentralized) ? "–" : String.format(Locale.ROOT, "%.3e", toCentralized));
    System.out.flush();
  }
}
