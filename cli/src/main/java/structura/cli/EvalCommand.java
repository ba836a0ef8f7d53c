package structura.cli;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.api.StructuraException;
import structura.formats.ModelZoo;
import structura.formats.eval.EvalData;
import structura.formats.eval.Evaluation;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura eval}: how much a compressed sentence encoder lost against its original,
 * measured in ONNX Runtime: embedding fidelity, linear-probe accuracy of both models, latency of
 * both. The protocol is in {@code docs/evaluation.md}; the work is done by {@link Evaluation}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE, sortOptions = false,
    description = {"Compare a compressed sentence encoder with its original in ONNX Runtime: embedding fidelity "
        + "(cosine on held-out texts), 10-nearest-neighbour overlap and the rank correlation of pairwise similarities "
        + "among held-out texts, linear-probe accuracy of both (and the original's probe on the compressed embeddings), "
        + "and latency of both.",
        "Data: JSON lines {\"text\": ..., \"label\": ...}, e.g. from structura data fetch spam-assassin."},
    footer = {"", "The global --threads sets ONNX Runtime's intra-op threads (default: available processors).",
        "Example:",
        "  structura eval --model minilm-small.onnx --reference all-minilm-l6-v2 \\",
        "      --data data/spam-assassin/test.jsonl \\",
        "      --train data/spam-assassin/train.jsonl --limit 1000 --report eval.json"})
