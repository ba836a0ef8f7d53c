package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.nn.TransformerNetwork;
import structura.formats.internal.onnx.OnnxProto.GraphProto;
import structura.formats.internal.onnx.OnnxProto.ModelProto;
import structura.formats.internal.onnx.OnnxProto.NodeProto;
import structura.formats.internal.onnx.OnnxProto.TensorProto;
import structura.testkit.RandomNetworks;

/** Truncated, corrupted, unknown-operator and shape-mismatched ONNX files fail with STRUCTURA-F001 naming file and tensor. */
class OnnxErrorsTest {
  @TempDir
  Path dir;
  Path good;
  ModelProto model;

  @BeforeEach
  void writeSmallModel() throws Exception {
    TransformerNetwork net = RandomNetworks.bert(3, 50, 2, 4, 12, 2);
    good = dir.resolve("small.onnx");
    OnnxWriter.writeBert(net, good);
    model = ModelProto.parseFrom(Files.readAllBytes(good));
    assertEquals(2, OnnxModels.readBert(good).depth()); // the unmodified file reads
  }

  private ModelFormatException fails(String name, UnaryOperator<GraphProto.Builder> edit) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, model.toBuilder().setGraph(edit.apply(model.getGraph().toBuilder())).build().toByteArray());
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModels.readBert(f));
    assertEquals(ErrorCode.MODEL_FORMAT, e.code());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    return e;
  }

  private static int initializer(GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no initializer " + name);
  }

  @Test
  void truncatedFileFailsNamingTheFile() throws Exception {
    byte[] all = Files.readAllBytes(good);
    Path f = dir.resolve("truncated.onnx");
    Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModels.readBert(f));
    assertTrue(e.getMessage().contains("truncated.onnx") && e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }

  @Test
  void corruptedTensorDataNamesTheTensor() throws Exception {
    String name = "encoder.layer.1.attention.self.query.bias";
    ModelFormatException e = fails("corrupt.onnx", g -> {
      int i = initializer(g, name);
      TensorProto t = g.getInitializer(i);
      return g.setInitializer(i, t.toBuilder().setRawData(t.getRawData().substring(0, t.getRawData().size() - 3)));
    });
    assertEquals(name, e.tensor());
    assertTrue(e.getMessage().contains("raw data has"), e.getMessage());
  }

  @Test
  void unknownOperatorsAreAllListed() throws Exception {
    ModelFormatException e = fails("unknown.onnx", g -> g
        .addNode(NodeProto.newBuilder().setOpType("FusedAttention").setDomain("com.microsoft").setName("fa").addOutput("a"))
        .addNode(NodeProto.newBuilder().setOpType("Frobnicate").setName("fz").addOutput("b")));
    assertTrue(e.getMessage().contains("com.microsoft:FusedAttention") && e.getMessage().contains("Frobnicate"), e.getMessage());
  }

  @Test
  void shapeMismatchNamesTheTensor() throws Exception {
    // the key weight replaced by one with too few outputs for its bias
    ModelFormatException e = fails("shape.onnx", g -> {
      int i = initializer(g, "encoder.layer.0.attention.self.key.weight_t");
      TensorProto t = g.getInitializer(i);
      ByteString half = t.getRawData().substring(0, t.getRawData().size() / 2);
      return g.setInitializer(i, t.toBuilder().clearDims().addDims(8).addDims(4).setRawData(half));
    });
    assertEquals("encoder.layer.0.attention.self.key.weight_t", e.tensor());
  }

  @Test
  void missingInitializerIsNamed() throws Exception {
    ModelFormatException e = fails("missing.onnx", g -> g.removeInitializer(initializer(g, "embeddings.LayerNorm.bias")));
    assertEquals("embeddings.LayerNorm.bias", e.tensor());
  }

  @Test
  void notAModelFails() throws Exception {
    Path f = dir.resolve("text.onnx");
    Files.writeString(f, "this is not a protobuf at all");
    assertThrows(ModelFormatException.class, () -> OnnxModels.readBert(f));
  }
}
