package structura.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.eval.Perplexity;
import structura.algorithms.nn.TransformerForward;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;

/**
 * Perplexity of the llama-tiny decoder with our forward pass against the NumPy reference of
 * make_fixture.py (mean next-token NLL from its own float64 logits), on the fixture's padded batch
 * and on the first texts of corpus.txt through the fixture's tokenizer.json; and against
 * exp(cross-entropy) of ONNX Runtime's logits of the written ONNX file.
 */
class DecoderPerplexityTest {
  private static final Path CORPUS = SafetensorsTest.LLAMA.resolve("corpus.txt");
  private static final Path TOKENIZER = SafetensorsTest.LLAMA.resolve("tokenizer.json");

  @Test
  void batchNllEqualsNumpy() throws Exception {
    JsonObject e = SafetensorsTest.expected();
    TransformerNetwork net = Safetensors.read(SafetensorsTest.LLAMA);
    Perplexity.Result r = Perplexity.of(new TransformerForward(Compute.reference(), net), List.of(SafetensorsTest.batch(e)));
    assertEquals(e.get("nll_positions").getAsLong(), r.positions());
    assertEquals(e.get("mean_nll").getAsDouble(), r.meanNll(), 1e-5);
  }

  @Test
  void corpusTokenizesAndScoresAsNumpy() throws Exception {
    JsonObject corpus = SafetensorsTest.expected().getAsJsonObject("corpus");
    TokenizedTexts texts = ModelFiles.tokenize(CORPUS, TOKENIZER, corpus.get("max_length").getAsInt(),
        corpus.get("texts").getAsInt());
    JsonArray expectedIds = corpus.getAsJsonArray("input_ids");
    assertEquals(expectedIds.size(), texts.ids().size());
    for (int i = 0; i < expectedIds.size(); i++) {
      JsonArray row = expectedIds.get(i).getAsJsonArray();
      int[] want = new int[row.size()];
      for (int j = 0; j < want.length; j++) {
        want[j] = row.get(j).getAsInt();
      }
      assertArrayEquals(want, texts.ids().get(i), "text " + i);
    }
    TransformerNetwork net = Safetensors.read(SafetensorsTest.LLAMA);
    // batches of 3: the padding of each batch differs, the mean over positions must not
    CalibrationData data = CalibrationData.of(texts.ids(), 3, texts.padId());
    Perplexity.Result r = Perplexity.of(new TransformerForward(Compute.reference(), net), data.batches());
    assertEquals(corpus.get("nll_positions").getAsLong(), r.positions());
    assertEquals(corpus.get("mean_nll").getAsDouble(), r.meanNll(), 1e-5);
  }

  @Test
  void onnxRuntimeLogitsGiveTheSamePerplexity(@TempDir Path dir) throws Exception {
    TransformerNetwork net = Safetensors.read(SafetensorsTest.LLAMA);
    TokenizedTexts texts = ModelFiles.tokenize(CORPUS, TOKENIZER, 48, 24);
    CalibrationData data = CalibrationData.of(texts.ids(), 8, texts.padId());
    Path file = dir.resolve("llama.onnx");
    OnnxWriter.write(net, file);
    Perplexity.Result ort = Perplexity.Result.EMPTY;
    List<Double> diffs = new ArrayList<>();
    TransformerForward ours = new TransformerForward(Compute.reference(), net);
    try (OrtRunner runner = new OrtRunner(file, 1)) {
      for (TokenBatch b : data.batches()) {
        var logits = runner.logits(b);
        diffs.add(OrtRunner.maxAbsDiff(ours.logits(b), logits));
        ort = ort.plus(Perplexity.ofLogits(logits, b));
      }
    }
    Perplexity.Result r = Perplexity.of(ours, data.batches());
    assertTrue(diffs.stream().allMatch(d -> d <= 1e-4), "max |logits ours - ORT| per batch: " + diffs);
    assertEquals(r.positions(), ort.positions());
    assertEquals(r.perplexity(), ort.perplexity(), 1e-5 * r.perplexity());
  }
}
