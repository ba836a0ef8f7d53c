package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.TokenBatch;
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;

/**
 * A tiny random Llama-style decoder (GQA, RoPE, SwiGLU, RMSNorm, causal and padding masks) in
 * safetensors matches the independent NumPy reference committed with its script
 * ({@code fixtures/llama-tiny/make_fixture.py}); networks round-trip through safetensors; broken
 * files fail naming the file and tensor.
 */
class SafetensorsTest {
  static final Path LLAMA = Path.of("src/test/resources/fixtures/llama-tiny");

  static JsonObject expected() throws Exception {
    return JsonParser.parseString(Files.readString(LLAMA.resolve("expected.json"))).getAsJsonObject();
  }

  static TokenBatch batch(JsonObject e) {
    int[] ids = e.getAsJsonArray("input_ids").asList().stream().mapToInt(j -> j.getAsInt()).toArray();
    int[] mask = e.getAsJsonArray("attention_mask").asList().stream().mapToInt(j -> j.getAsInt()).toArray();
    return new TokenBatch(e.get("batch").getAsInt(), e.get("length").getAsInt(), ids, mask, new int[ids.length]);
  }

  static double maxDiff(Matrix m, JsonObject e, String key) {
    var arr = e.getAsJsonArray(key);
    assertEquals(arr.size(), m.size());
    double max = 0;
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        max = Math.max(max, Math.abs(m.get(i, j) - arr.get(i * m.cols() + j).getAsDouble()));
      }
    }
    return max;
  }

  @Test
  void llamaDecoderMatchesNumpyReference() throws Exception {
    TransformerNetwork net = Safetensors.read(LLAMA);
    assertEquals(TransformerNetwork.Family.LLAMA_DECODER, net.family());
    assertEquals(4, net.blocks().get(0).attention().heads());
    assertEquals(2, net.blocks().get(0).attention().kvHeads());
    JsonObject e = expected();
    TokenBatch b = batch(e);
    TransformerForward fwd = new TransformerForward(Compute.reference(), net);
    double hidden = maxDiff(fwd.lastHiddenState(b), e, "last_hidden_state");
    double logits = maxDiff(fwd.logits(b), e, "logits");
    assertTrue(hidden <= 1e-4, "max |ours - numpy| hidden = " + hidden);
    assertTrue(logits <= 1e-4, "max |ours - numpy| logits = " + logits);
  }

  @Test
  void llamaRoundTripsThroughSafetensors(@TempDir Path dir) throws Exception {
    TransformerNetwork net = Safetensors.read(LLAMA);
    Safetensors.write(net, dir);
    TransformerNetwork back = Safetensors.read(dir);
    TokenBatch b = batch(expected());
    Matrix a = new TransformerForward(Compute.reference(), net).logits(b);
    Matrix c = new TransformerForward(Compute.reference(), back).logits(b);
    assertEquals(0.0, OrtRunner.maxAbsDiff(a, c));
    assertEquals(net.parameterCount(), back.parameterCount());
  }

  @Test
  void bertRoundTripsThroughSafetensors(@TempDir Path dir) {
    TransformerNetwork net = OnnxModels.readBert(ModelZoo.resolve("all-minilm-l6-v2").model());
    Safetensors.write(net, dir);
    TransformerNetwork back = Safetensors.read(dir);
    TokenBatch b = TokenBatch.pad(new int[][] {{101, 7592, 2088, 102}, {101, 2023, 102}}, 0, 0);
    Matrix x = new TransformerForward(Compute.reference(), net).lastHiddenState(b);
    Matrix y = new TransformerForward(Compute.reference(), back).lastHiddenState(b);
    assertEquals(0.0, OrtRunner.maxAbsDiff(x, y));
    assertEquals(net.blocks().get(0).attentionNorm().eps(), back.blocks().get(0).attentionNorm().eps());
  }

  @Test
  void truncatedFileNamesFileAndTensor(@TempDir Path dir) throws Exception {
    Files.copy(LLAMA.resolve("config.json"), dir.resolve("config.json"));
    byte[] all = Files.readAllBytes(LLAMA.resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length - 100));
    ModelFormatException ex = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
    assertEquals(ErrorCode.MODEL_FORMAT, ex.code());
    assertTrue(ex.getMessage().contains("model.safetensors"), ex.getMessage());
    assertTrue(ex.tensor() != null && ex.getMessage().contains("truncated"), ex.getMessage());
    // a header cut in the middle
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(all, 50));
    ModelFormatException h = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
    assertTrue(h.getMessage().contains("header length"), h.getMessage());
  }

  @Test
  void shapeMismatchAndMissingTensorAreNamed(@TempDir Path dir) throws Exception {
    Files.copy(LLAMA.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    String config = Files.readString(LLAMA.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), config.replace("\"hidden_size\": 32", "\"hidden_size\": 40"));
    ModelFormatException ex = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
    assertEquals("model.embed_tokens.weight", ex.tensor());
    Files.writeString(dir.resolve("config.json"), config.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
    ModelFormatException missing = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
    assertTrue(missing.tensor().startsWith("model.layers.2."), missing.getMessage());
    Files.writeString(dir.resolve("config.json"), config.replace("\"llama\"", "\"mamba\""));
    assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
  }
}
