package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.DispStrategy;
import structura.algorithms.nn.TransformerForward;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.formats.internal.onnx.OnnxProto.ModelProto;
import structura.formats.internal.onnx.OnnxProto.NodeProto;
import structura.testkit.RandomNetworks;

/**
 * Networks compressed by {@code disp} (residual-selected layers, {@link structura.api.nn.Linear#selected}):
 * the ONNX export (Gather of the kept inputs, ScatterElements with reduction=add into the
 * residual) runs in ONNX Runtime, the independent reference, with the output of our forward pass.
 */
class DispExportTest {
  static final Compute C = Compute.reference();

  static CalibrationData calibration(long seed, int vocabFrom, int vocabTo) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      int[] s = new int[rnd.nextInt(6, 16)];
      for (int t = 0; t < s.length; t++) {
        s[t] = rnd.nextInt(vocabFrom, vocabTo);
      }
      seqs.add(s);
    }
    return CalibrationData.of(seqs, 16, 0);
  }

  static TransformerNetwork disp(TransformerNetwork net, CalibrationData cal, double target) {
    return new DispStrategy().compress(new CompressionRequest(net, cal, new Budget.MacFraction(target), C, Map.of(), null))
        .network();
  }

  static int count(ModelProto m, String op) {
    return (int) m.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter(op::equals).count();
  }

  @Test
  void dispMiniLmRunsInOnnxRuntimeWithOurOutput(@TempDir Path dir) throws Exception {
    TransformerNetwork original = OnnxModels.readBert(ModelZoo.resolve("all-minilm-l6-v2").model());
    TransformerNetwork net = disp(original, calibration(3, 1000, 29000), 0.5);
    TokenBatch batch;
    try (TextTokenizer tok = TextTokenizer.load(ModelZoo.resolve("all-minilm-l6-v2").tokenizer().orElseThrow(), 128)) {
      batch = tok.encode(BertOnnxTest.SENTENCES);
    }
    Path file = dir.resolve("disp.onnx");
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(C, net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      double diff = OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
      assertTrue(diff <= 1e-4, "max |ours - ORT(written disp)| = " + diff);
    }
    double change = OrtRunner.maxAbsDiff(new TransformerForward(C, original).lastHiddenState(batch), ours);
    assertTrue(change > 1e-2, "pruning half the residual reads and writes changes the output: " + change);
    ModelProto model = OnnxModels.parse(file);
    // one Gather per sublayer input (shared by Q, K, V) and one index-add per sublayer output
    assertEquals(2 * 6, count(model, "ScatterElements"));
    assertEquals(2 * 6 + 4, count(model, "Gather"), "sublayer inputs plus the embedding lookups and the sequence length");
    Path dense = dir.resolve("dense.onnx");
    OnnxWriter.write(original, dense);
    // the embeddings (47 MB) dominate the file: compare the saving with the blocks' dense weights
    long blockBytes = 4 * original.blocks().stream().mapToLong(b -> b.parameterCount()).sum();
    assertTrue(Files.size(dense) - Files.size(file) > 0.4 * blockBytes, Files.size(file) + " vs " + Files.size(dense));
    // the safetensors layout cannot hold the selections: a coded error that says to write ONNX
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Safetensors.write(net, dir.resolve("st")));
    assertTrue(e.getMessage().contains("STRUCTURA-A007") && e.getMessage().contains("ONNX"), e.getMessage());
  }

  @Test
  void dispLlamaDecoderRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = disp(RandomNetworks.llama(31, 64, 6, 2, 8, 40, 3), calibration(4, 1, 64), 0.6);
    TokenBatch batch = TokenBatch.pad(new int[][] {{3, 9, 27, 17, 51, 4, 8, 60, 2}, {5, 6}, {1, 2, 3, 4, 5}}, 0, 0);
    Path file = dir.resolve("llama.onnx");
    OnnxWriter.write(net, file);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      double diff = OrtRunner.maxAbsDiff(new TransformerForward(C, net).lastHiddenState(batch), ort.lastHiddenState(batch));
      assertTrue(diff <= 1e-4, "max |ours - ORT(written disp llama)| = " + diff);
    }
    assertEquals(2 * 3, count(OnnxModels.parse(file), "ScatterElements"));
  }
}
