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
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
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

  /** The fixture decoder with query/key heads cut to 2 of 4 frequency pairs (per key/value head) and values to 6 of 8 dims. */
  static TransformerNetwork prunedGeometry(TransformerNetwork net) {
    var blocks = new java.util.ArrayList<structura.api.nn.TransformerBlock>();
    for (var b : net.blocks()) {
      var a = b.attention();
      // keep frequency pairs {0, 2} of key/value head 0 and {1, 3} of head 1; values keep their first 6 dims
      int[][] freq = {{0, 2}, {1, 3}};
      var q = rows(a.query().weight(), 4, 2, freq);
      var k = rows(a.key().weight(), 2, 1, freq);
      var v = firstRows(a.value().weight(), 2, 8, 6);
      var o = firstCols(a.output().weight(), 4, 8, 6);
      var p = new structura.api.nn.Attention(4, 2, 4, 6, new structura.api.nn.Linear(q, null), new structura.api.nn.Linear(k, null),
          new structura.api.nn.Linear(v, null), new structura.api.nn.Linear(o, null), 1 / Math.sqrt(8), true,
          new structura.api.nn.RotaryEmbedding(8, 10000, freq));
      blocks.add(new structura.api.nn.TransformerBlock(p, b.mlp(), b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), null);
  }

  @Test
  void prunedDecoderGeometryRoundTrips(@TempDir Path dir) throws Exception {
    TransformerNetwork pruned = prunedGeometry(Safetensors.read(LLAMA));
    Safetensors.write(pruned, dir);
    TransformerNetwork back = Safetensors.read(dir);
    assertEquals(4, back.blocks().get(1).attention().headDim());
    assertEquals(1 / Math.sqrt(8), back.blocks().get(1).attention().scale());
    assertEquals(pruned.blocks().get(1).attention().rotary(), back.blocks().get(1).attention().rotary());
    assertEquals(6, back.blocks().get(0).attention().valueDim());
    TokenBatch b = batch(expected());
    Matrix x = new TransformerForward(Compute.reference(), pruned).logits(b);
    Matrix y = new TransformerForward(Compute.reference(), back).logits(b);
    assertEquals(0.0, OrtRunner.maxAbsDiff(x, y));
  }

  /** For each head (of {@code heads}, group size {@code group}), rows f and f+4 of its kept frequencies, in rotate-half order. */
  static Matrix rows(Matrix w, int heads, int group, int[][] freq) {
    Matrix out = Matrix.zeros(structura.api.DType.F32, heads * 4, w.cols());
    int r = 0;
    for (int h = 0; h < heads; h++) {
      int[] f = freq[h / group];
      for (int side = 0; side < 2; side++) {
        for (int j : f) {
          out.view(r++, 0, 1, w.cols()).copyFrom(w.view(h * 8 + j + side * 4, 0, 1, w.cols()));
        }
      }
    }
    return out;
  }

  static Matrix firstRows(Matrix w, int heads, int width, int keep) {
    Matrix out = Matrix.zeros(structura.api.DType.F32, heads * keep, w.cols());
    for (int h = 0; h < heads; h++) {
      out.view(h * keep, 0, keep, w.cols()).copyFrom(w.view(h * width, 0, keep, w.cols()));
    }
    return out;
  }

  static Matrix firstCols(Matrix w, int heads, int width, int keep) {
    Matrix out = Matrix.zeros(structura.api.DType.F32, w.rows(), heads * keep);
    for (int h = 0; h < heads; h++) {
      out.view(0, h * keep, w.rows(), keep).copyFrom(w.view(0, h * width, w.rows(), keep));
    }
    return out;
  }

  @Test
  void readsShardedCheckpoints(@TempDir Path dir) throws Exception {
    Files.copy(LLAMA.resolve("config.json"), dir.resolve("config.json"));
    java.util.Map<String, Matrix> all = Safetensors.readTensors(LLAMA.resolve("model.safetensors"));
    var first = new java.util.TreeMap<String, Matrix>();
    var second = new java.util.TreeMap<String, Matrix>();
    var map = new JsonObject();
    for (var e : all.entrySet()) {
      boolean one = e.getKey().startsWith("model.layers.0.");
      (one ? first : second).put(e.getKey(), e.getValue());
      map.addProperty(e.getKey(), one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
    }
    Safetensors.writeTensors(first, java.util.Set.of(), dir.resolve("model-00001-of-00002.safetensors"));
    Safetensors.writeTensors(second, java.util.Set.of(), dir.resolve("model-00002-of-00002.safetensors"));
    var index = new JsonObject();
    index.add("weight_map", map);
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
    TokenBatch b = batch(expected());
    assertTrue(maxDiff(new TransformerForward(Compute.reference(), Safetensors.read(dir)).logits(b), expected(), "logits") <= 1e-4);
    Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
    assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
  }
}
