package structura.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionReport;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionResult;
import structura.algorithms.compress.CompressionStrategies;
import structura.algorithms.compress.CompressionStrategy;
import structura.algorithms.compress.ProgressListener;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;
import structura.formats.ModelFiles;
import structura.formats.ModelZoo;
import structura.formats.TokenizedTexts;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura compress}: loads a transformer, tokenizes calibration texts, runs a
 * {@link CompressionStrategy} to a budget, and writes the compressed model (ONNX or safetensors)
 * next to a report and a plot. Reading, tokenizing and writing are the library's
 * {@link ModelFiles} calls an embedder makes; this class adds the checks, progress and report. The input model is only read. Every output path is checked against
 * every input and every other output before any work ({@link OutputPlan}), and all outputs are
 * committed together at the end ({@link OutputTransaction}): a failed run writes nothing.
 */
@Command(name = "compress", exitCodeOnInvalidInput = ExitCodes.USAGE, sortOptions = false,
    description = {"Compress a transformer without fine-tuning and write it as ONNX or safetensors.",
        "Methods: stat, id-prune, modegpt, magnitude, svd, monarch, btt, disp, cur (see --list-methods)."})
final class CompressCommand implements Callable<Integer> {
  private final Provider<BackendSelection> selection;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "MODEL",
      description = "Zoo name (all-minilm-l6-v2, bge-small-en-v15), a BERT-family .onnx file, or a safetensors directory (BERT or Llama family).")
  String model;

  @Option(names = "--method", paramLabel = "NAME", defaultValue = "stat", description = "Compression method (default ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--target", paramLabel = "FRACTION",
      description = "Fraction of the block MACs (or parameters, with --target-kind params) to keep, e.g. 0.5.")
  Double target;

  @Option(names = "--target-kind", paramLabel = "macs|params", defaultValue = "macs",
      description = "What --target counts (default ${DEFAULT-VALUE}).")
  String targetKind;

  @Option(names = "--keep-heads", paramLabel = "FRACTION", description = "Per-block fraction of heads to keep, of key/value groups under grouped-query attention (instead of --target).")
  Double keepHeads;

  @Option(names = "--keep-neurons", paramLabel = "FRACTION", description = "Per-block fraction of FFN neurons to keep (instead of --target).")
  Double keepNeurons;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "Calibration texts: one per line, or JSON lines with a \"text\" field.")
  Path calibration;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "512", description = "Calibration texts to use, from the start of the file (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "128", description = "Truncate texts to this many tokens (default ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Texts per calibration batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json, when the model has none beside it.")
  Path tokenizer;

  @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "Method option (repeatable); see --list-methods.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--out", paramLabel = "PATH", description = "Output: a .onnx file, or a directory for safetensors.")
  Path out;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path reportFile;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw kept heads and neurons per block as a PNG, and as SVG beside it (FILE.svg).")
  Path plot;

  @Option(names = "--force", description = "Replace existing output files, and the files of a previous Structura output "
      + "directory (those its .structura-output lists); never anything else.")
  boolean force;

  @Option(names = "--list-methods", description = "List the compression methods, their options and citations, and exit.")
  boolean listMethods;

  @Inject
  CompressCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (listMethods) {
      for (CompressionStrategy s : CompressionStrategies.all()) {
        out.printf("%-10s %s%n           %s%n", s.name(), s.summary(), s.citation());
        s.optionHelp().forEach((k, v) -> out.printf("           -o %s=...  %s%n", k, v));
      }
      return ExitCodes.OK;
    }
    Budget budget;
    CompressionStrategy strategy;
    try {
      budget = budget();
      strategy = CompressionStrategies.byName(method);
      strategy.checkOptions(options);
    } catch (InvalidArgumentException e) {
      // a bad option value (a fraction out of range, an unknown method, an unknown -o key or a
      // bad -o value) is a usage error: exit 1, before the model is loaded
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    require(model != null, "--model is required");
    require(calibration != null, "--calibration is required");
    require(this.out != null, "--out is required");
    require(samples >= 1, "--samples must be at least 1");
    require(maxLength >= 2, "--max-length must be at least 2");
    require(batchSize >= 1, "--batch-size must be at least 1");
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Map<String, Double> stages = new LinkedHashMap<>();

    ModelZoo.Resolved resolved = ModelZoo.resolve(model);
    Path outPath = this.out.toAbsolutePath().normalize();
    boolean onnxOut = outPath.getFileName() != null && outPath.getFileName().toString().endsWith(".onnx");
    Path foundTokenizer = tokenizer != null ? tokenizer : resolved.tokenizer().orElse(null);
    // before any work: a bad output path must not cost minutes of compression, nor touch an input
    OutputPlan plan = new OutputPlan(force).input("--model", resolved.model()).input("--tokenizer", foundTokenizer)
        .input("--calibration", calibration)
        .output("--out", outPath, onnxOut ? OutputPlan.Shape.FILE : OutputPlan.Shape.DIRECTORY)
        .output("--out's tokenizer", onnxOut ? ModelZoo.companionTokenizer(outPath) : null, OutputPlan.Shape.FILE)
        .output("--report", reportFile, OutputPlan.Shape.FILE);
    Charts.plan(plan, "--plot", plot).check();
    if (!onnxOut && (method.equals("monarch") || method.equals("btt"))) {
      // safetensors has no names for block tensor-train cores; say so before minutes of work
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " writes Monarch/BTT layers, which the "
          + "safetensors layout has no names for; --out " + this.out + " is a directory.",
          "Write ONNX: --out model.onnx (OnnxModels reads the cores back).");
    }
    if (foundTokenizer == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "no tokenizer.json found for " + model + ".",
          "Pass --tokenizer path/to/tokenizer.json.");
    }
    Path tokenizerFile = foundTokenizer;
    long t = System.nanoTime();
    TransformerNetwork network = ModelFiles.read(resolved);
    stages.put("load model", secondsSince(t));

    t = System.nanoTime();
    TokenizedTexts texts = ModelFiles.tokenize(calibration, tokenizerFile, maxLength, samples);
    CalibrationData data = CalibrationData.of(texts.ids(), batchSize, texts.padId());
    stages.put("tokenize", secondsSince(t));
    if (texts.ids().size() < samples) {
      err.printf("structura: note: %s has %d texts, fewer than --samples %d; using all of them.%n", calibration,
          texts.ids().size(), samples);
    }

    BackendSelection chosen = selection.get();
    CompressionResult result;
    try (Compute compute = chosen.open()) {
      err.printf("Compressing %s (%d blocks, %,d parameters) with %s to %s on backend %s; calibration %d texts, %,d tokens (mean %.1f).%n",
          model, network.depth(), network.parameterCount(), strategy.name(), describe(budget), compute.backendId(),
          data.texts(), data.tokens(), data.meanLength());
      err.flush();
      result = strategy.compress(new CompressionRequest(network, data, budget, compute, options, new Progress(err)));
    }
    try (OutputTransaction outputs = new OutputTransaction(force)) {
      t = System.nanoTime();
      ModelFiles.stage(outputs, result.network(), outPath, tokenizerFile);
      stages.put("write", secondsSince(t));
      CompressionReport report = withStages(result, stages, start);
      if (reportFile != null) {
        byte[] json = JsonReport.bytes(reportJson(report, strategy, budget, resolved, tokenizerFile));
        outputs.write(reportFile, o -> o.write(json));
      }
      if (plot != null) {
        WidthPlot.stage(outputs, plot, report);
      }
      outputs.commit();
      print(out, report, outPath);
    }
    if (reportFile != null) {
      out.println("Report: " + reportFile);
    }
    if (plot != null) {
      out.println("Plot: " + plot + " (and " + Charts.svgBeside(plot).getFileName() + ")");
    }
    return ExitCodes.OK;
  }

  /**
   * The report as JSON: the strategy's fields as before (read by {@code structura results} and the
   * docs), then what reproduces the run: tool version, timestamp, inputs with SHA-256, the command's
   * options, the seed, and the budget as a structure.
   */
  private JsonObject reportJson(CompressionReport report, CompressionStrategy strategy, Budget budget,
      ModelZoo.Resolved resolved, Path tokenizerFile) {
    JsonObject json = JsonReport.tree(report);
    new ReportProvenance().input("--model", model, resolved.model()).input("--tokenizer", String.valueOf(tokenizerFile), tokenizerFile)
        .input("--calibration", String.valueOf(calibration), calibration).addTo(json);
    JsonObject o = new JsonObject();
    o.addProperty("method", strategy.name());
    o.addProperty("samples", samples);
    o.addProperty("maxLength", maxLength);
    o.addProperty("batchSize", batchSize);
    o.addProperty("backend", report.backend());
    o.addProperty("out", this.out.toString());
    JsonObject methodOptions = new JsonObject();
    options.forEach(methodOptions::addProperty);
    o.add("methodOptions", methodOptions);
    json.add("options", o);
    json.add("seed", seed(strategy));
    json.add("budgetSpec", budgetJson(budget));
    return json;
  }

  /**
   * The seed the method ran with: the {@code -o seed=} given, else the default its help states;
   * JSON null for a method that draws no random numbers (it has no seed option).
   */
  private JsonElement seed(CompressionStrategy strategy) {
    if (options.containsKey("seed")) {
      return new JsonPrimitive(Long.parseLong(options.get("seed").trim()));
    }
    String help = strategy.optionHelp().get("seed");
    Matcher m = help == null ? null : DEFAULT_IN_HELP.matcher(help);
    return m != null && m.find() ? new JsonPrimitive(Long.parseLong(m.group(1))) : JsonNull.INSTANCE;
  }

  private static final Pattern DEFAULT_IN_HELP = Pattern.compile("\\(default (-?\\d+)\\)");

  /** The budget as {@code {"kind": ..., ...fractions}}, mirroring the {@link Budget} record it came from. */
  static JsonObject budgetJson(Budget budget) {
    JsonObject b = new JsonObject();
    switch (budget) {
      case Budget.MacFraction m -> {
        b.addProperty("kind", "macs");
        b.addProperty("fraction", m.fraction());
      }
      case Budget.ParameterFraction p -> {
        b.addProperty("kind", "params");
        b.addProperty("fraction", p.fraction());
      }
      case Budget.KeepFractions k -> {
        b.addProperty("kind", "keep");
        b.addProperty("heads", k.heads());
        b.addProperty("neurons", k.neurons());
      }
    }
    return b;
  }

  /** The strategy's report with this command's stage times (load, tokenize, write) and the total in front. */
  private static CompressionReport withStages(CompressionResult result, Map<String, Double> stages, long start) {
    Map<String, Double> allStages = new LinkedHashMap<>(stages);
    allStages.putAll(result.report().stageSeconds());
    allStages.put("total", secondsSince(start));
    return new CompressionReport(result.report().method(), result.report().citation(),
        result.report().backend(), result.report().budget(), result.report().parametersBefore(),
        result.report().parametersAfter(), result.report().blockParametersBefore(), result.report().blockParametersAfter(),
        result.report().macsBefore(), result.report().macsAfter(), result.report().sequenceLength(),
        result.report().calibrationTexts(), result.report().calibrationTokens(), result.report().blocks(), allStages);
  }

  private Budget budget() {
    if (listMethods) {
      return null;
    }
    if (target != null && (keepHeads != null || keepNeurons != null)) {
      throw new ParameterException(spec.commandLine(), "give either --target or --keep-heads/--keep-neurons, not both");
    }
    if (target != null) {
      return switch (targetKind.toLowerCase(Locale.ROOT)) {
        case "macs" -> new Budget.MacFraction(target);
        case "params", "parameters" -> new Budget.ParameterFraction(target);
        default -> throw new ParameterException(spec.commandLine(), "--target-kind must be macs or params, got " + targetKind);
      };
    }
    if (keepHeads != null || keepNeurons != null) {
      return new Budget.KeepFractions(keepHeads == null ? 1 : keepHeads, keepNeurons == null ? 1 : keepNeurons);
    }
    throw new ParameterException(spec.commandLine(), "give a budget: --target 0.5, or --keep-heads/--keep-neurons");
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private static String describe(Budget b) {
    return switch (b) {
      case Budget.MacFraction m -> String.format(Locale.ROOT, "%.0f%% of the MACs", 100 * m.fraction());
      case Budget.ParameterFraction p -> String.format(Locale.ROOT, "%.0f%% of the block parameters", 100 * p.fraction());
      case Budget.KeepFractions k -> String.format(Locale.ROOT, "keep %.0f%% of heads and %.0f%% of neurons per block",
          100 * k.heads(), 100 * k.neurons());
    };
  }

  private static void print(PrintWriter out, CompressionReport r, Path outPath) {
    out.printf(Locale.ROOT, "%n%s, %s (%s), backend %s%n", r.method(), r.budget(), r.citation(), r.backend());
    out.printf(Locale.ROOT, "  parameters   %,12d -> %,12d  (blocks %,d -> %,d, %.1f%%)%n", r.parametersBefore(),
        r.parametersAfter(), r.blockParametersBefore(), r.blockParametersAfter(), 100 * r.parameterFraction());
    out.printf(Locale.ROOT, "  block MACs   %,12.0f -> %,12.0f  (%.1f%%, per sequence of %.1f tokens)%n", r.macsBefore(),
        r.macsAfter(), 100 * r.macFraction(), r.sequenceLength());
    out.printf(Locale.ROOT, "  calibration  %d texts, %,d tokens%n", r.calibrationTexts(), r.calibrationTokens());
    out.printf(Locale.ROOT, "  %5s %11s %11s %11s %13s %12s %12s%n", "block", "heads", "qk dim", "v dim", "neurons",
        "attn error", "FFN error");
    for (CompressionReport.BlockReport b : r.blocks()) {
      out.printf(Locale.ROOT, "  %5d %5d->%-5d %5d->%-5d %5d->%-5d %6d->%-6d %12s %12s%n", b.block(), b.headsBefore(),
          b.headsAfter(), b.queryKeyDimBefore(), b.queryKeyDimAfter(), b.valueDimBefore(), b.valueDimAfter(),
          b.neuronsBefore(), b.neuronsAfter(), error(b.attentionError()), error(b.ffnError()));
    }
    printRanks(out, r);
    out.print("  time (s):");
    r.stageSeconds().forEach((k, v) -> out.printf(Locale.ROOT, "  %s %.1f", k, v));
    out.println();
    out.println("Wrote " + outPath);
    out.flush();
  }

  /** The ranks of low-rank (svd) or Monarch/BTT layers per block, when the method replaced any. */
  private static void printRanks(PrintWriter out, CompressionReport r) {
    CompressionReport.BlockReport first = r.blocks().stream().filter(b -> !b.ranks().isEmpty()).findFirst().orElse(null);
    if (first == null) {
      return;
    }
    boolean structured = r.method().equals("monarch") || r.method().equals("btt");
    out.printf(Locale.ROOT, structured
        ? "  Monarch/BTT layers: rank r of each block (1 for Monarch; block counts in the log), and the relative calibration error of the layer output%n"
        : "  low-rank layers: rank k of min(out, in), and the relative calibration error of the layer output%n");
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %5s", "block"));
    for (CompressionReport.LayerRank l : first.ranks()) {
      h.append(String.format(Locale.ROOT, " %17s", l.layer()));
    }
    out.println(h);
    for (CompressionReport.BlockReport b : r.blocks()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %5d", b.block()));
      for (CompressionReport.LayerRank l : b.ranks()) {
        line.append(String.format(Locale.ROOT, " %17s", l.factored()
            ? structured ? String.format(Locale.ROOT, "r%d %.4f", l.rank(), l.error())
                : String.format(Locale.ROOT, "%d/%d %.4f", l.rank(), Math.min(l.out(), l.in()), l.error()) : "dense"));
      }
      out.println(line);
    }
  }

  private static String error(double e) {
    return Double.isNaN(e) ? "-" : String.format(Locale.ROOT, "%.4f", e);
  }

  private static double secondsSince(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  /** Progress lines on stderr: one per stage and per block. */
  private static final class Progress implements ProgressListener {
    private final PrintWriter err;
    private final long start = System.nanoTime();

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void stage(String name) {
      err.printf(Locale.ROOT, "[%6.1fs] %s%n", secondsSince(start), name);
      err.flush();
    }

    @Override
    public void block(int block, int blocks, String detail) {
      err.printf(Locale.ROOT, "[%6.1fs]   block %d/%d: %s%n", secondsSince(start), block + 1, blocks, detail);
      err.flush();
    }
  }
}
