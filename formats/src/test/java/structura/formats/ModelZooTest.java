package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;

/** Zoo names resolve to the files inside the Maven artifacts; paths resolve as themselves; the rest fails clearly. */
class ModelZooTest {
  @Test
  void namesResolveToOnnxAndTokenizerFromTheArtifacts() throws Exception {
    ModelZoo.Resolved m = ModelZoo.resolve("all-minilm-l6-v2");
    assertEquals(ModelZoo.Kind.ONNX, m.kind());
    assertTrue(Files.size(m.model()) > 80_000_000, "the float32 export, not a quantized one");
    assertTrue(Files.readString(m.tokenizer().orElseThrow()).contains("[CLS]"));
    assertTrue(m.meanPooling());
    ModelZoo.Resolved b = ModelZoo.resolve("BGE-small-en-v15");
    assertFalse(b.meanPooling());
    assertTrue(b.model().getFileName().toString().endsWith(".onnx"));
    assertEquals(ModelZoo.resolve("all-minilm-l6-v2").model(), m.model()); // extracted once, reused
  }

  @Test
  void pathsResolveAsThemselves(@TempDir Path dir) throws Exception {
    ModelZoo.Resolved s = ModelZoo.resolve(SafetensorsTest.LLAMA.toString());
    assertEquals(ModelZoo.Kind.SAFETENSORS, s.kind());
    Path onnx = dir.resolve("model.onnx");
    OnnxWriter.write(structura.testkit.RandomNetworks.bert(1, 10, 1, 4, 4, 1), onnx);
    ModelZoo.Resolved o = ModelZoo.resolve(onnx.toString());
    assertEquals(ModelZoo.Kind.ONNX, o.kind());
    assertTrue(o.tokenizer().isEmpty());
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertEquals(dir.resolve("tokenizer.json"), ModelZoo.resolve(onnx.toString()).tokenizer().orElseThrow());
  }

  @Test
  void unknownNamesFailListingTheZoo() {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelZoo.resolve("gpt-17"));
    assertEquals(ErrorCode.MODEL_FORMAT, e.code());
    assertTrue(e.getMessage().contains("all-minilm-l6-v2") && e.getMessage().contains("gpt-17"), e.getMessage());
  }
}