final class EvalCommand implements Callable<Integer> {
  private final GlobalOptions global;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL",
      description = "The compressed model: an .onnx file or a zoo name.")
  String model;

  @Option(names = "--reference", required = true, paramLabel = "MODEL",
      description = "The original model: a zoo name (all-minilm-l6-v2, bge-small-en-v15) or an .onnx file.")
  String reference;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "Labeled texts (.jsonl). The held-out test texts when --train is given; else split 80/20 by a hash of each text.")
  Path data;

  @Option(names = "--train", paramLabel = "FILE", description = "Labeled texts the probes are trained on (.jsonl).")
  Path train;

  @Option(names = "--tokenizer", paramLabel = "FILE",
      description = "tokenizer.json for both models (default: the reference's).")
  Path tokenizer;

  @Option(names = "--limit", paramLabel = "N",
      description = "At most N texts per split, stratified by label and chosen by hash (default: all).")
  Integer limit;

  @Option(names = "--max-length", defaultValue = "128", paramLabel = "TOKENS",
      description = "Tokens per text, special tokens included; longer texts are cut (default ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
      description = "Texts per forward pass while embedding (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--probe-c", defaultValue = "auto", paramLabel = "C|auto",
      description = "Inverse L2 strength of the logistic-regression probes, as scikit-learn's C, or auto: chosen per "
          + "model by 5-fold cross-validation on the train split over 1e-3 .. 1e3 (default ${DEFAULT-VALUE}).")
  String probeC;

  @Option(names = "--latency-batch", defaultValue = "32", paramLabel = "N",
      description = "Sequences per timed batch (default ${DEFAULT-VALUE}).")
  int latencyBatch;

  @Option(names = "--latency-length", defaultValue = "128", paramLabel = "TOKENS",
      description = "Tokens per sequence of the timed batch (default ${DEFAULT-VALUE}).")
  int latencyLength;

  @Option(names = "--latency-iterations", defaultValue = "10", paramLabel = "N",
      description = "Timed runs per model after one warm-up, alternating the models; 0 skips latency (default ${DEFAULT-VALUE}).")
  int latencyIterations;

  @Option(names = "--pooling", defaultValue = "auto", paramLabel = "mean|cls|auto",
      description = "How token rows become one embedding, for both models: mean of the rows, the [CLS] row, or auto: "
          + "the zoo model's own (all-minilm-l6-v2 mean, bge-small-en-v15 cls; mean for a reference given by path) "
          + "(default ${DEFAULT-VALUE}).")
  String pooling;

  @Option(names = "--reference-cache", paramLabel = "DIR",
      description = "Keep the reference's embeddings in DIR and reuse them when the model, tokenizer, settings and texts "
          + "are the same (evaluating several compressed models against one original embeds its texts once).")
  Path referenceCache;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path report;

  @Option(names = "--force", description = "Replace an existing --report file.")
  boolean force;

  @Inject
  EvalCommand(GlobalOptions global) {
    this.global = global;
  }

  @Override
  public Integer call() {
    if (limit != null && limit < 2) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 2, got " + limit);
    }
    if (global.threads != null && global.threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + global.threads);
    }
    Boolean meanPooling = switch (pooling.toLowerCase(Locale.ROOT)) {
      case "mean" -> true;
      case "cls" -> false;
      case "auto" -> null;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--pooling must be mean, cls or auto, got " + pooling);
    };
    int threads = global.threads != null ? global.threads : Runtime.getRuntime().availableProcessors();
    Evaluation.Settings settings;
    try {
      Double c = "auto".equalsIgnoreCase(probeC) ? null : parseC(probeC);
      settings = new Evaluation.Settings(maxLength, batchSize, threads, c, latencyBatch, latencyLength, latencyIterations);
    } catch (StructuraException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());   // a bad option value: usage, exit 1
    }
    // before any work: the report may not overwrite a model or a data file, nor fail after minutes of embedding
    new OutputPlan(force).input("--model", ModelZoo.resolve(model).model()).input("--reference", ModelZoo.resolve(reference).model())
        .input("--data", data).input("--train", train).input("--tokenizer", tokenizer)
        .output("--report", report, OutputPlan.Shape.FILE).check();
    PrintWriter err = spec.commandLine().getErr();
    EvalData d = EvalData.load(data, train, limit);
    err.printf("eval: %d train and %d test texts, labels %s%n", d.train().size(), d.test().size(), d.labels());
    int overlap = d.overlap();
    if (overlap > 0) {
      // allowed (the user chose the files), but a probe scored on texts it was fit on reads too high
      err.printf("eval: note: %d test texts also occur in the train file; probe accuracies include them%n", overlap);
    }
    err.flush();
    Evaluation.Report r = new Evaluation(settings, err, referenceCache).run(model, reference, tokenizer, meanPooling, d, data, train);
    print(spec.commandLine().getOut(), r);
    if (report != null) {
      byte[] json = JsonReport.bytes(reportJson(r));
      try (OutputTransaction outputs = new OutputTransaction(force)) {
        outputs.write(report, o -> o.write(json));
        outputs.commit();
      }
      spec.commandLine().getOut().println("Report written to " + report);
    }
    return ExitCodes.OK;
  }

  /**
   * The report as JSON (non-finite numbers as null): the evaluation's fields as before, then the
   * tool version, timestamp, inputs with SHA-256, the options and the seed.
   */
  private JsonObject reportJson(Evaluation.Report r) {
    JsonObject json = JsonReport.tree(r);
    new ReportProvenance().input("--model", model, ModelZoo.resolve(model).model())
        .input("--reference", reference, ModelZoo.resolve(reference).model()).input("--tokenizer", r.tokenizer(), Path.of(r.tokenizer()))
        .input("--data", String.valueOf(data), data).input("--train", String.valueOf(train), train).addTo(json);
    JsonObject o = new JsonObject();
    o.addProperty("limit", limit);
    o.addProperty("maxLength", maxLength);
    o.addProperty("batchSize", batchSize);
    o.addProperty("probeC", probeC);
    o.addProperty("pooling", pooling);
    o.addProperty("latencyBatch", latencyBatch);
    o.addProperty("latencyLength", latencyLength);
    o.addProperty("latencyIterations", latencyIterations);
    o.addProperty("referenceCache", referenceCache == null ? null : referenceCache.toString());
    json.add("options", o);
    // the split and --limit go by a hash of each text; only the folds of --probe-c auto are shuffled
    json.add("seed", "auto".equalsIgnoreCase(probeC) ? new JsonPrimitive(Evaluation.CV_SEED) : JsonNull.INSTANCE);
    return json;
  }

  private Double parseC(String text) {
    try {
      return Double.valueOf(text);
    } catch (NumberFormatException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--probe-c must be a positive number or auto, got "
          + text);
    }
  }

  private static void print(PrintWriter out, Evaluation.Report r) {
    out.printf("Reference   %s (%d-wide, %s pooling, %d tokens per text)%n", r.reference().given(), r.reference().width(),
        r.pooling(), r.maxLength());
    out.printf("Compressed  %s%n", r.compressed().given());
    out.printf("Data        train %d texts %s; test %d texts %s%n", r.train().texts(), r.train().labels(), r.test().texts(),
        r.test().labels());
    out.printf("Fidelity    cosine(compressed, reference) on %d test texts: mean %.6f, 5th percentile %.6f, min %.6f%n",
        r.fidelity().texts(), r.fidelity().mean(), r.fidelity().p5(), r.fidelity().min());
    Evaluation.Geometry g = r.geometry();
    out.printf(Locale.ROOT, "Neighbours  %d nearest neighbours (cosine, among the test texts) kept: %.4f on average%n", g.k(),
        g.overlap());
    out.printf(Locale.ROOT, "Similarity  Spearman rank correlation of the cosines of all %,d pairs of test texts: %.4f%n",
        g.pairs(), g.spearman());
    out.println();
    out.printf("  %-44s %12s %12s %14s%n", "", "REFERENCE", "COMPRESSED", "DIFFERENCE");
    Evaluation.Probe p = r.probe();
    out.printf(Locale.ROOT, "  %-44s %11.2f%% %11.2f%% %+8.2f points%n", "probe accuracy, test (retrained per model)",
        100 * p.reference().accuracy(), 100 * p.compressed().accuracy(), p.differencePoints());
    out.printf(Locale.ROOT, "  %-44s %12s %12s%n", "probe C", p.reference().c(), p.compressed().c());
    out.printf(Locale.ROOT, "  %-44s %11.2f%% %11.2f%% %+8.2f points%n", "reference's probe on each model, test",
        100 * p.reference().accuracy(), 100 * p.transferAccuracy(), 100 * (p.transferAccuracy() - p.reference().accuracy()));
    out.printf(Locale.ROOT, "  %-44s %12s %11.2f%%%n", "reference's probe: same prediction as on reference", "",
        100 * p.agreement());
    out.printf(Locale.ROOT, "  %-44s %11.2f%% %11.2f%% %+8.2f points%n", "probe accuracy, train",
        100 * p.reference().trainAccuracy(), 100 * p.compressed().trainAccuracy(),
        100 * (p.compressed().trainAccuracy() - p.reference().trainAccuracy()));
    Evaluation.Latency l = r.latency();
    if (l != null) {
      String shape = l.batch() + "×" + l.length() + ", " + l.threads() + " threads";
      out.printf(Locale.ROOT, "  %-44s %12.4f %12.4f %13.2f×%n", "latency s/batch, mean (" + shape + ")",
          l.reference().meanSeconds(), l.compressed().meanSeconds(), l.speedupMean());
      out.printf(Locale.ROOT, "  %-44s %12.4f %12.4f %13.2f×%n", "latency s/batch, best of " + l.iterations(),
          l.reference().bestSeconds(), l.compressed().bestSeconds(), l.speedupBest());
    }
    out.printf(Locale.ROOT, "%nEmbedding took %.1f s, the whole evaluation %.1f s.%n", r.embedSeconds(), r.totalSeconds());
    for (var e : new Evaluation.ProbeResult[] {p.reference(), p.compressed()}) {
      if (!e.converged()) {
        out.println("Note: a probe stopped before its gradient tolerance (" + e.iterations()
            + " iterations); its accuracy is still that of the solution reached.");
        break;
      }
    }
    out.flush();
  }
}
