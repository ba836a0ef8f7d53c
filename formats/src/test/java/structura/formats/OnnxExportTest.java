package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/** The ONNX we write, run in ONNX Runtime, equals our forward pass, for the loaded and for pruned networks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxExportTest {
  TransformerNetwork network;
  TokenBatch batch;

  @BeforeAll
  void load() {
    ModelZoo.Resolved r = ModelZoo.resolve("all-minilm-l6-v2");
    network = OnnxModels.readBert(r.model());
    try (TextTokenizer tok = TextTokenizer.load(r.tokenizer().orElseThrow(), 128)) {
      batch = tok.encode(BertOnnxTest.SENTENCES);
    }
  }

  private double exportAndCompare(TransformerNetwork net, Path file) throws Exception {
    OnnxWriter.writeBert(net, file);
    Matrix ours = new TransformerForward(Compute.reference(), net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      return OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
    }
  }

  @Test
  void writtenModelRunsInOnnxRuntimeAndReadsBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("minilm.onnx");
    double diff = exportAndCompare(network, file);
    assertTrue(diff <= 1e-4, "max |ours - ORT(written)| = " + diff);
    TransformerNetwork back = OnnxModels.readBert(file);
    assertEquals(network.depth(), back.depth());
    assertEquals(network.parameterCount(), back.parameterCount());
    Matrix w0 = network.blocks().get(2).attention().query().weight();
    Matrix w1 = back.blocks().get(2).attention().query().weight();
    assertEquals(0.0, OrtRunner.maxAbsDiff(w0, w1));
    assertEquals(network.blocks().get(0).attentionNorm().eps(), back.blocks().get(0).attentionNorm().eps(), 1e-18);
    assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".part")));
  }

  @Test
  void prunedNetworkWithPerBlockWidthsRoundTrips(@TempDir Path dir) throws Exception {
    TransformerNetwork pruned = Pruning.keepHeads(network, 0, new int[] {0, 2, 5, 7, 8, 11});
    SplittableRandom rnd = new SplittableRandom(7);
    int[] neurons = IntStream.range(0, 1536).filter(j -> rnd.nextInt(3) > 0).toArray();
    pruned = Pruning.keepNeurons(pruned, 3, neurons);
    pruned = Pruning.keepHeads(pruned, 5, new int[] {3});
    Path file = dir.resolve("pruned.onnx");
    double diff = exportAndCompare(pruned, file);
    assertTrue(diff <= 1e-4, "max |ours - ORT(written pruned)| = " + diff);
    TransformerNetwork back = OnnxModels.readBert(file);
    assertEquals(6, back.blocks().get(0).attention().heads());
    assertEquals(1, back.blocks().get(5).attention().heads());
    assertEquals(neurons.length, back.blocks().get(3).mlp().width());
    assertEquals(12, back.blocks().get(1).attention().heads());
    // pruning changes the output: the comparison above is not trivially between identical networks
    Matrix full = new TransformerForward(Compute.reference(), network).lastHiddenState(batch);
    Matrix cut = new TransformerForward(Compute.reference(), pruned).lastHiddenState(batch);
    assertTrue(OrtRunner.maxAbsDiff(full, cut) > 1e-2);
  }

  /** Rows {@code h·width + t} for t < keep of every head h: the first {@code keep} dims of each head. */
  static Linear firstDims(Linear l, int heads, int width, int keep) {
    Matrix w = Matrix.zeros(DType.F32, heads * keep, l.in());
    Matrix b = l.bias() == null ? null : Matrix.zeros(DType.F32, 1, heads * keep);
    for (int h = 0; h < heads; h++) {
      for (int t = 0; t < keep; t++) {
        w.view(h * keep + t, 0, 1, l.in()).copyFrom(l.weight().view(h * width + t, 0, 1, l.in()));
        if (b != null) {
          b.set(0, h * keep + t, l.bias().get(0, h * width + t));
        }
      }
    }
    return new Linear(w, b);
  }

  @Test
  void headWidthsPrunedSeparatelyRoundTripThroughOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = RandomNetworks.bert(21, 120, 4, 8, 24, 2);
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Linear o = a.output();
      Matrix ow = Matrix.zeros(DType.F32, o.out(), 4 * 5);
      for (int h = 0; h < 4; h++) {
        ow.view(0, h * 5, o.out(), 5).copyFrom(o.weight().view(0, h * 8, o.out(), 5));
      }
      Attention p = new Attention(4, 4, 6, 5, firstDims(a.query(), 4, 8, 6), firstDims(a.key(), 4, 8, 6),
          firstDims(a.value(), 4, 8, 5), new Linear(ow, o.bias()), 1 / Math.sqrt(8), false, null);
      blocks.add(new TransformerBlock(p, b.mlp(), b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    TransformerNetwork pruned = new TransformerNetwork(net.family(), net.embeddings(), blocks, null, null, null);
    TokenBatch small = TokenBatch.pad(new int[][] {{1, 5, 9, 13, 2}, {1, 7, 2}}, 0, 0);
    Path file = dir.resolve("dims.onnx");
    OnnxWriter.writeBert(pruned, file);
    Matrix ours = new TransformerForward(Compute.reference(), pruned).lastHiddenState(small);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      double diff = OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(small));
      assertTrue(diff <= 1e-4, "max |ours - ORT| = " + diff);
    }
    Attention back = OnnxModels.readBert(file).blocks().get(1).attention();
    assertEquals(6, back.headDim());
    assertEquals(5, back.valueDim());
    assertEquals(1 / Math.sqrt(8), back.scale(), 1e-7);
  }
}
