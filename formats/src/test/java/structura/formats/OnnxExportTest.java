package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TokenBatch;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;

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
}
