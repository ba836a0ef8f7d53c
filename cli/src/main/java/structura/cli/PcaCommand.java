package structura.cli;

import jakarta.inject.Inject;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.algorithms.spectral.Centering;
import structura.algorithms.spectral.DistributedPca;
import structura.algorithms.spectral.DistributedPcaOptions;
import structura.algorithms.spectral.DistributedPcaResult;
import structura.algorithms.spectral.LocalSolver;
import structura.algorithms.spectral.PartitionEngine;
import structura.algorithms.spectral.PartitionSource;
import structura.algorithms.spectral.PartitionedRows;
import structura.algorithms.spectral.PcaMethod;
import structura.algorithms.spectral.SubspaceDistance;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.formats.MatrixFiles;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura pca}: the top-k principal components of a CSV or {@code .npy} data matrix (or,
 * on Spark, a Parquet file that the engine reads on its workers),
 * computed over row partitions in one pass ({@link DistributedPca}), in process or on Spark.
 * Thin over the library: reading ({@link MatrixFiles}), partitioning ({@link PartitionSource}),
 * the engine ({@link PartitionEngines}), the estimate; then one method writes the outputs.
 */
@Command(name = "pca", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Principal components of a data matrix over row partitions in one pass (in process or on Spark).")
final class PcaCommand implements Callable<Integer> {
  @Option(names = "--input", paramLabel = "FILE", required = true,
      description = "Data: .npy (2-D) or CSV (one row per line); with --engine spark also Parquet (*.parquet, numeric columns).")
  Path input;

  @Option(names = "--rank", paramLabel = "K", required = true, description = "Number of components (below the column count).")
  int rank;

  @Option(names = "--partitions", paramLabel = "P", description = "Row partitions (default: available processors, at most the rows).")
  Integer partitions;

  @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
      description = "Where partitions run (default ${DEFAULT-VALUE}); spark needs the structura-spark module on the class path.")
  String engine;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master URL (default local[*]; passed through for a cluster).")
  String master;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the engine to start and run a first job (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--method", paramLabel = "NAME", defaultValue = "procrustes",
      description = "procrustes, naive, centralized or robust (default ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--center", description = "Subtract the global mean first (one more pass, except for centralized).")
  boolean center;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the local randomized SVDs (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--local-solver", paramLabel = "NAME", defaultValue = "randomized",
      description = "How each partition finds its top-k eigenspace: randomized (randomized SVD of the rows, O(rows·d·k)) or "
          + "covariance (the d x d covariance and a dense eigendecomposition, exact to rounding, O(rows·d² + d³)) "
          + "(default ${DEFAULT-VALUE}).")
  String localSolver;

  @Option(names = "--power-iterations", paramLabel = "Q", defaultValue = "4",
      description = "Power iterations of the randomized local SVDs; raise it when the spectrum decays slowly past rank K "
          + "(--check then reports a large distance even with one partition) (default ${DEFAULT-VALUE}).")
  int powerIterations;

  @Option(names = "--oversampling", paramLabel = "P", defaultValue = "10",
      description = "Extra columns of the randomized local SVDs (default ${DEFAULT-VALUE}).")
  int oversampling;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the d x k components: .npy, or CSV for any other extension.")
  Path out;

  @Option(names = "--json", paramLabel = "FILE", description = "Write seconds, passes, explained variance (and subspace_distance with --check) as JSON.")
  Path json;

  @Option(names = "--plot", paramLabel = "FILE.png",
      description = "Also plot the explained variance per component and its running total, as PNG and SVG beside it.")
  Path plot;

  @Option(names = "--force", description = "Replace existing --out, --json and --plot files.")
  boolean force;

  @Option(names = "--check", description = "Also compute the centralized answer and report the subspace distance to it.")
  boolean check;

  @Spec
  CommandSpec spec;

  private final GlobalOptions options;

  @Inject
  PcaCommand(GlobalOptions options) {
    this.options = options;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PcaMethod pcaMethod = parseMethod(method);
    checkOutputsAgainstInput();
    if (partitions != null && partitions < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--partitions = " + partitions + " must be at least 1.",
          "Pass a positive partition count.");
    }
    boolean parquet = isParquet(input);
    if (parquet && !"spark".equals(engine)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "--input " + input + " is Parquet, which only --engine spark reads.",
          "Run with --engine spark (STRUCTURA_SPARK=1 ./structura pca ...), or convert the data to .npy or CSV.");
    }
    // Files the driver reads are read before the engine starts, so bad data fails fast.
    Matrix x = parquet ? null : MatrixFiles.read(input);
    // DistributedPcaOptions refuses negative power iterations or oversampling, with a coded error
    DistributedPcaOptions pcaOptions = DistributedPcaOptions.ofRank(rank).withMethod(pcaMethod)
        .withCentering(center ? Centering.GLOBAL : Centering.NONE).withSeed(seed)
        .withLocalSolver(parseLocalSolver(localSolver)).withRandomizedSvd(oversampling, powerIterations);
    int threads = options.threads == null ? 0 : options.threads;
    try (PartitionEngine eng = PartitionEngines.open(engine, master, threads, Duration.ofSeconds(timeoutSeconds))) {
      PartitionedRows rows;
      if (x == null) {
        rows = eng.read(input, partitions == null ? 0 : partitions).orElseThrow(() -> new InvalidArgumentException(
            ErrorCode.INVALID_ARGUMENT, "--input " + input + ": the " + eng.id() + " engine does not read Parquet.",
            "Use --engine spark, or convert the data to .npy or CSV."));
        err.printf(Locale.ROOT, "pca: %s, %d columns in %d partitions on %s%n", input, rows.columns(), rows.partitionCount(),
            eng.describe());
      } else {
        int p = partitions != null ? partitions : Math.min(x.rows(), Runtime.getRuntime().availableProcessors());
        rows = eng.distribute(PartitionSource.split(x, p));
        err.printf(Locale.ROOT, "pca: %s, %d x %d in %d partitions on %s%n", input, x.rows(), x.cols(), p, eng.describe());
      }
      int p = rows.partitionCount();
      long t0 = System.nanoTime();
      DistributedPcaResult result = new DistributedPca(pcaOptions).estimate(rows);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Double distance = null;
      if (check) {
        err.println("pca: --check: computing the centralized answer");
        DistributedPcaResult exact = new DistributedPca(pcaOptions.withMethod(PcaMethod.CENTRALIZED)).estimate(rows);
        distance = SubspaceDistance.sinTheta(result.components(), exact.components());
      }
      Map<String, Object> report = report(result, pcaOptions, seconds, p, eng.id(), distance);
      writeOutputs(result.components(), report);
      print(report);
    }
    return ExitCodes.OK;
  }

  private static boolean isParquet(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  private static PcaMethod parseMethod(String name) {
    try {
      return PcaMethod.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--method " + name + " is not a PCA method.",
          "Use procrustes, naive, centralized or robust.");
    }
  }

  private static LocalSolver parseLocalSolver(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "randomized" -> LocalSolver.RANDOMIZED_SVD;
      case "covariance" -> LocalSolver.COVARIANCE_EIGEN;
      default -> throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "--local-solver " + name + " is not a local solver.", "Use randomized or covariance.");
    };
  }

  /** Outputs against the input and each other (resolved paths), and writability, before any work. */
  private void checkOutputsAgainstInput() {
    Charts.plan(new OutputPlan(force).input("--input", input)
        .output("--out", out, OutputPlan.Shape.FILE).output("--json", json, OutputPlan.Shape.FILE), "--plot", plot).check();
  }


  private Map<String, Object> report(DistributedPcaResult r, DistributedPcaOptions o, double seconds, int p, String engineId,
      Double distance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input.toString());
    m.put("rows", r.rows());
    m.put("columns", r.components().rows());
    m.put("rank", rank);
    m.put("partitions", p);
    m.put("engine", engineId);
    m.put("method", r.method().name().toLowerCase(Locale.ROOT));
    if (r.method() != PcaMethod.CENTRALIZED) {
      m.put("local_solver", localSolver.toLowerCase(Locale.ROOT));
    }
    if (r.method() != PcaMethod.CENTRALIZED && o.localSolver() == LocalSolver.RANDOMIZED_SVD) {
      m.put("power_iterations", o.powerIterations());
      m.put("oversampling", o.oversampling());
    }
    m.put("seconds", seconds);
    m.put("rounds", r.passes());
    m.put("passes", r.passes());
    m.put("eigenvalues", r.eigenvalues());
    m.put("explained_variance_ratio", r.explainedVarianceRatio());
    m.put("total_variance", r.totalVariance());
    if (r.droppedPartitions().length > 0) {
      m.put("dropped_partitions", r.droppedPartitions());
    }
    if (distance != null) {
      m.put("subspace_distance", distance);
    }
    return m;
  }

  private void print(Map<String, Object> report) {
    PrintWriter o = spec.commandLine().getOut();
    double[] ratio = (double[]) report.get("explained_variance_ratio");
    double sum = 0;
    StringBuilder parts = new StringBuilder();
    for (double v : ratio) {
      sum += v;
      parts.append(String.format(Locale.ROOT, " %.4f", v));
    }
    o.printf(Locale.ROOT, "%s PCA, rank %d: %.3f s, %d round(s), %d pass(es) over the data%n", report.get("method"), rank,
        (double) report.get("seconds"), (long) report.get("rounds"), (long) report.get("passes"));
    o.printf(Locale.ROOT, "explained variance ratio:%s (total %.4f)%n", parts, sum);
    if (report.containsKey("subspace_distance")) {
      o.printf(Locale.ROOT, "subspace distance to the centralized answer (sin theta): %.3e%n", (double) report.get("subspace_distance"));
    }
    if (out != null) {
      o.println("components: " + out);
    }
  }

  /** The scree plot: each component's share of the total variance, and the running total. */
  XYChart spectrum(String methodName, double[] ratio) {
    XYChart chart = new XYChartBuilder().title(String.format(Locale.ROOT, "%s PCA of %s: explained variance", methodName,
        input.getFileName())).xAxisTitle("component").yAxisTitle("fraction of the total variance").build();
    Charts.style(chart.getStyler()).setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.00")
        .setXAxisDecimalPattern("0");
    double[] k = new double[ratio.length];
    double[] cumulative = new double[ratio.length];
    double sum = 0;
    for (int i = 0; i < ratio.length; i++) {
      k[i] = i + 1;
      sum += ratio[i];
      cumulative[i] = sum;
    }
    chart.addSeries("per component", k, ratio);
    chart.addSeries("cumulative", k, cumulative);
    return chart;
  }

  /** Every file this command writes, committed together through the shared output helper. */
  private void writeOutputs(Matrix components, Map<String, Object> report) {
    try (OutputTransaction outputs = new OutputTransaction(force)) {
      if (out != null) {
        outputs.write(out, stream -> {
          if (MatrixFiles.isNpy(out)) {
            MatrixFiles.writeNpy(components, stream);
          } else {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            MatrixFiles.writeCsv(components, w);
            w.flush();
          }
        });
      }
      if (json != null) {
        byte[] bytes = JsonReport.bytes(report);
        outputs.write(json, stream -> stream.write(bytes));
      }
      if (plot != null) {
        Charts.stage(outputs, plot, 640, 420, List.of(spectrum((String) report.get("method"),
            (double[]) report.get("explained_variance_ratio"))));
      }
      outputs.commit();
    }
  }
}
