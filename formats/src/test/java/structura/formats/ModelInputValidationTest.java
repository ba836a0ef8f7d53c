package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The reader gaps of issue 19: non-finite weights, config.json values of the wrong type or range,
 * empty files, malformed safetensors headers and a directory given as a corpus, each a coded
 * error naming the file and the tensor or key.
 */
class ModelInputValidationTest {
  @TempDir
  Path dir;

  private static StructuraException fails(ErrorCode code, Executable read, String... fragments) {
    StructuraException e = assertThrows(StructuraException.class, read);
    assertEquals(code, e.code(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), f + " missing from " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
    return e;
  }

  private static TransformerNetwork tiny() {
    return RandomNetworks.bert(5, 40, 2, 4, 12, 2);
  }

  /** A tiny network with {@code value} planted in the key weight of block 1. */
  private static TransformerNetwork poisoned(float value) {
    TransformerNetwork net = tiny();
    Matrix w = net.blocks().get(1).attention().key().weight();
    w.set(2, 3, value);
    return net;
  }

  @Test
  void nonFiniteSafetensorsWeightsNameTheTensorAndFile() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
      Path model = dir.resolve("st-" + bad);
      Safetensors.write(poisoned(bad), model);
      fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(model), "encoder.layer.1.attention.self.key.weight",
          model.resolve("model.safetensors").toString(), "non-finite");
    }
  }

  @Test
  void nonFiniteOnnxWeightsNameTheTensorAndFile() {
    Path model = dir.resolve("nan.onnx");
    OnnxWriter.writeBert(poisoned(Float.NaN), model);
    fails(ErrorCode.MODEL_FORMAT, () -> OnnxModels.readBert(model), model.toString(), "non-finite", "NaN");
    Path inf = dir.resolve("inf.onnx");
    TransformerNetwork net = tiny();
    net.embeddings().word().set(0, 0, Float.NEGATIVE_INFINITY);
    OnnxWriter.writeBert(net, inf);
    fails(ErrorCode.MODEL_FORMAT, () -> OnnxModels.readBert(inf), "embeddings.word_embeddings.weight", "-Infinity");
  }

  private Path withConfig(String name, Consumer<JsonObject> edit) throws IOException {
    Path model = dir.resolve(name);
    Safetensors.write(tiny(), model);
    JsonObject c = JsonParser.parseString(Files.readString(model.resolve("config.json"))).getAsJsonObject();
    edit.accept(c);
    Files.writeString(model.resolve("config.json"), c.toString());
    return model;
  }

  @Test
  void configValuesOfTheWrongTypeOrRangeNameTheKey() throws IOException {
    Path fractional = withConfig("layers-6.5", c -> c.addProperty("num_hidden_layers", 6.5));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(fractional), fractional.resolve("config.json").toString(),
        "'num_hidden_layers' is 6.5", "an integer");
    Path negative = withConfig("negative", c -> c.addProperty("hidden_size", -32));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(negative), "'hidden_size' is -32");
    Path string = withConfig("string", c -> c.addProperty("hidden_size", "8"));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(string), "'hidden_size' is \"8\"");
    Path zeroHeads = withConfig("zero-heads", c -> c.addProperty("num_attention_heads", 0));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(zeroHeads), "'num_attention_heads' is 0");
    Path eps = withConfig("eps", c -> c.addProperty("layer_norm_eps", "tiny"));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(eps), "'layer_norm_eps'", "positive finite number");
    Path type = withConfig("type", c -> c.add("model_type", new JsonArray()));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(type), "'model_type' is []");
  }

  @Test
  void malformedStructuraLayersNameTheEntry() throws IOException {
    Path notArray = withConfig("not-array", c -> c.addProperty("structura_layers", "all of them"));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(notArray), "'structura_layers'", "an array");
    Path short1 = withConfig("short", c -> c.getAsJsonArray("structura_layers").remove(1));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(short1), "structura_layers", "describes 1 layers");
    Path notObject = withConfig("not-object", c -> c.getAsJsonArray("structura_layers").set(0, new JsonPrimitive(3)));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(notObject), "'structura_layers[0]' is 3");
    Path heads = withConfig("heads", c -> c.getAsJsonArray("structura_layers").get(1).getAsJsonObject()
        .addProperty("heads", "two"));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(heads), "'structura_layers[1].heads' is \"two\"");
    Path scale = withConfig("scale", c -> c.getAsJsonArray("structura_layers").get(0).getAsJsonObject()
        .addProperty("scale", -1));
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(scale), "'structura_layers[0].scale' is -1");
    // and the unmodified file still reads, with its per-layer geometry
    assertEquals(2, Safetensors.read(withConfig("good", c -> { })).depth());
  }

  @Test
  void emptyFilesSayEmpty() throws IOException {
    Path onnx = Files.createFile(dir.resolve("zero.onnx"));
    fails(ErrorCode.MODEL_FORMAT, () -> OnnxModels.readBert(onnx), onnx.toString(), "empty file");
    Path st = dir.resolve("zero-st");
    Safetensors.write(tiny(), st);
    Files.write(st.resolve("model.safetensors"), new byte[0]);
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(st), "model.safetensors", "empty file");
    Files.writeString(st.resolve("config.json"), "");
    fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.read(st), "config.json", "empty file");
  }

  @Test
  void malformedSafetensorsHeadersGiveOurOwnMessage() throws IOException {
    for (String header : new String[] {"{\"a\": {\"dtype\": F32}}", "{\"a\": ", "[1, 2]", "{\"a\": 7}",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [-2, -2], \"data_offsets\": [0, 16]}}"}) {
      byte[] json = header.getBytes(StandardCharsets.UTF_8);
      Path f = dir.resolve("bad.safetensors");
      Files.write(f, ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json)
          .array());
      StructuraException e = fails(ErrorCode.MODEL_FORMAT, () -> Safetensors.readTensors(f), f.toString());
      assertFalse(e.getMessage().contains("setStrictness") || e.getMessage().contains("LENIENT")
          || e.getMessage().contains("gson"), e.getMessage());
    }
  }

  @Test
  void aDirectoryAsACorpusSaysItIsADirectory() throws IOException {
    Path d = Files.createDirectories(dir.resolve("data.jsonl"));
    fails(ErrorCode.DATA_FORMAT, () -> TextCorpus.read(d), d.toString(), "is a directory");
  }

  @Test
  void corpusJsonErrorsCarryNoGsonAdvice() throws IOException {
    Path f = Files.writeString(dir.resolve("c.jsonl"), "{\"text\": \"ok\"}\n{text: unquoted\n");
    StructuraException e = fails(ErrorCode.DATA_FORMAT, () -> TextCorpus.read(f), "line 2", "malformed JSON");
    assertFalse(e.getMessage().contains("setStrictness"), e.getMessage());
  }
}
