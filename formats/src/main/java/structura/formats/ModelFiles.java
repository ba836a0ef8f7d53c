package structura.formats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.StructuraException;
import structura.api.nn.TransformerNetwork;
import structura.formats.io.OutputTransaction;

/**
 * Model files by name or path, for applications that embed the library: read a transformer,
 * find its tokenizer, tokenize a text corpus with it, and write a transformer back. The CLI's
 * {@code compress} is wiring over these same calls (plus its output checks, progress and report);
 * they are what an embedder needs to compress a model in a few lines:
 *
 * <pre>{@code
 * TransformerNetwork model = ModelFiles.read("all-minilm-l6-v2");
 * TokenizedTexts texts = ModelFiles.tokenize(corpus, ModelFiles.tokenizer("all-minilm-l6-v2"), 128, 512);
 * CompressionResult r = CompressionStrategies.byName("stat").compress(new CompressionRequest(model,
 *     CalibrationData.of(texts.ids(), 16, texts.padId()), new Budget.ParameterFraction(0.5), compute, Map.of(), null));
 * ModelFiles.write(r.network(), Path.of("minilm-stat50.onnx"), ModelFiles.tokenizer("all-minilm-l6-v2"));
 * }</pre>
 *
 * <p>A model is named as {@link ModelZoo#resolve} accepts: a zoo name, an {@code .onnx} file or a
 * safetensors directory (config.json and model.safetensors). Stateless and thread-safe.
 */
public final class ModelFiles {
  private ModelFiles() {}

  /**
   * Reads the transformer a zoo name or path names: ONNX files through {@link OnnxModels#readBert},
   * safetensors directories through {@link Safetensors#read}. Cost: one pass over the weights.
   *
   * @throws ModelFormatException when the file is missing, unreadable or not a supported transformer
   */
  public static TransformerNetwork read(String modelOrPath) {
    return read(ModelZoo.resolve(modelOrPath));
  }

  /**
   * Reads the transformer of a model already resolved with {@link ModelZoo#resolve} (for callers
   * that check the resolved paths first, as the CLI does against its outputs).
   *
   * @throws ModelFormatException when the file is unreadable or not a supported transformer
   */
  public static TransformerNetwork read(ModelZoo.Resolved model) {
    return model.kind() == ModelZoo.Kind.ONNX ? OnnxModels.readBert(model.model()) : Safetensors.read(model.model());
  }

  /**
   * The {@code tokenizer.json} that belongs to a zoo model or lies beside a model file.
   *
   * @throws ModelFormatException when there is none
   */
  public static Path tokenizer(String modelOrPath) {
    return ModelZoo.resolve(modelOrPath).tokenizer().orElseThrow(() -> new ModelFormatException(modelOrPath, null,
        "has no tokenizer.json beside it.", "Put the model's tokenizer.json beside it, or load one with TextTokenizer.load.",
        null));
  }

  /**
   * Tokenizes the first {@code samples} texts of a corpus ({@link TextCorpus#read}: one text per
   * line, or JSON lines with a {@code "text"} field), each truncated to {@code maxLength} tokens
   * with the special tokens. Fewer texts are returned when the corpus holds fewer.
   *
   * @throws InvalidArgumentException INVALID_ARGUMENT when {@code maxLength < 2} or {@code samples < 1}
   * @throws DataFormatException when the corpus cannot be read
   */
  public static TokenizedTexts tokenize(Path corpus, Path tokenizerJson, int maxLength, int samples) {
    if (maxLength < 2 || samples < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "maxLength " + maxLength + ", samples " + samples + ".",
          "Pass maxLength >= 2 (room for the special tokens) and samples >= 1.");
    }
    List<LabeledText> texts = TextCorpus.read(corpus);
    try (TextTokenizer tok = TextTokenizer.load(tokenizerJson, maxLength)) {
      List<int[]> ids = tok.ids(texts.subList(0, Math.min(samples, texts.size())).stream().map(LabeledText::text).toList());
      return new TokenizedTexts(ids, tok.padId());
    }
  }

  /**
   * Writes a transformer: an ONNX file when {@code target} ends in {@code .onnx}, with
   * {@code tokenizerJson} copied beside it as its own {@code <name>.tokenizer.json} (which
   * {@link ModelZoo#resolve} reads first, so a second model in the same folder keeps its own
   * tokenizer) and as {@code tokenizer.json} unless one is there already; else a safetensors
   * directory with config.json, model.safetensors and tokenizer.json. All files are committed
   * together ({@link OutputTransaction}): on failure nothing is left behind. An existing file, or
   * a directory Structura wrote before, is replaced; any other non-empty directory is not written
   * into. {@code network} is not modified.
   *
   * @throws StructuraException OUTPUT_EXISTS or OUTPUT_UNWRITABLE when the target cannot be written
   */
  public static void write(TransformerNetwork network, Path target, Path tokenizerJson) {
    try (OutputTransaction outputs = new OutputTransaction(true)) {
      stage(outputs, network, target, tokenizerJson);
      outputs.commit();
    }
  }

  /**
   * Stages the files {@link #write} writes in {@code outputs}, for a caller that commits them
   * together with files of its own (the CLI's report and plot). Nothing is visible at
   * {@code target} until {@code outputs} commits.
   *
   * @throws StructuraException OUTPUT_EXISTS or OUTPUT_UNWRITABLE when the target cannot be staged
   */
  public static void stage(OutputTransaction outputs, TransformerNetwork network, Path target, Path tokenizerJson) {
    Path out = target.toAbsolutePath().normalize();
    try {
      if (out.getFileName() != null && out.getFileName().toString().endsWith(".onnx")) {
        OnnxWriter.write(network, outputs.file(out));
        Files.copy(tokenizerJson, outputs.file(ModelZoo.companionTokenizer(out)));
        var shared = outputs.fileIfAbsent(out.resolveSibling("tokenizer.json"));
        if (shared.isPresent()) {
          Files.copy(tokenizerJson, shared.get());
        }
      } else {
        Path dir = outputs.directory(out);
        Safetensors.write(network, dir);
        Files.copy(tokenizerJson, dir.resolve("tokenizer.json"));
      }
    } catch (IOException e) {
      throw new StructuraException(ErrorCode.OUTPUT_UNWRITABLE, "cannot write " + target + ": " + e,
          "Check that the directory is writable and has free space.", e);
    }
  }
}
