package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import structura.algorithms.eval.Perplexity;
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.formats.LabeledText;
import structura.formats.ModelFiles;
import structura.formats.ModelZoo;
import structura.formats.TextCorpus;
import structura.formats.TextTokenizer;
import structura.formats.eval.OrtDecoder;
import structura.formats.io.OutputPlan;

/**
 * {@code structura perplexity}: the perplexity of a causal language model (a Llama-family
 * safetensors directory, run by our forward pass) on a text corpus, {@code exp} of the mean
 * next-token cross-entropy over all real tokens ({@link Perplexity}); optionally also of an
 * original model on the same texts, and of an ONNX export of the model in ONNX Runtime, with the
 * largest logit difference between the two runs.
 */
@Command(name = "perplexity", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE, sortOptions = false,
    description = {"Perplexity of a decoder (Llama family, safetensors directory) on a text corpus with our forward pass: "
        + "exp(mean next-token cross-entropy over the real tokens).",
        "Texts: one per line, or JSON lines with a \"text\" field; tokenized with the model's tokenizer.json."},
    footer = {"", "Example:",
        "  structura perplexity --model llama-stat60 --reference llama --onnx llama-stat60.onnx \\",
        "      --data data/moby-dick/calibration.jsonl --skip 512 --samples 256"})
