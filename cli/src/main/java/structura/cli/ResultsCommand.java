package structura.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
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

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Write accuracy and fidelity against MACs as a PNG.")
  Path plot;

  @Option(names = "--force", description = "Replace an existing --plot file.")
  boolean force;

  /**
   * One evaluated model. {@code accuracy}: its own (retrained) probe; {@code transfer}: the original
   * model's probe on its embeddings; {@code agreement}: that probe's predictions equal to those on
   * the original embeddings (both NaN in reports written before they were measured).
   */
  record Row(String method, double target, double macs, double params, double fidelity, double accuracy,
      double referenceAccuracy, double transfer, double agreement, double refSeconds, double seconds,
      double compressSeconds) {}

  /** A model's mean seconds per batch; NaN when latency was not measured (eval --latency-iterations 0). */
  private static double meanSeconds(JsonObject latency, String model) {
    return latency != null && latency.get(model) instanceof JsonObject m ? number(m, "meanSeconds") : Double.NaN;
  }

  /** {@code object.key} as a number; NaN when absent (older reports) or null (reports write non-finite numbers so). */
  private static double number(JsonObject object, String key) {
    return object.has(key) && !object.get(key).isJsonNull() ? object.get(key).getAsDouble() : Double.NaN;
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
    plan.output("--plot", plot, OutputPlan.Shape.FILE).check();
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
          probe.getAsJsonObject("compressed").get("accuracy").getAsDouble(),
          probe.getAsJsonObject("reference").get("accuracy").getAsDouble(),
          number(probe, "transferAccuracy"), number(probe, "agreement"),
          meanSeconds(lat, "reference"), meanSeconds(lat, "compressed"),
          cj.getAsJsonObject("stageSeconds").get("total").getAsDouble()));
    }
    if (rows.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "no pairs of .compress.json and .eval.json in " + dir + ".",
          "Run scripts/results.sh first.");
    }
    rows.sort((a, b) -> a.target() != b.target() ? Double.compare(b.target(), a.target()) : a.method().compareTo(b.method()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("| method | target MACs | MACs kept | block params kept | fidelity (mean cos) | retrained probe accuracy | Δ vs original (points) | original's probe accuracy | agreement with original | ORT s/batch (orig → compressed) | speed-up | compress time (s) |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      String latency = Double.isNaN(r.refSeconds()) || Double.isNaN(r.seconds()) ? "not measured | -"
          : String.format(Locale.ROOT, "%.3f → %.3f | %.2f×", r.refSeconds(), r.seconds(), r.refSeconds() / r.seconds());
      out.printf(Locale.ROOT, "| %s | %.2f | %.3f | %.3f | %.4f | %.2f %% | %+.2f | %.2f %% | %.2f %% | %s | %.1f |%n",
          r.method(), r.target(), r.macs(), r.params(), r.fidelity(), 100 * r.accuracy(),
          100 * (r.accuracy() - r.referenceAccuracy()), 100 * r.transfer(), 100 * r.agreement(), latency, r.compressSeconds());
    }
    out.printf(Locale.ROOT, "%nOriginal model: probe accuracy %.2f %%.%n", 100 * rows.get(0).referenceAccuracy());
    out.flush();
    if (plot != null) {
      byte[] png = draw(rows);
      try (OutputTransaction outputs = new OutputTransaction(force)) {
        outputs.write(plot, o -> o.write(png));
        outputs.commit();
      }
      out.println("Plot: " + plot);
    }
    return ExitCodes.OK;
  }

  private static byte[] draw(List<Row> rows) {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<Row>> byMethod = new TreeMap<>();
    for (Row r : rows) {
      byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
    }
    int w = 1460;
    int h = 420;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    Color[] palette = {new Color(70, 120, 200), new Color(230, 140, 50), new Color(60, 160, 90), new Color(200, 60, 60),
        new Color(140, 90, 180)};
    double minAcc = Math.min(rows.stream().mapToDouble(r -> Math.min(r.accuracy(), Double.isNaN(r.transfer()) ? 1 : r.transfer()))
        .min().orElse(0.5), rows.get(0).referenceAccuracy());
    double lowAcc = Math.floor(minAcc * 20) / 20;
    double minFid = rows.stream().mapToDouble(Row::fidelity).min().orElse(0);
    double lowFid = Math.floor(minFid * 10) / 10;
    panel(g, byMethod, palette, 60, 40, 400, 320, "accuracy, probe retrained per model", lowAcc, 1.0, Row::accuracy,
        rows.get(0).referenceAccuracy());
    panel(g, byMethod, palette, 540, 40, 400, 320, "accuracy, the original model's probe", lowAcc, 1.0, Row::transfer,
        rows.get(0).referenceAccuracy());
    panel(g, byMethod, palette, 1020, 40, 400, 320, "embedding fidelity (mean cosine)", lowFid, 1.0, Row::fidelity, 1.0);
    int lx = 60;
    int i = 0;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (String m : byMethod.keySet()) {
      g.setColor(palette[i++ % palette.length]);
      g.fillRect(lx, h - 22, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(m, lx + 16, h - 12);
      lx += 110;
    }
    g.drawString("x: fraction of block MACs kept; dashed: original model", lx + 20, h - 12);
    g.dispose();
    return WidthPlot.encode(img);
  }

  private static void panel(Graphics2D g, Map<String, List<Row>> byMethod, Color[] palette, int x0, int y0, int pw, int ph,
      String title, double lo, double hi, java.util.function.ToDoubleFunction<Row> value, double reference) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, x0, y0 - 10);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(x0, y0, pw, ph);
    for (int t = 0; t <= 5; t++) {
      double v = lo + (hi - lo) * t / 5;
      int y = y0 + ph - (int) Math.round(ph * (v - lo) / (hi - lo));
      g.setColor(new Color(225, 225, 225));
      g.drawLine(x0 + 1, y, x0 + pw - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.3f", v), x0 - 42, y + 4);
    }
    for (int t = 0; t <= 5; t++) {
      double v = 0.2 * t;
      int x = x0 + (int) Math.round(pw * v);
      g.drawString(String.format(Locale.ROOT, "%.1f", v), x - 8, y0 + ph + 16);
    }
    int yr = y0 + ph - (int) Math.round(ph * (reference - lo) / (hi - lo));
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    g.drawLine(x0, yr, x0 + pw, yr);
    g.setStroke(new BasicStroke(2f));
    int i = 0;
    for (List<Row> series : byMethod.values()) {
      g.setColor(palette[i++ % palette.length]);
      List<Row> s = new ArrayList<>(series);
      s.sort((a, b) -> Double.compare(a.macs(), b.macs()));
      int px = -1;
      int py = -1;
      for (Row r : s) {
        double v = value.applyAsDouble(r);
        if (Double.isNaN(v)) {
          continue;   // not measured in this report
        }
        int x = x0 + (int) Math.round(pw * r.macs());
        int y = y0 + ph - (int) Math.round(ph * (Math.max(lo, v) - lo) / (hi - lo));
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }
}
