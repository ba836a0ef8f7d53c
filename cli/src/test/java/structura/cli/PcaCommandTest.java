package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.spectral.SpikedCovarianceModel;
import structura.algorithms.spectral.SubspaceDistance;
import structura.api.DType;
import structura.api.Matrix;
import structura.formats.MatrixFiles;

/** {@code structura pca}: results against the planted subspace, outputs, and coded errors that leave nothing written. */
class PcaCommandTest {
  @TempDir
  Path dir;

  /** 4000 x 20 rows with a planted 2-D subspace, as .npy. */
  private Path spikedNpy(SpikedCovarianceModel model) throws IOException {
    Matrix all = Matrix.zeros(DType.F64, (int) model.rows(), model.dimension());
    int row = 0;
    for (int p = 0; p < model.partitionCount(); p++) {
      Matrix b = model.partition(p);
      all.view(row, 0, b.rows(), b.cols()).copyFrom(b);
      row += b.rows();
    }
    Path file = dir.resolve("data.npy");
    try (OutputStream out = Files.newOutputStream(file)) {
      MatrixFiles.writeNpy(all, out);
    }
    return file;
  }

  private static SpikedCovarianceModel model() {
    return new SpikedCovarianceModel(20, new double[] {20, 10}, 1.0, 4000, 1, 0, 5);
  }

