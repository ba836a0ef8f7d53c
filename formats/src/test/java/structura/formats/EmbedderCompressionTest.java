package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionResult;
import structura.algorithms.compress.CompressionStrategies;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The README's "compress a model file" snippet, run as written on the tiny fixture model (a
 * random 2-block BERT, 4 heads of 8, FFN 64, in safetensors form with MiniLM's tokenizer) and
 * the SpamAssassin subset; the README must still hold those lines.
 */
class EmbedderCompressionTest {
  static final Path README = Path.of("../README.md");

  /** The snippet's code lines, as the README shows them (leading spaces trimmed). */
  static final List<String> SNIPPET = List.of(
      "TransformerNetwork network = ModelFiles.read(model);",
      "TokenizedTexts texts = ModelFiles.tokenize(corpus, ModelFiles.tokenizer(model), 64, 512);",
      "try (Compute compute = Compute.open(BackendConfig.builder().build())) {",
      "CompressionResult result = CompressionStrategies.byName(\"stat\").compress(new CompressionRequest(network,",
      "CalibrationData.of(texts.ids(), 16, texts.padId()), new Budget.ParameterFraction(0.5), compute, Map.of(), null));",
      "ModelFiles.write(result.network(), out, ModelFiles.tokenizer(model));");

  @TempDir
  Path dir;

  @Test
  void theReadmeSnippetCompressesTheTinyModelToHalfItsBlockParameters() throws IOException {
    Path tiny = dir.resolve("tiny");
    TransformerNetwork original = RandomNetworks.bert(7, 30522, 4, 8, 64, 2);
    Safetensors.write(original, tiny);
    Files.copy(ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow(), tiny.resolve("tokenizer.json"));
    String model = tiny.toString();
    Path corpus = Path.of("src/test/resources/spam-assassin-subset/train.jsonl");
    Path out = dir.resolve("out/tiny-stat50.onnx");

    // ---- the README's lines ----
    TransformerNetwork network = ModelFiles.read(model);
    TokenizedTexts texts = ModelFiles.tokenize(corpus, ModelFiles.tokenizer(model), 64, 512);
    try (Compute compute = Compute.open(BackendConfig.builder().build())) {
      CompressionResult result = CompressionStrategies.byName("stat").compress(new CompressionRequest(network,
          CalibrationData.of(texts.ids(), 16, texts.padId()), new Budget.ParameterFraction(0.5), compute, Map.of(), null));
      ModelFiles.write(result.network(), out, ModelFiles.tokenizer(model));
      // ----
      check(original, texts, result, out);
    }
  }

  private static void check(TransformerNetwork original, TokenizedTexts texts, CompressionResult result, Path out) {
    assertEquals(40, texts.ids().size(), "the subset's 40 texts, fewer than the 512 asked for");
    assertEquals(40, result.report().calibrationTexts());
    long before = result.report().blockParametersBefore();
    long after = result.report().blockParametersAfter();
    assertTrue(after <= 0.5 * before && after > 0.3 * before, "block parameters " + before + " -> " + after);
    assertTrue(Files.isRegularFile(out.resolveSibling("tokenizer.json")));
    // its own tokenizer too, which ModelZoo.resolve prefers: a second model in out/ keeps its own
    assertTrue(Files.isRegularFile(out.resolveSibling("tiny-stat50.tokenizer.json")));
    assertEquals(ModelZoo.companionTokenizer(out), ModelZoo.resolve(out.toString()).tokenizer().orElseThrow());
    TransformerNetwork written = OnnxModels.readBert(out);
    assertEquals(2, written.depth());
    assertEquals(result.network().parameterCount(), written.parameterCount());
    for (int b = 0; b < 2; b++) {
      TransformerBlock w = written.blocks().get(b);
      TransformerBlock r = result.network().blocks().get(b);
      assertEquals(r.attention().heads(), w.attention().heads());
      assertEquals(r.mlp().width(), w.mlp().width());
    }
    assertTrue(written.parameterCount() < original.parameterCount());
  }

  @Test
  void theReadmeShowsTheSnippetThatRunsHere() throws IOException {
    List<String> readme = Files.readAllLines(README).stream().map(String::strip).toList();
    for (String line : SNIPPET) {
      assertTrue(readme.contains(line), "README.md lacks the line: " + line);
    }
  }
}
