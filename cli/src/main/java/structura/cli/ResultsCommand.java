package structura.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura results}: gathers the reports that {@code scripts/results.sh} leaves in a folder
 * ({@code <method>-<target>.compress.json} and {@code .eval.json}) into one Markdown table and a
 * plot of probe accuracy and embedding fidelity against the kept MAC fraction.
 */
@Command(name = "results", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Tabulate and plot compress/eval reports (scripts/results.sh output).")
final class ResultsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "out/results", description = "Folder with the reports (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Write accuracy and fidelity against MACs as a PNG, and as SVG beside it (FILE.svg).")
  Path plot;

  @Option(names = "--force", description = "Replace an existing --plot file.")
  boolean force;

  /**
   * One evaluated model. {@code accuracy}: its own (retrained) probe; {@code transfer}: the original
   * model's probe on its embeddings; {@code agreement}: that probe's predictions equal to those on
   * the original embeddings (both NaN in reports written before they were measured); {@code overlap}:
   * the mean 10-nearest-neighbour overlap, {@code spearman}: the rank correlation of pairwise
   * similarities (both NaN in reports written before they were measured).
   */
  record Row(String method, double target, double macs, double params, double fidelity, double overlap, double spearman,
      double accuracy,
      double referenceAccuracy, double transfer, double agreement, double refSeconds, double seconds,
      double compressSeconds, int testTexts) {}

  /** A model's mean seconds per batch; NaN when latency was not measured (eval --latency-iterations 0). */
  private static double meanSeconds(JsonObject latency, String model) {
    return latency != null && latency.get(model) instanceof JsonObject m ? number(m, "meanSeconds") : Double.NaN;
  }

  /** {@code object.key} as a number; NaN when absent (older reports) or null (reports write non-finite numbers so). */
  private static double number(JsonObject object, String key) {
    return object.has(key) && !object.get(key).isJsonNull() ? object.get(key).getAsDouble() : Double.NaN;
  }

  private static double orZero(double x) {
    return Double.isNaN(x) ? 0 : x;
  }

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "--dir " + dir + " is not a directory.",
          "Pass the folder scripts/results.sh wrote (out/results).");
    }
    List<Path> reports;
    try (var files = Files.list(dir)) {
      reports = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    OutputPlan plan = new OutputPlan(force);
    reports.forEach(r -> plan.input("--dir", r));
    Charts.plan(plan, "--plot", plot).check();
    List<Row> rows = new ArrayList<>();
    for (Path e : reports.stream().filter(p -> p.getFileName().toString().endsWith(".eval.json")).toList()) {
      String base = e.getFileName().toString().replace(".eval.json", "");
      Path c = dir.resolve(base + ".compress.json");
      if (!Files.isRegularFile(c)) {
        continue;
      }
      JsonObject cj = JsonParser.parseString(Files.readString(c)).getAsJsonObject();
      JsonObject ej = JsonParser.parseString(Files.readString(e)).getAsJsonObject();
      JsonObject probe = ej.getAsJsonObject("probe");
      JsonObject lat = ej.get("latency") instanceof JsonObject o ? o : null; // null or absent: --latency-iterations 0
      String target = base.substring(base.lastIndexOf('-') + 1);
      rows.add(new Row(cj.get("method").getAsString(), Double.parseDouble(target),
          cj.get("macsAfter").getAsDouble() / cj.get("macsBefore").getAsDouble(),
          cj.get("blockParametersAfter").getAsDouble() / cj.get("blockParametersBefore").getAsDouble(),
          ej.getAsJsonObject("fidelity").get("mean").getAsDouble(),
          ej.get("geometry") instanceof JsonObject g ? number(g, "overlap") : Double.NaN,
          ej.get("geometry") instanceof JsonObject g ? number(g, "spearman") : Double.NaN,
          probe.getAsJsonObject("compressed").get("accuracy").getAsDouble(),
          probe.getAsJsonObject("reference").get("accuracy").getAsDouble(),
          number(probe, "transferAccuracy"), number(probe, "agreement"),
          meanSeconds(lat, "reference"), meanSeconds(lat, "compressed"),
          cj.getAsJsonObject("stageSeconds").get("total").getAsDouble(),
          (int) orZero(number(ej.getAsJsonObject("fidelity"), "texts"))));
    }
    if (rows.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "no pairs of .compress.json and .eval.json in " + dir + ".",
          "Run scripts/results.sh first.");
    }
    rows.sort((a, b) -> a.target() != b.target() ? Double.compare(b.target(), a.target()) : a.method().compareTo(b.method()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("| method | target MACs | MACs kept | block params kept | fidelity (mean cos) | 10-NN overlap | rank corr. of similarities | retrained probe accuracy | Δ vs original (points) | original's probe accuracy | agreement with original | ORT s/batch (orig → compressed) | speed-up | compress time (s) |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      String latency = Double.isNaN(r.refSeconds()) || Double.isNaN(r.seconds()) ? "not measured | -"
          : String.format(Locale.ROOT, "%.3f → %.3f | %.2f×", r.refSeconds(), r.seconds(), r.refSeconds() / r.seconds());
      out.printf(Locale.ROOT, "| %s | %.2f | %.3f | %.3f | %.4f | %.4f | %.4f | %.2f %% | %+.2f | %.2f %% | %.2f %% | %s | %.1f |%n",
          r.method(), r.target(), r.macs(), r.params(), r.fidelity(), r.overlap(), r.spearman(), 100 * r.accuracy(),
          100 * (r.accuracy() - r.referenceAccuracy()), 100 * r.transfer(), 100 * r.agreement(), latency, r.compressSeconds());
    }
    out.printf(Locale.ROOT, "%nOriginal model: probe accuracy %.2f %%.%n", 100 * rows.get(0).referenceAccuracy());
    out.flush();
    if (plot != null) {
      try (OutputTransaction outputs = new OutputTransaction(force)) {
        // 3 columns with the legend beside each panel: one row of five panels with legends below cut off the legends
        Charts.stage(outputs, plot, 640, 440, 3, charts(rows));
        outputs.commit();
      }
      out.println("Plot: " + plot + " (and " + Charts.svgBeside(plot).getFileName() + ")");
    }
    return ExitCodes.OK;
  }

  /**
   * Probe accuracy (retrained, and the original model's probe), embedding fidelity, 10-NN overlap
   * and the rank correlation of pairwise similarities against the kept MAC fraction, one series per method ({@value #HIGHLIGHTED_METHOD},
   * the default, black and thick), the original model as a dashed line. Accuracy points
   * carry ±1 binomial standard error, {@code sqrt(a(1-a)/n)} over the n held-out texts (about one
   * point at n = 600, as docs/results.md states), when the report gives n.
   */
  /** The method drawn black and thick: the README main job's, so the reader finds the default among the others. */
  static final String HIGHLIGHTED_METHOD = "stat";

  static List<XYChart> charts(List<Row> rows) {
    Map<String, List<Row>> byMethod = new TreeMap<>();
    for (Row r : rows) {
      byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
    }
    double reference = rows.get(0).referenceAccuracy();
    double minAcc = Math.min(rows.stream().mapToDouble(r -> Math.min(r.accuracy(), Double.isNaN(r.transfer()) ? 1 : r.transfer()))
        .min().orElse(0.5), reference);
    double lowAcc = Math.floor(minAcc * 20) / 20;
    double lowFid = Math.floor(rows.stream().mapToDouble(Row::fidelity).min().orElse(0) * 10) / 10;
    double lowGeometry = Math.floor(rows.stream().flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.overlap(), r.spearman()))
        .filter(x -> !Double.isNaN(x)).min().orElse(0) * 10) / 10;
    String accuracy = "probe accuracy on held-out texts";
    return List.of(
        panel(byMethod, "accuracy, probe retrained per model", accuracy, lowAcc, Row::accuracy, true, reference),
        panel(byMethod, "accuracy, the original model's probe", accuracy, lowAcc, Row::transfer, true, reference),
        panel(byMethod, "embedding fidelity", "mean cosine to the original's embeddings", lowFid, Row::fidelity, false, 1.0),
        panel(byMethod, "nearest neighbours kept", "mean 10-NN overlap with the original's", lowGeometry, Row::overlap, false, 1.0),
        panel(byMethod, "order of pairwise similarities", "Spearman ρ with the original's cosines", lowGeometry,
            Row::spearman, false, 1.0));
  }

  private static XYChart panel(Map<String, List<Row>> byMethod, String title, String yTitle, double low,
      ToDoubleFunction<Row> value, boolean errorBars, double reference) {
    XYChart chart = new XYChartBuilder().title(title).xAxisTitle("fraction of block MACs kept").yAxisTitle(yTitle).build();
    Charts.style(chart.getStyler()).setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(low).setYAxisMax(1.0)
        .setYAxisDecimalPattern("0.000").setXAxisDecimalPattern("0.0").setErrorBarsColorSeriesColor(true)
        .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE)
        .setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
    XYSeries original = chart.addSeries("original model", new double[] {0, 1}, new double[] {reference, reference});
    original.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DASH_DASH).setLineColor(Color.GRAY);
    for (var e : byMethod.entrySet()) {
      List<Row> points = e.getValue().stream().filter(r -> !Double.isNaN(value.applyAsDouble(r)))   // not measured in this report
          .sorted(Comparator.comparingDouble(Row::macs)).toList();
      if (points.isEmpty()) {
        continue;
      }
      double[] x = points.stream().mapToDouble(Row::macs).toArray();
      double[] y = points.stream().mapToDouble(value).toArray();
      boolean highlighted = e.getKey().equals(HIGHLIGHTED_METHOD);
      String name = e.getKey();
      XYSeries series;
      if (errorBars && points.stream().allMatch(r -> r.testTexts() > 0)) {
        double[] se = points.stream().mapToDouble(r -> standardError(value.applyAsDouble(r), r.testTexts())).toArray();
        series = chart.addSeries(name + " (±1 s.e.)", x, y, se);
      } else {
        series = chart.addSeries(name, x, y);
      }
      if (highlighted) {
        series.setLineColor(Color.BLACK);
        series.setMarkerColor(Color.BLACK);
        series.setLineWidth(3f);
      }
    }
    return chart;
  }

  /** Binomial standard error of an accuracy {@code a} measured on {@code n} texts. */
  static double standardError(double a, int n) {
    return Math.sqrt(a * (1 - a) / n);
  }
}