final class PerplexityCommand implements Callable<Integer> {
  private final Provider<BackendSelection> selection;
  private final GlobalOptions global;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "The decoder: a directory with config.json and model.safetensors (and tokenizer.json).")
  String model;

  @Option(names = "--reference", paramLabel = "DIR", description = "Also the perplexity of this model (the original) on the same texts.")
  String reference;

  @Option(names = "--onnx", paramLabel = "FILE.onnx",
      description = "Also run this ONNX export of --model in ONNX Runtime on the same batches: its perplexity and the largest "
          + "|logit| difference from our forward pass.")
  Path onnx;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "The texts.")
  Path data;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: the one beside --model).")
  Path tokenizer;

  @Option(names = "--skip", defaultValue = "0", paramLabel = "N",
      description = "Skip the first N texts, e.g. those used for calibration (default ${DEFAULT-VALUE}).")
  int skip;

  @Option(names = "--samples", paramLabel = "N", description = "Use at most N texts after the skipped ones (default: all).")
  Integer samples;

  @Option(names = "--max-length", defaultValue = "128", paramLabel = "TOKENS",
      description = "Tokens per text, special tokens included; longer texts are cut (default ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N", description = "Texts per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path report;

  @Option(names = "--force", description = "Replace an existing --report file.")
  boolean force;

  @Inject
  PerplexityCommand(Provider<BackendSelection> selection, GlobalOptions global) {
    this.selection = selection;
    this.global = global;
  }

  /** One model's result. */
  record Score(String model, double meanNll, double perplexity) {}

  /** The ONNX Runtime run of the export. */
  record OnnxScore(String file, double meanNll, double perplexity, double maxLogitDifference) {}

  /** The JSON report. */
  record Report(String data, int skip, int texts, int maxLength, long positions, Score model, Score reference, OnnxScore onnx) {}

  @Override
  public Integer call() {
    if (skip < 0 || (samples != null && samples < 1) || maxLength < 2 || batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "need --skip >= 0, --samples >= 1, --max-length >= 2 and --batch-size >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    ModelZoo.Resolved resolved = ModelZoo.resolve(model);
    Path tok = tokenizer != null ? tokenizer : resolved.tokenizer().orElseThrow(() -> new InvalidArgumentException(
        ErrorCode.INVALID_ARGUMENT, "no tokenizer.json found for " + model + ".", "Pass --tokenizer path/to/tokenizer.json."));
    new OutputPlan(force).input("--model", resolved.model()).input("--data", data).input("--tokenizer", tok)
        .input("--onnx", onnx).output("--report", report, OutputPlan.Shape.FILE).check();
    List<LabeledText> all = TextCorpus.read(data);
    int from = Math.min(skip, all.size());
    int to = samples == null ? all.size() : Math.min(all.size(), from + samples);
    List<int[]> ids = new ArrayList<>();
    try (TextTokenizer t = TextTokenizer.load(tok, maxLength)) {
      for (LabeledText text : all.subList(from, to)) {
        int[] seq = t.ids(text.text());
        if (seq.length > 0) {
          ids.add(seq);
        }
      }
    }
    if (ids.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, data + " has no texts after skipping " + skip + ".",
          "Lower --skip or pass a larger corpus.");
    }
    List<TokenBatch> batches = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += batchSize) {
      batches.add(TokenBatch.pad(ids.subList(i, Math.min(ids.size(), i + batchSize)).toArray(int[][]::new), 0, 0));
    }
    TransformerNetwork network = ModelFiles.read(resolved);
    Score referenceScore = null;
    OnnxScore onnxScore = null;
    Perplexity.Result result;
    try (Compute compute = selection.get().open()) {
      TransformerForward forward = new TransformerForward(compute, network);
      if (onnx == null) {
        result = Perplexity.of(forward, batches);
      } else {
        // the same batches through both, so the logits are compared row for row
        result = Perplexity.Result.EMPTY;
        Perplexity.Result ort = Perplexity.Result.EMPTY;
        double maxDiff = 0;
        try (OrtDecoder decoder = new OrtDecoder(onnx, global.threads == null ? Runtime.getRuntime().availableProcessors()
            : global.threads)) {
          for (TokenBatch b : batches) {
            Matrix ours = forward.logits(b);
            Matrix theirs = decoder.logits(b);
            result = result.plus(Perplexity.ofLogits(ours, b));
            ort = ort.plus(Perplexity.ofLogits(theirs, b));
            maxDiff = Math.max(maxDiff, maxAbsDifference(ours, theirs, b));
          }
        }
        onnxScore = new OnnxScore(onnx.toString(), ort.meanNll(), ort.perplexity(), maxDiff);
      }
      if (reference != null) {
        TransformerNetwork ref = ModelFiles.read(reference);
        Perplexity.Result r = Perplexity.of(new TransformerForward(compute, ref), batches);
        referenceScore = new Score(reference, r.meanNll(), r.perplexity());
      }
    }
    if (result.positions() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "no text of " + data + " has two tokens.",
          "Pass longer texts.");
    }
    Report r = new Report(data.toString(), skip, ids.size(), maxLength, result.positions(),
        new Score(model, result.meanNll(), result.perplexity()), referenceScore, onnxScore);
    print(out, r);
    if (report != null) {
      JsonReport.write(report, r, force);
      out.println("Report: " + report);
    }
    return ExitCodes.OK;
  }

  /** The largest |a − b| over the rows of real tokens (padded rows are computed but meaningless). */
  private static double maxAbsDifference(Matrix a, Matrix b, TokenBatch batch) {
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      if (batch.attentionMask()[i] == 0) {
        continue;
      }
      for (int j = 0; j < a.cols(); j++) {
        double d = Math.abs(a.get(i, j) - b.get(i, j));
        m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
      }
    }
    return m;
  }

  private static void print(PrintWriter out, Report r) {
    out.printf(Locale.ROOT, "%d texts of %s (from text %d, at most %d tokens), %,d predicted tokens%n", r.texts(), r.data(),
        r.skip(), r.maxLength(), r.positions());
    out.printf(Locale.ROOT, "  %-12s perplexity %12.4f   mean NLL %.6f nats   %s%n", "model", r.model().perplexity(),
        r.model().meanNll(), r.model().model());
    if (r.reference() != null) {
      out.printf(Locale.ROOT, "  %-12s perplexity %12.4f   mean NLL %.6f nats   %s%n", "reference", r.reference().perplexity(),
          r.reference().meanNll(), r.reference().model());
    }
    if (r.onnx() != null) {
      out.printf(Locale.ROOT, "  %-12s perplexity %12.4f   mean NLL %.6f nats   %s (max |logit difference| %.2e)%n",
          "onnxruntime", r.onnx().perplexity(), r.onnx().meanNll(), r.onnx().file(), r.onnx().maxLogitDifference());
    }
    out.flush();
  }
}
