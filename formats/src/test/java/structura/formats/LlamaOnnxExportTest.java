package structura.formats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/** Llama-family decoders written to ONNX run in ONNX Runtime and equal our forward pass (padding, causal mask, GQA, RoPE). */
class LlamaOnnxExportTest {
  private static double compare(TransformerNetwork net, TokenBatch batch, Path file) throws Exception {
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(Compute.reference(), net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      return OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
    }
  }

  @Test
  void numpyFixtureDecoderRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = Safetensors.read(SafetensorsTest.LLAMA);
    double diff = compare(net, SafetensorsTest.batch(SafetensorsTest.expected()), dir.resolve("llama.onnx"));
    assertTrue(diff <= 1e-4, "max |ours - ORT(written llama)| = " + diff);
  }

  @Test
  void randomGqaDecoderRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = RandomNetworks.llama(31, 64, 6, 2, 8, 40, 3);
    TokenBatch batch = TokenBatch.pad(new int[][] {{3, 9, 27, 17, 51, 4, 8, 60, 2}, {5, 6}, {1, 2, 3, 4, 5}}, 0, 0);
    double diff = compare(net, batch, dir.resolve("gqa.onnx"));
    assertTrue(diff <= 1e-4, "max |ours - ORT(written gqa)| = " + diff);
  }

  @Test
  void decoderWithPrunedHeadGeometryRunsInOnnxRuntime(@TempDir Path dir) throws Exception {
    TransformerNetwork net = SafetensorsTest.prunedGeometry(Safetensors.read(SafetensorsTest.LLAMA));
    double diff = compare(net, SafetensorsTest.batch(SafetensorsTest.expected()), dir.resolve("pruned-llama.onnx"));
    assertTrue(diff <= 1e-4, "max |ours - ORT(written pruned llama)| = " + diff);
  }
}
