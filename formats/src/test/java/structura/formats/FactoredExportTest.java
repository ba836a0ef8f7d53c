package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.formats.internal.onnx.OnnxProto.ModelProto;
import structura.formats.internal.onnx.OnnxProto.NodeProto;
import structura.testkit.RandomNetworks;

/**
 * Networks with factored low-rank layers (W = U·V, what {@code svd} writes): the ONNX export runs
 * in ONNX Runtime (the independent reference) with the same output as our forward pass, each
 * factored layer is two MatMuls in the graph and reads back factored; safetensors stores
 * {@code .weight_u}/{@code .weight_v} and reads them back exactly.
 */
class FactoredExportTest {
  static final Compute C = Compute.reference();

  /**
   * A dense rank-k factorization of l's weight by a random projection: V Gaussian {@code k × in}
   * scaled by {@code 1/√in}, U = W·Vᵀ, so {@code U·V = W·VᵀV} (every factor entry nonzero; bias kept).
   */
  static Linear project(Linear l, int k, long seed) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    Matrix v = Matrix.zeros(DType.F32, k, l.in());
    for (int t = 0; t < k; t++) {
      for (int j = 0; j < l.in(); j++) {
        double g = Math.sqrt(-2 * Math.log(rnd.nextDouble(Double.MIN_NORMAL, 1))) * Math.cos(2 * Math.PI * rnd.nextDouble());
        v.set(t, j, g / Math.sqrt(l.in()));
      }
    }
    Matrix u = Matrix.zeros(DType.F32, l.out(), k);
    C.gemm(structura.api.backend.Transpose.N, structura.api.backend.Transpose.T, 1.0, l.weight(), v, 0.0, u);
    return Linear.factored(u, v, l.bias());
  }

  /** Every block with query, value, up, gate (if any) and down factored at rank k; key and output stay dense. */
  static TransformerNetwork factorSome(TransformerNetwork net, int k) {
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      long seed = 10L * blocks.size();
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), project(a.query(), k, seed), a.key(),
          project(a.value(), k, seed + 1), a.output(), a.scale(), a.causal(), a.rotary());
      Mlp nm = new Mlp(project(m.up(), k, seed + 2), m.gate() == null ? null : project(m.gate(), k, seed + 3),
          project(m.down(), k, seed + 4), m.activation());
      blocks.add(new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  static double ortDiff(TransformerNetwork net, TokenBatch batch, Path file) throws Exception {
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(C, net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      return OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
    }
  }

  static void assertSameFactors(Linear a, Linear b) {
    assertTrue(a.isFactored() && b.isFactored());
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.factors().u(), b.factors().u()));
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.factors().v(), b.factors().v()));
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.bias(), b.bias()));
  }

  @Test
  void factoredMiniLmRunsInOnnxRuntimeAtTheReducedSizeAndReadsBack(@TempDir Path dir) throws Exception {
    TransformerNetwork original = OnnxModels.readBert(ModelZoo.resolve("all-minilm-l6-v2").model());
    TransformerNetwork net = factorSome(original, 64);
    TokenBatch batch;
    try (TextTokenizer tok = TextTokenizer.load(ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow(), 128)) {
      batch = tok.encode(BertOnnxTest.SENTENCES);
    }
    Path file = dir.resolve("factored.onnx");
    double diff = ortDiff(net, batch, file);
    assertTrue(diff <= 1e-4, "max |ours - ORT(written factored)| = " + diff);
    // the factors change the network, so the comparison is not between identical models
    double change = OrtRunner.maxAbsDiff(new TransformerForward(C, original).lastHiddenState(batch),
        new TransformerForward(C, net).lastHiddenState(batch));
    assertTrue(change > 1e-2, "truncation changes the output: " + change);
    // each factored layer is MatMul(MatMul(x, Vᵀ), Uᵀ) with the documented initializer names
    ModelProto model = OnnxModels.parse(file);
    Map<String, String> producerOf = new LinkedHashMap<>();
    for (NodeProto n : model.getGraph().getNodeList()) {
      producerOf.put(n.getOutput(0), n.getOpType() + ":" + String.join(",", n.getInputList()));
    }
    int chains = 0;
    for (NodeProto n : model.getGraph().getNodeList()) {
      if (n.getOpType().equals("MatMul") && n.getInput(1).endsWith(".weight_u_t")) {
        String inner = producerOf.get(n.getInput(0));
        String layer = n.getInput(1).substring(0, n.getInput(1).length() - ".weight_u_t".length());
        assertTrue(inner.startsWith("MatMul:") && inner.endsWith(layer + ".weight_v_t"), inner);
        chains++;
      }
    }
    assertEquals(6 * 4, chains, "query, value, up and down of 6 blocks");
    Set<String> inits = new java.util.HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
    assertTrue(inits.contains("encoder.layer.0.attention.self.key.weight_t"), "dense layers keep their names");
    assertFalse(inits.contains("encoder.layer.0.attention.self.query.weight_t"));
    // smaller than the dense export
    Path dense = dir.resolve("dense.onnx");
    OnnxWriter.write(original, dense);
    assertTrue(Files.size(file) < Files.size(dense), Files.size(file) + " vs " + Files.size(dense));
    // read back: the same factors, the same parameter count and output
    TransformerNetwork back = OnnxModels.readBert(file);
    assertEquals(net.parameterCount(), back.parameterCount());
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock a = net.blocks().get(i);
      TransformerBlock b = back.blocks().get(i);
      assertSameFactors(a.attention().query(), b.attention().query());
      assertSameFactors(a.attention().value(), b.attention().value());
      assertSameFactors(a.mlp().up(), b.mlp().up());
      assertSameFactors(a.mlp().down(), b.mlp().down());
      assertFalse(b.attention().key().isFactored());
      assertEquals(12, b.attention().heads());
    }
    assertEquals(0.0, OrtRunner.maxAbsDiff(new TransformerForward(C, net).lastHiddenState(batch),
        new TransformerForward(C, back).lastHiddenState(batch)));
  }

  @Test
  void factoredLlamaDecoderRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = factorSome(RandomNetworks.llama(31, 64, 6, 2, 8, 40, 3), 5);
    TokenBatch batch = TokenBatch.pad(new int[][] {{3, 9, 27, 17, 51, 4, 8, 60, 2}, {5, 6}, {1, 2, 3, 4, 5}}, 0, 0);
    double diff = ortDiff(net, batch, dir.resolve("llama.onnx"));
    assertTrue(diff <= 1e-4, "max |ours - ORT(written factored llama)| = " + diff);
  }

  @Test
  void factoredLayersRoundTripThroughSafetensors(@TempDir Path dir) throws Exception {
    for (TransformerNetwork original : List.of(RandomNetworks.bert(5, 60, 4, 8, 40, 2),
        RandomNetworks.llama(6, 60, 4, 2, 8, 40, 2))) {
      TransformerNetwork net = factorSome(original, 6);
      Path out = dir.resolve(original.family().name());
      Safetensors.write(net, out);
      Map<String, Matrix> tensors = Safetensors.readTensors(out.resolve("model.safetensors"));
      String p = original.family() == TransformerNetwork.Family.BERT_ENCODER ? "encoder.layer.1.attention.self.query"
          : "model.layers.1.self_attn.q_proj";
      assertEquals(32, tensors.get(p + ".weight_u").rows());
      assertEquals(6, tensors.get(p + ".weight_u").cols());
      assertEquals(6, tensors.get(p + ".weight_v").rows());
      assertEquals(32, tensors.get(p + ".weight_v").cols());
      assertFalse(tensors.containsKey(p + ".weight"));
      TransformerNetwork back = Safetensors.read(out);
      assertEquals(net.parameterCount(), back.parameterCount());
      for (int i = 0; i < net.depth(); i++) {
        TransformerBlock a = net.blocks().get(i);
        TransformerBlock b = back.blocks().get(i);
        assertEquals(0.0, OrtRunner.maxAbsDiff(a.attention().query().factors().u(), b.attention().query().factors().u()));
        assertEquals(0.0, OrtRunner.maxAbsDiff(a.mlp().down().factors().v(), b.mlp().down().factors().v()));
        assertFalse(b.attention().key().isFactored());
      }
      TokenBatch batch = TokenBatch.pad(new int[][] {{3, 9, 27, 17}, {5, 6}}, 0, 0);
      assertEquals(0.0, OrtRunner.maxAbsDiff(new TransformerForward(C, net).lastHiddenState(batch),
          new TransformerForward(C, back).lastHiddenState(batch)));
    }
  }

  @Test
  void aMissingFactorIsNamed(@TempDir Path dir) throws Exception {
    TransformerNetwork net = factorSome(RandomNetworks.bert(5, 60, 4, 8, 40, 1), 6);
    Path out = dir.resolve("m");
    Safetensors.write(net, out);
    Map<String, Matrix> tensors = new LinkedHashMap<>(Safetensors.readTensors(out.resolve("model.safetensors")));
    tensors.remove("encoder.layer.0.output.dense.weight_v");
    Set<String> vectors = new java.util.HashSet<>();
    tensors.forEach((k, v) -> {
      if (v.rows() == 1 && (k.endsWith(".bias") || k.contains("LayerNorm"))) {
        vectors.add(k);
      }
    });
    Safetensors.writeTensors(tensors, vectors, out.resolve("model.safetensors"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(out));
    assertTrue(e.getMessage().contains("encoder.layer.0.output.dense.weight_v"), e.getMessage());
  }
}
