package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.nn.LayerActivations;
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;
import structura.formats.MatrixFiles;
import structura.formats.ModelFiles;
import structura.formats.ModelZoo;
import structura.formats.OnnxModels;
import structura.formats.Safetensors;
import structura.formats.TokenizedTexts;
import structura.formats.io.OutputPlan;
import structura.formats.io.OutputTransaction;

/**
 * {@code structura activations}: the token-level activations of one block of a transformer on a
 * text corpus, one row per real token, written as a 2-D F64 {@code .npy} for {@code structura pca}
 * (the calibration statistics of compression, computed over partitions). Thin over
 * {@link LayerActivations}; the file is written through {@link OutputTransaction} (all or nothing).
 */
@Command(name = "activations", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Token-level hidden states or FFN activations of one block on a text corpus, as a 2-D .npy.")
final class ActivationsCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME|PATH", required = true, description = "Zoo name (all-minilm-l6-v2) or model path.")
  String model;

  @Option(names = "--data", paramLabel = "FILE", required = true, description = "Texts: JSON lines with \"text\", or one text per line.")
  Path data;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "512", description = "Texts from the start of the file (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "128", description = "Truncate texts to this many tokens (default ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Texts per forward batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--layer", paramLabel = "N", required = true, description = "Block index, 0-based.")
  int layer;

  @Option(names = "--kind", paramLabel = "hidden|ffn", required = true,
      description = "hidden: the block's output (tokens x d); ffn: the FFN intermediate after its activation (tokens x f).")
  String kind;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json, when the model has none beside it.")
  Path tokenizer;

  @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "The activations, a 2-D F64 .npy.")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out.")
  boolean force;

  @Spec
  CommandSpec spec;

  private final Provider<BackendSelection> selection;

  @Inject
  ActivationsCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LayerActivations.Kind which = switch (kind.toLowerCase(Locale.ROOT)) {
      case "hidden" -> LayerActivations.Kind.HIDDEN;
      case "ffn" -> LayerActivations.Kind.FFN;
      default -> throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--kind " + kind + " is not hidden or ffn.",
          "Use --kind hidden or --kind ffn.");
    };
    if (samples < 1 || maxLength < 2 || batchSize < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--samples " + samples + ", --max-length " + maxLength
          + ", --batch-size " + batchSize + ".", "Pass --samples >= 1, --max-length >= 2 and --batch-size >= 1.");
    }
    if (!MatrixFiles.isNpy(out)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--out " + out + " does not end in .npy.",
          "Name a .npy file.");
    }
    ModelZoo.Resolved resolved = ModelZoo.resolve(model);
    Path tokenizerFile = tokenizer != null ? tokenizer : resolved.tokenizer().orElseThrow(() -> new InvalidArgumentException(
        ErrorCode.INVALID_ARGUMENT, "no tokenizer.json found for " + model + ".", "Pass --tokenizer path/to/tokenizer.json."));
    new OutputPlan(force).input("--model", resolved.model()).input("--tokenizer", tokenizerFile).input("--data", data)
        .output("--out", out, OutputPlan.Shape.FILE).check();
    TransformerNetwork network = resolved.kind() == ModelZoo.Kind.ONNX ? OnnxModels.readBert(resolved.model())
        : Safetensors.read(resolved.model());
    TokenizedTexts texts = ModelFiles.tokenize(data, tokenizerFile, maxLength, samples);
    CalibrationData batches = CalibrationData.of(texts.ids(), batchSize, texts.padId());
    long t0 = System.nanoTime();
    Matrix activations;
    try (Compute compute = selection.get().open()) {
      err.printf(Locale.ROOT, "activations: %s block %d %s on %d texts (%,d tokens) on backend %s%n", model, layer,
          which.name().toLowerCase(Locale.ROOT), batches.texts(), batches.tokens(), compute.backendId());
      err.flush();
      activations = LayerActivations.collect(new TransformerForward(compute, network), batches.batches(), layer, which,
          (done, total, rows) -> {
            if (done % 4 == 0 || done == total) {
              err.printf(Locale.ROOT, "activations: batch %d/%d, %,d rows%n", done, total, rows);
              err.flush();
            }
          });
    }
    try (OutputTransaction outputs = new OutputTransaction(force)) {
      outputs.write(out, stream -> MatrixFiles.writeNpy(activations, stream));
      outputs.commit();
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d x %d (%s of block %d), %.1f s%n", out, activations.rows(),
        activations.cols(), which.name().toLowerCase(Locale.ROOT), layer, (System.nanoTime() - t0) / 1e9);
    return ExitCodes.OK;
  }
}
