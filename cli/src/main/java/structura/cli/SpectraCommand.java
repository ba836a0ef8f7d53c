package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.eval.ActivationSpectra;
import structura.algorithms.eval.ClassSpectra;
import structura.algorithms.eval.Spectrum;
import structura.algorithms.nn.SentenceEmbeddings;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.formats.LabeledText;
import structura.formats.ModelZoo;
import structura.formats.OnnxModels;
import structura.formats.Safetensors;
import structura.formats.TextCorpus;
import structura.formats.TextTokenizer;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura spectra}: the spectral diagnostics of a model on a text corpus. Per block the
 * covariance spectrum and effective rank of the hidden state and of the FFN activations
 * ({@link ActivationSpectra}); per class the spectrum of the sentence embeddings and the class
 * spectral imbalance ({@link ClassSpectra}). Written as a table, JSON and a plot, through the
 * shared output helpers (all or nothing).
 */
@Command(name = "spectra", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Activation spectra and effective ranks per layer, and per-class embedding spectra with their imbalance.")
final class SpectraCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME|PATH", required = true, description = "Zoo name (all-minilm-l6-v2) or model path.")
  String model;

  @Option(names = "--data", paramLabel = "FILE", required = true,
      description = "Texts: JSON lines with \"text\" (and \"label\" for the class spectra), or one text per line.")
  Path data;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "512",
      description = "Texts to use, spread evenly over the file so that every class keeps its share (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "128", description = "Truncate texts to this many tokens (default ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Texts per forward batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json, when the model has none beside it.")
  Path tokenizer;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write every spectrum and measure as JSON.")
  Path json;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the spectra as a PNG, and as SVG beside it.")
  Path plot;

  @Option(names = "--force", description = "Replace existing --json and --plot files.")
  boolean force;

  @Spec
  CommandSpec spec;

  private final Provider<BackendSelection> selection;

  @Inject
  SpectraCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (samples < 2 || maxLength < 2 || batchSize < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--samples " + samples + ", --max-length " + maxLength
          + ", --batch-size " + batchSize + ".", "Pass --samples >= 2, --max-length >= 2 and --batch-size >= 1.");
    }
    ModelZoo.Resolved resolved = ModelZoo.resolve(model);
    Path tokenizerFile = tokenizer != null ? tokenizer : resolved.tokenizer().orElseThrow(() -> new InvalidArgumentException(
        ErrorCode.INVALID_ARGUMENT, "no tokenizer.json found for " + model + ".", "Pass --tokenizer path/to/tokenizer.json."));
    Charts.plan(new OutputPlan(force).input("--model", resolved.model()).input("--tokenizer", tokenizerFile)
        .input("--data", data).output("--json", json, OutputPlan.Shape.FILE), "--plot", plot).check();
    TransformerNetwork network = resolved.kind() == ModelZoo.Kind.ONNX ? OnnxModels.readBert(resolved.model())
        : Safetensors.read(resolved.model());
    List<LabeledText> all = TextCorpus.read(data);
    List<LabeledText> texts = spread(all, samples);
    List<int[]> ids;
    int padId;
    try (TextTokenizer tok = TextTokenizer.load(tokenizerFile, maxLength)) {
      padId = tok.padId();
      ids = tok.ids(texts.stream().map(LabeledText::text).toList());
    }
    CalibrationData batches = CalibrationData.of(ids, batchSize, padId);
    long t0 = System.nanoTime();
    List<ActivationSpectra.Layer> layers;
    ClassSpectra.Result classes;
    String backend;
    List<String> labels = texts.stream().map(LabeledText::label).toList();
    boolean labelled = labels.stream().allMatch(l -> l != null) && labels.stream().distinct().count() >= 2;
    try (Compute compute = selection.get().open()) {
      backend = compute.backendId();
      err.printf(Locale.ROOT, "spectra: %s on %d texts (%,d tokens), backend %s%n", model, batches.texts(),
          batches.tokens(), backend);
      err.flush();
      layers = ActivationSpectra.measure(compute, network, batches.batches(), (done, total) -> {
        if (done % 4 == 0 || done == total) {
          err.printf(Locale.ROOT, "spectra: layer statistics, batch %d/%d%n", done, total);
          err.flush();
        }
      });
      classes = labelled
          ? ClassSpectra.of(compute, embed(compute, network, batches.batches(), resolved.meanPooling(), err), labels) : null;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> report = report(layers, classes, batches, backend, resolved.meanPooling(), seconds);
    print(layers, classes, seconds);
    try (OutputTransaction outputs = new OutputTransaction(force)) {
      if (json != null) {
        byte[] bytes = JsonReport.bytes(report);
        outputs.write(json, stream -> stream.write(bytes));
      }
      if (plot != null) {
        List<XYChart> panels = new ArrayList<>(List.of(layerChart(layers, true), layerChart(layers, false)));
        if (classes != null) {
          panels.add(classChart(classes));
        }
        Charts.stage(outputs, plot, 720, 540, panels);
      }
      outputs.commit();
    }
    return ExitCodes.OK;
  }

  /**
   * n texts at evenly spaced positions of the file (all of them when it has no more): labelled
   * files are often sorted by class, and a prefix would then hold one class only.
   */
  static List<LabeledText> spread(List<LabeledText> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<LabeledText> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }

  /** Sentence embeddings (the model's pooling, L2-normalised), one row per text in file order. */
  private static Matrix embed(Compute compute, TransformerNetwork network, List<TokenBatch> batches, boolean mean,
      PrintWriter err) {
    TransformerForward f = new TransformerForward(compute, network);
    List<Matrix> parts = new ArrayList<>();
    int rows = 0;
    for (TokenBatch b : batches) {
      if (parts.size() % 4 == 0) {
        err.printf(Locale.ROOT, "spectra: sentence embeddings, batch %d/%d%n", parts.size() + 1, batches.size());
        err.flush();
      }
      Matrix h = f.lastHiddenState(b);
      Matrix e = mean ? SentenceEmbeddings.meanPool(h, b, true) : SentenceEmbeddings.clsPool(h, b, true);
      parts.add(e);
      rows += e.rows();
    }
    Matrix out = Matrix.zeros(DType.F64, rows, parts.get(0).cols());
    int r = 0;
    for (Matrix p : parts) {
      for (int i = 0; i < p.rows(); i++, r++) {
        for (int j = 0; j < p.cols(); j++) {
          out.set(r, j, p.get(i, j));
        }
      }
    }
    return out;
  }

  private Map<String, Object> report(List<ActivationSpectra.Layer> layers, ClassSpectra.Result classes,
      CalibrationData batches, String backend, boolean mean, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("data", data.toString());
    m.put("texts", batches.texts());
    m.put("tokens", batches.tokens());
    m.put("max_length", maxLength);
    m.put("backend", backend);
    List<Map<String, Object>> ls = new ArrayList<>();
    for (ActivationSpectra.Layer l : layers) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("block", l.block());
      e.put("hidden", measures(l.hidden()));
      e.put("ffn", measures(l.ffn()));
      ls.add(e);
    }
    m.put("layers", ls);
    if (classes != null) {
      m.put("pooling", mean ? "mean" : "cls");
      Map<String, Object> cs = new LinkedHashMap<>();
      classes.spectra().forEach((label, s) -> {
        Map<String, Object> e = measures(s);
        e.put("count", classes.counts().get(label));
        cs.put(label, e);
      });
      m.put("classes", cs);
      m.put("class_spectral_imbalance", classes.imbalance());
      m.put("most_distant_classes", List.of(classes.mostDistantA(), classes.mostDistantB()));
    } else {
      m.put("classes", null);
    }
    m.put("seconds", seconds);
    return m;
  }

  private static Map<String, Object> measures(Spectrum s) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("total_variance", s.total());
    e.put("effective_rank", s.effectiveRank());
    e.put("stable_rank", s.stableRank());
    e.put("participation_ratio", s.participationRatio());
    e.put("rank_90", s.rankAt(0.9));
    e.put("rank_99", s.rankAt(0.99));
    e.put("eigenvalues", s.eigenvalues());
    return e;
  }

  private void print(List<ActivationSpectra.Layer> layers, ClassSpectra.Result classes, double seconds) {
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "%-6s %-9s %10s %10s %8s %8s%n", "block", "kind", "eff. rank", "stable", "rank90", "rank99");
    for (ActivationSpectra.Layer l : layers) {
      for (var kind : List.of(Map.entry("hidden", l.hidden()), Map.entry("ffn", l.ffn()))) {
        Spectrum s = kind.getValue();
        o.printf(Locale.ROOT, "%-6d %-9s %10.1f %10.2f %8d %8d%n", l.block(), kind.getKey(), s.effectiveRank(),
            s.stableRank(), s.rankAt(0.9), s.rankAt(0.99));
      }
    }
    if (classes != null) {
      classes.spectra().forEach((label, s) -> o.printf(Locale.ROOT,
          "class %-10s %5d texts: total variance %.4f, effective rank %.1f, rank90 %d%n", label,
          classes.counts().get(label), s.total(), s.effectiveRank(), s.rankAt(0.9)));
      o.printf(Locale.ROOT, "class spectral imbalance (normalised l1 distance of spectra, %s vs %s): %.4f%n",
          classes.mostDistantA(), classes.mostDistantB(), classes.imbalance());
    } else {
      o.println("class spectra: skipped (they need a \"label\" on every text used and two or more labels among them)");
    }
    o.printf(Locale.ROOT, "%.1f s%n", seconds);
  }

  /** Each block's normalised eigenvalues λ_i/Σλ on a log axis, hidden states or FFN activations. */
  private XYChart layerChart(List<ActivationSpectra.Layer> layers, boolean hidden) {
    XYChart chart = new XYChartBuilder().title(String.format(Locale.ROOT, "%s: %s covariance spectrum per block", model,
        hidden ? "hidden-state" : "FFN-activation")).xAxisTitle("eigenvalue index")
        .yAxisTitle("eigenvalue / total variance (log)").build();
    lines(chart);
    for (ActivationSpectra.Layer l : layers) {
      Spectrum s = hidden ? l.hidden() : l.ffn();
      addSpectrum(chart, String.format(Locale.ROOT, "block %d (eff. rank %.0f)", l.block(), s.effectiveRank()), s);
    }
    return chart;
  }

  private XYChart classChart(ClassSpectra.Result classes) {
    XYChart chart = new XYChartBuilder().title(String.format(Locale.ROOT,
        "sentence-embedding spectrum per class (imbalance %.3f)", classes.imbalance())).xAxisTitle("eigenvalue index")
        .yAxisTitle("eigenvalue (log)").build();
    lines(chart);
    classes.spectra().forEach((label, s) -> {
      double[] ev = s.eigenvalues();
      int n = positivePrefix(ev, ev[0] * 1e-12);
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = i + 1;
        y[i] = ev[i];
      }
      chart.addSeries(String.format(Locale.ROOT, "%s (%d texts)", label, classes.counts().get(label)), x, y);
    });
    return chart;
  }

  /** Log y axis, lines without markers (hundreds of points), the legend as a list inside the plot. */
  private static void lines(XYChart chart) {
    Charts.style(chart.getStyler()).setYAxisLogarithmic(true).setXAxisDecimalPattern("0");
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
  }

  private static void addSpectrum(XYChart chart, String name, Spectrum s) {
    double[] ev = s.eigenvalues();
    double total = s.total();
    int n = positivePrefix(ev, total * 1e-12);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = ev[i] / total;
    }
    chart.addSeries(name, x, y);
  }

  /** How many leading eigenvalues exceed the floor (a log axis cannot show zeros); at least 1. */
  private static int positivePrefix(double[] ev, double floor) {
    int n = 0;
    while (n < ev.length && ev[n] > floor) {
      n++;
    }
    return Math.max(1, n);
  }
}