  @Test
  void writesComponentsAndReportWithCheck() throws IOException {
    Path input = spikedNpy(model());
    Path out = dir.resolve("pcs.npy");
    Path json = dir.resolve("report.json");
    CliRun run = CliRun.of("pca", "--input", input.toString(), "--rank", "2", "--partitions", "8", "--out", out.toString(),
        "--json", json.toString(), "--check");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("1 pass(es)"), run.out());
    Matrix pcs = MatrixFiles.read(out);
    assertEquals(20, pcs.rows());
    assertEquals(2, pcs.cols());
    assertTrue(SubspaceDistance.sinTheta(pcs, model().truth()) < 0.05);
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, report.get("passes").getAsInt());
    assertTrue(report.get("seconds").getAsDouble() >= 0);
    assertTrue(report.get("subspace_distance").getAsDouble() < 0.01, report.toString());
  }

  /**
   * 3000 x 40 Gaussian rows whose column scales fall slowly (1/(1 + 0.03 j)), so the eigengap at
   * rank 5 is small (λ6/λ5 ≈ 0.94) and a randomized SVD without power iterations misses the subspace.
   */
  private Path slowSpectrumNpy() throws IOException {
    java.util.Random random = new java.util.Random(7);
    Matrix x = Matrix.zeros(DType.F64, 3000, 40);
    for (int i = 0; i < 3000; i++) {
      for (int j = 0; j < 40; j++) {
        x.set(i, j, random.nextGaussian() / (1 + 0.03 * j));
      }
    }
    Path file = dir.resolve("slow.npy");
    try (OutputStream out = Files.newOutputStream(file)) {
      MatrixFiles.writeNpy(x, out);
    }
    return file;
  }

  private double checkedDistance(Path input, String... extra) throws IOException {
    Path json = dir.resolve("check-" + String.join("_", extra).replace("-", "") + ".json");
    String[] args = {"pca", "--input", input.toString(), "--rank", "5", "--partitions", "1", "--check", "--json",
        json.toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    CliRun run = CliRun.of(all);
    assertEquals(0, run.exit(), run.err());
    return JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("subspace_distance").getAsDouble();
  }

  @Test
  void localSolverAndPowerIterationsReachTheLocalSolver() throws IOException {
    Path input = slowSpectrumNpy();
    // one partition: the procrustes answer is that partition's eigenspace, so --check measures the local solver alone
    double exact = checkedDistance(input, "--local-solver", "covariance");
    double rough = checkedDistance(input, "--power-iterations", "0", "--oversampling", "0");
    double sharp = checkedDistance(input, "--power-iterations", "12", "--oversampling", "10");
    assertTrue(exact < 1e-8, "covariance solver, one partition: " + exact);
    assertTrue(rough > 0.3, "randomized SVD with q = 0, p = 0 on a small gap: " + rough);
    assertTrue(sharp < rough / 10, "q = 12, p = 10: " + sharp + " against " + rough);
    CliRun bad = CliRun.of("pca", "--input", input.toString(), "--rank", "5", "--local-solver", "lanczos");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().contains("randomized or covariance"), bad.err());
  }

  @Test
  void thePlotShowsTheExplainedVariance() throws Exception {
    Path input = spikedNpy(model());
    Path png = dir.resolve("spectrum.png");
    CliRun run = CliRun.of("pca", "--input", input.toString(), "--rank", "3", "--partitions", "2", "--plot", png.toString());
    assertEquals(0, run.exit(), run.err());
    ChartFiles.check(png, "procrustes PCA of data.npy: explained variance", "component", "fraction of the total variance",
        "per component", "cumulative");
  }

  @Test
  void csvOutputByExtension() throws IOException {
    Path input = spikedNpy(model());
    Path out = dir.resolve("pcs.csv");
    CliRun run = CliRun.of("pca", "--input", input.toString(), "--rank", "2", "--partitions", "2", "--method", "robust",
        "--out", out.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals(20, Files.readAllLines(out).size());
    assertTrue(SubspaceDistance.sinTheta(MatrixFiles.read(out), model().truth()) < 0.05);
  }

  private CliRun failing(String csv, String... extra) throws IOException {
    Path input = dir.resolve("in.csv");
    Files.writeString(input, csv);
    String[] args = new String[6 + extra.length];
    System.arraycopy(new String[] {"pca", "--input", input.toString(), "--out", dir.resolve("never.npy").toString(), "--rank"}, 0,
        args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exit(), run.err());
    assertFalse(Files.exists(dir.resolve("never.npy")));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")));
    }
    return run;
  }

  @Test
  void raggedCsvRowNamesTheLine() throws IOException {
    CliRun run = failing("a,b,c\n1,2,3\n4,5\n", "1");
    assertTrue(run.err().contains("STRUCTURA-F002") && run.err().contains("line 3"), run.err());
  }

  @Test
  void nanNamesLineAndColumn() throws IOException {
    CliRun run = failing("1,2,3\n4,NaN,6\n", "1");
    assertTrue(run.err().contains("STRUCTURA-F002") && run.err().contains("line 2") && run.err().contains("column 2"), run.err());
  }

  @Test
  void rankAtColumnsIsRefused() throws IOException {
    CliRun run = failing("1,2,3\n4,5,6\n7,8,10\n", "3", "--partitions", "1");
    assertTrue(run.err().contains("STRUCTURA-A006"), run.err());
  }

  @Test
  void morePartitionsThanRowsIsRefused() throws IOException {
    CliRun run = failing("1,2,3\n4,5,6\n", "1", "--partitions", "3");
    assertTrue(run.err().contains("STRUCTURA-D001"), run.err());
  }

  @Test
  void partitionWithFewerRowsThanRankIsRefused() throws IOException {
    CliRun run = failing("1,2,3\n4,5,6\n7,8,9\n1,1,2\n", "2", "--partitions", "4");
    assertTrue(run.err().contains("STRUCTURA-D001"), run.err());
  }

  @Test
  void sparkEngineWithoutTheModuleSaysHowToAddIt() throws IOException {
    CliRun run = failing("1,2,3\n4,5,6\n7,8,10\n", "1", "--engine", "spark");
    assertTrue(run.err().contains("STRUCTURA-D003") && run.err().contains("STRUCTURA_SPARK=1"), run.err());
  }

  @Test
  void parquetNeedsTheSparkEngine() throws IOException {
    Path input = dir.resolve("data.parquet");
    Files.writeString(input, "PAR1");
    CliRun run = CliRun.of("pca", "--input", input.toString(), "--rank", "1", "--out", dir.resolve("never.npy").toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("STRUCTURA-A") && run.err().contains("--engine spark"), run.err());
    assertFalse(Files.exists(dir.resolve("never.npy")));
  }
}
