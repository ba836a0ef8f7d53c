package structura.spark;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.storage.StorageLevel;
import structura.algorithms.spectral.Centering;
import structura.algorithms.spectral.DistributedPca;
import structura.algorithms.spectral.DistributedPcaOptions;
import structura.algorithms.spectral.DistributedPcaResult;
import structura.algorithms.spectral.PcaMethod;
import structura.algorithms.spectral.SpikedCovarianceModel;
import structura.algorithms.spectral.SubspaceDistance;

/**
 * Side by side on one Spark context and one cached RDD: our one-round estimators against MLlib's
 * {@code RowMatrix.computePrincipalComponents} and {@code computeSVD}. Prints a Markdown table:
 * wall time, Spark jobs (passes over the data), and ‖sin Θ‖ to the exact top-k eigenspace of the
 * sample covariance (our CENTRALIZED answer, one d×d eigendecomposition) and to the planted one.
 *
 * <p>Not a unit test. Run (after {@code ./mvnw -pl spark -am -DskipTests verify}):
 * <pre>
 * java $(spark jvm args from spark/pom.xml) -Xmx12g -cp spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt) \
 *   structura.spark.SparkPcaBenchmark ROWS D K PARTITIONS MASTER
 * </pre>
 */
public final class SparkPcaBenchmark {
  private SparkPcaBenchmark() {}

  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    String master = args.length > 4 ? args[4] : "local[2]";
    double[] spikes = new double[k];
    for (int j = 0; j < k; j++) {
      spikes[j] = 20.0 - 10.0 * j / k;
    }
    SpikedCovarianceModel model = new SpikedCovarianceModel(d, spikes, 1.0, rows, partitions, 0, 2026);
    try (JavaSparkContext sc = new JavaSparkContext(SparkEngineProvider.conf(master))) {
      AtomicInteger jobs = new AtomicInteger();
      sc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          jobs.incrementAndGet();
        }
      });
      SparkPartitionedRows data = SparkPartitionedRows.of(sc, model);
      JavaRDD<double[]> cached = data.rdd().persist(StorageLevel.MEMORY_ONLY());
      long t0 = System.nanoTime();
      long count = cached.count();
      double generate = (System.nanoTime() - t0) / 1e9;
      SparkPartitionedRows ours = new SparkPartitionedRows(cached, d);
      JavaRDD<Vector> vectors = cached.map(Vectors::dense);
      RowMatrix rowMatrix = new RowMatrix(vectors.rdd(), count, d);
      System.out.printf(Locale.ROOT, "%d x %d, k = %d, %d partitions, master %s; generated and cached in %.1f s%n%n",
          count, d, k, partitions, master, generate);

      DistributedPcaOptions base = DistributedPcaOptions.ofRank(k).withCentering(Centering.LOCAL);
      jobs.set(0);
      t0 = System.nanoTime();
      DistributedPcaResult exact = new DistributedPca(base.withMethod(PcaMethod.CENTRALIZED)
          .withCentering(Centering.GLOBAL)).estimate(ours);
      double exactSeconds = (System.nanoTime() - t0) / 1e9;
      int exactJobs = jobs.get();
      structura.api.Matrix truth = model.truth();
      System.out.println("| method | wall s | Spark jobs (passes) | ‖sin Θ‖ to exact sample top-k | ‖sin Θ‖ to planted |");
      System.out.println("|---|---|---|---|---|");
      row("structura centralized (exact, d² per partition)", exactSeconds, exactJobs, 0, dist(exact.components(), truth));
      for (PcaMethod m : new PcaMethod[] {PcaMethod.PROCRUSTES, PcaMethod.ROBUST, PcaMethod.NAIVE}) {
        jobs.set(0);
        t0 = System.nanoTime();
        DistributedPcaResult r = new DistributedPca(base.withMethod(m)).estimate(ours);
        double s = (System.nanoTime() - t0) / 1e9;
        row("structura " + m.name().toLowerCase(Locale.ROOT) + " (local centering)", s, jobs.get(),
            dist(r.components(), exact.components()), dist(r.components(), truth));
      }
      jobs.set(0);
      t0 = System.nanoTime();
      Matrix pc = rowMatrix.computePrincipalComponents(k);
      double s = (System.nanoTime() - t0) / 1e9;
      structura.api.Matrix pcs = toMatrix(pc);
      row("MLlib computePrincipalComponents", s, jobs.get(), dist(pcs, exact.components()), dist(pcs, truth));
      jobs.set(0);
      t0 = System.nanoTime();
      Matrix v = rowMatrix.computeSVD(k, false, 1e-9).V();
      s = (System.nanoTime() - t0) / 1e9;
      structura.api.Matrix vs = toMatrix(v);
      row("MLlib computeSVD (uncentered)", s, jobs.get(), dist(vs, exact.components()), dist(vs, truth));
    }
  }

  private static double dist(structura.api.Matrix a, structura.api.Matrix b) {
    return SubspaceDistance.sinTheta(a, b);
  }

  private static void row(String name, double seconds, int jobs, double toExact, double toTruth) {
    System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %.2e | %.2e |%n", name, seconds, jobs, toExact, toTruth);
  }

  private static structura.api.Matrix toMatrix(Matrix m) {
    structura.api.Matrix out = structura.api.Matrix.zeros(structura.api.DType.F64, m.numRows(), m.numCols());
    for (int i = 0; i < m.numRows(); i++) {
      for (int j = 0; j < m.numCols(); j++) {
        out.set(i, j, m.apply(i, j));
      }
    }
    return out;
  }
}
