package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
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
 * Networks with Monarch/BTT layers (what {@code monarch} and {@code btt} write): the ONNX export,
 * Reshape/Transpose/3-D MatMul sequences, runs in ONNX Runtime (the independent reference) with
 * the output of our forward pass, at MiniLM's real sizes too; it reads back with the same cores;
 * safetensors refuses such layers with a coded error naming the remedy.
 */
class BlockTensorTrainExportTest {
  static final Compute C = Compute.reference();

  /** A layer with random cores of the given shape (uniform in ±scale) and the original bias. */
  static Linear btt(SplittableRandom rnd, Linear l, int m1, int m2, int n1, int n2, int r, double scale) {
    assertEquals(l.in(), m1 * m2);
    assertEquals(l.out(), n1 * n2);
    Matrix first = Matrix.zeros(DType.F32, m2 * r * n1, m1);
    Matrix second = Matrix.zeros(DType.F32, n1 * n2, m2 * r);
    for (Matrix m : new Matrix[] {first, second}) {
      for (int i = 0; i < m.rows(); i++) {
        for (int j = 0; j < m.cols(); j++) {
          m.set(i, j, rnd.nextDouble(-scale, scale));
        }
      }
    }
    return Linear.blockTensorTrain(new Linear.Btt(m1, m2, n1, n2, r, first, second), l.bias());
  }

  /** Query (Monarch), value (rank 2), up and down (BTT of rank r) replaced in every block; key and output dense. */
  static TransformerNetwork structured(TransformerNetwork net, int[] query, int[] value, int[] up, int[] down, double scale) {
    SplittableRandom rnd = new SplittableRandom(7);
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(),
          btt(rnd, a.query(), query[0], query[1], query[2], query[3], query[4], scale), a.key(),
          btt(rnd, a.value(), value[0], value[1], value[2], value[3], value[4], scale), a.output(), a.scale(), a.causal(),
          a.rotary());
      Mlp nm = new Mlp(btt(rnd, m.up(), up[0], up[1], up[2], up[3], up[4], scale), null,
          btt(rnd, m.down(), down[0], down[1], down[2], down[3], down[4], scale), m.activation());
      blocks.add(new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  static void assertSameCores(Linear a, Linear b) {
    assertEquals(a.btt().m1(), b.btt().m1());
    assertEquals(a.btt().m2(), b.btt().m2());
    assertEquals(a.btt().n1(), b.btt().n1());
    assertEquals(a.btt().rank(), b.btt().rank());
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.btt().first(), b.btt().first()));
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.btt().second(), b.btt().second()));
    assertEquals(0.0, OrtRunner.maxAbsDiff(a.bias(), b.bias()));
  }

  static void checkInOrtAndReadBack(TransformerNetwork net, TokenBatch batch, Path file) throws Exception {
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(C, net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      double diff = OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
      assertTrue(diff <= 1e-4, "max |ours - ORT(written BTT)| = " + diff);
    }
    ModelProto model = OnnxModels.parse(file);
    long bttMatMuls = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul"))
        .filter(n -> n.getInput(1).endsWith(".btt_first") || n.getInput(1).endsWith(".btt_second")).count();
    assertEquals(2L * 4 * net.depth(), bttMatMuls, "two 3-D MatMuls for each of the 4 structured layers per block");
    for (NodeProto n : model.getGraph().getNodeList()) {
      assertTrue(!n.getOpType().equals("MatMul") || !n.getInput(1).endsWith("query.weight_t"), "query is not dense");
    }
    TransformerNetwork back = OnnxModels.readBert(file);
    assertEquals(net.parameterCount(), back.parameterCount());
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock a = net.blocks().get(i);
      TransformerBlock b = back.blocks().get(i);
      assertSameCores(a.attention().query(), b.attention().query());
      assertSameCores(a.attention().value(), b.attention().value());
      assertSameCores(a.mlp().up(), b.mlp().up());
      assertSameCores(a.mlp().down(), b.mlp().down());
      assertNull(b.attention().key().btt());
    }
    assertEquals(0.0, OrtRunner.maxAbsDiff(ours, new TransformerForward(C, back).lastHiddenState(batch)));
  }

  @Test
  void smallStructuredBertRunsInOnnxRuntimeAndReadsBack(@TempDir Path dir) throws Exception {
    // d = 32, FFN 40: query Monarch b = 4, value rank 2, up 40 x 32 = (5·8) x (4·8) rank 2, down (4·8) x (8·5) rank 1
    TransformerNetwork net = structured(RandomNetworks.bert(5, 60, 4, 8, 40, 2), new int[] {8, 4, 4, 8, 1},
        new int[] {4, 8, 8, 4, 2}, new int[] {4, 8, 5, 8, 2}, new int[] {8, 5, 4, 8, 1}, 0.3);
    TokenBatch batch = TokenBatch.pad(new int[][] {{3, 9, 27, 17, 51, 4, 8}, {5, 6}, {1, 2, 3, 4, 5}}, 0, 0);
    checkInOrtAndReadBack(net, batch, dir.resolve("btt.onnx"));
  }

  @Test
  void miniLmSizedStructuredLayersRunInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork original = OnnxModels.readBert(ModelZoo.resolve("all-minilm-l6-v2").model());
    // 384 and 1536: query Monarch b = 48, value rank 2 on 16 x 24 digits, up and down the btt strategy's balanced digits
    TransformerNetwork net = structured(original, new int[] {8, 48, 48, 8, 1}, new int[] {24, 16, 16, 24, 2},
        new int[] {24, 16, 32, 48, 4}, new int[] {48, 32, 16, 24, 4}, 0.05);
    TokenBatch batch;
    try (TextTokenizer tok = TextTokenizer.load(ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow(), 128)) {
      batch = tok.encode(BertOnnxTest.SENTENCES);
    }
    Path file = dir.resolve("minilm-btt.onnx");
    checkInOrtAndReadBack(net, batch, file);
    Path dense = dir.resolve("dense.onnx");
    OnnxWriter.write(original, dense);
    assertTrue(Files.size(file) < Files.size(dense) * 0.8, Files.size(file) + " vs " + Files.size(dense));
  }

  @Test
  void safetensorsRefusesStructuredLayersWithARemedy(@TempDir Path dir) {
    TransformerNetwork net = structured(RandomNetworks.bert(5, 60, 4, 8, 40, 1), new int[] {8, 4, 4, 8, 1},
        new int[] {4, 8, 8, 4, 2}, new int[] {4, 8, 5, 8, 2}, new int[] {8, 5, 4, 8, 1}, 0.3);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Safetensors.write(net, dir.resolve("m")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.detail().contains("Monarch/BTT") && e.remedy().contains(".onnx"), e.getMessage());
  }
}
