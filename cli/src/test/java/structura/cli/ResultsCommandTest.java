package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code structura results}: the table computed from report pairs, old reports without the transfer metrics, the plot. */
class ResultsCommandTest {
  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private void pair(String name, String method, double macsAfter, double fidelity, double accuracy, double transfer,
      boolean withTransfer, double refSeconds, double seconds) throws Exception {
    Files.writeString(dir.resolve(name + ".compress.json"), String.format(Locale.ROOT, """
        {"method": "%s", "macsBefore": 1000, "macsAfter": %s, "blockParametersBefore": 200, "blockParametersAfter": 100,
         "stageSeconds": {"total": 12.5}}
        """, method, macsAfter));
    String extra = withTransfer ? String.format(Locale.ROOT, ", \"transferAccuracy\": %s, \"agreement\": 0.97", transfer) : "";
    Files.writeString(dir.resolve(name + ".eval.json"), String.format(Locale.ROOT, """
        {"fidelity": {"mean": %s},%s
         "probe": {"reference": {"accuracy": 0.9}, "compressed": {"accuracy": %s}%s},
         "latency": {"reference": {"meanSeconds": %s}, "compressed": {"meanSeconds": %s}}}
        """, fidelity, withTransfer ? " \"geometry\": {\"k\": 10, \"overlap\": 0.55, \"pairs\": 45, \"spearman\": 0.875}," : "",
        accuracy, extra, refSeconds, seconds));
  }

  @Test
  void tableRowsComeFromTheReportsAndThePlotIsWritten() throws Exception {
    pair("stat-0.5", "stat", 500, 0.8, 0.93, 0.91, true, 1.6, 0.8);
    pair("magnitude-0.5", "magnitude", 499, 0.45, 0.95, 0.7, false, 1.5, 0.75);
    Files.writeString(dir.resolve("orphan-0.3.eval.json"), "{}");   // no .compress.json beside it: skipped
    Path png = dir.resolve("plot.png");
    CliRun r = run("results", "--dir", dir.toString(), "--plot", png.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().contains("| stat | 0.50 | 0.500 | 0.500 | 0.8000 | 0.5500 | 0.8750 | 93.00 % | +3.00 | 91.00 % | 97.00 % | 1.600 → 0.800 | 2.00× | 12.5 |"),
        r.out());
    assertTrue(r.out().contains("| magnitude | 0.50 | 0.499 | 0.500 | 0.4500 | NaN | NaN | 95.00 % | +5.00 | NaN % | NaN % | 1.500 → 0.750 | 2.00× | 12.5 |"),
        r.out());
    assertTrue(r.out().indexOf("| magnitude") < r.out().indexOf("| stat"), "rows of one target sorted by method");
    assertTrue(r.out().contains("Original model: probe accuracy 90.00 %"), r.out());
    var image = ChartFiles.check(png, "fraction of block MACs kept", "probe accuracy on held-out texts",
        "mean cosine to the original's embeddings", "accuracy, probe retrained per model", "embedding fidelity",
        "nearest neighbours kept", "mean 10-NN overlap with the original's", "order of pairwise similarities",
        "Spearman ρ with the original's cosines", "stat", "magnitude", "original model");
    assertEquals(3 * 640, image.getWidth(), "five panels in rows of three");
    assertEquals(2 * 440, image.getHeight(), "two rows");
    assertTrue(r.out().contains("Plot: " + png + " (and plot.svg)"), r.out());
  }

  @Test
  void accuracyCarriesStandardErrorBarsWhenTheReportGivesTheTestSize() throws Exception {
    pair("stat-0.5", "stat", 500, 0.8, 0.93, 0.91, true, 1.6, 0.8);
    Path eval = dir.resolve("stat-0.5.eval.json");
    Files.writeString(eval, Files.readString(eval).replace("{\"mean\": 0.8}", "{\"mean\": 0.8, \"texts\": 600}"));
    Path png = dir.resolve("se.png");
    CliRun r = run("results", "--dir", dir.toString(), "--plot", png.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    ChartFiles.check(png, "stat (±1 s.e.)", "original model");
    // sqrt(0.93 * 0.07 / 600) = 0.0104: about one point, as docs/results.md says for 600 texts
    assertEquals(0.010416, ResultsCommand.standardError(0.93, 600), 1e-6);
    var charts = ResultsCommand.charts(List.of(new ResultsCommand.Row("stat", 0.5, 0.5, 0.5, 0.8, 0.6, 0.9, 0.93, 0.9, 0.91, 0.97,
        Double.NaN, Double.NaN, 1, 600)));
    double[] bars = charts.get(0).getSeries("stat (±1 s.e.)").getExtraValues();
    assertEquals(ResultsCommand.standardError(0.93, 600), bars[0], 1e-12);
    assertTrue(charts.get(2).getSeries("stat") != null, "no error bars on fidelity: no standard error is stated");
    // the default method stands out: black and thick
    assertEquals(java.awt.Color.BLACK, charts.get(2).getSeries("stat").getLineColor());
    assertEquals(3f, charts.get(2).getSeries("stat").getLineWidth());
  }

  @Test
  void anEmptyDirectoryIsAnInputError() {
    CliRun r = run("results", "--dir", dir.toString());
    assertEquals(ExitCodes.FAILURE, r.exit());
    assertTrue(r.err().contains("scripts/results.sh"), r.err());
  }

  @Test
  void reportsWithoutLatencyOrWithNullNumbersAreTabulated() throws Exception {
    Files.writeString(dir.resolve("stat-0.5.compress.json"), """
        {"method": "stat", "macsBefore": 1000, "macsAfter": 500, "blockParametersBefore": 200, "blockParametersAfter": 100,
         "stageSeconds": {"total": 12.5}}
        """);
    // eval --latency-iterations 0 writes "latency": null; non-finite numbers are written as null
    Files.writeString(dir.resolve("stat-0.5.eval.json"), """
        {"fidelity": {"mean": 0.9},
         "probe": {"reference": {"accuracy": 0.9}, "compressed": {"accuracy": 0.8}, "transferAccuracy": null, "agreement": 0.5},
         "latency": null}
        """);
    Files.writeString(dir.resolve("svd-0.5.compress.json"), Files.readString(dir.resolve("stat-0.5.compress.json"))
        .replace("stat", "svd"));
    Files.writeString(dir.resolve("svd-0.5.eval.json"), """
        {"fidelity": {"mean": 0.9}, "probe": {"reference": {"accuracy": 0.9}, "compressed": {"accuracy": 0.8}}}
        """);
    Path png = dir.resolve("plot.png");
    CliRun r = run("results", "--dir", dir.toString(), "--plot", png.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().contains("| stat | 0.50 | 0.500 | 0.500 | 0.9000 | NaN | NaN | 80.00 % | -10.00 | NaN % | 50.00 % | not measured | - | 12.5 |"),
        r.out());
    assertTrue(r.out().contains("| svd | 0.50 | 0.500 | 0.500 | 0.9000 | NaN | NaN | 80.00 % | -10.00 | NaN % | NaN % | not measured | - | 12.5 |"),
        r.out());
    ChartFiles.check(png, "stat", "svd", "original model");
  }
}
