package structura.formats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.StatStrategy;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * A network compressed by {@code stat -o residual-id=true} (pruned heads and neurons; Q, K, V and up
 * reading an ID-selected subset of the residual, the interpolation folded in): the ONNX export
 * (a Gather of the kept dims before the selected layers) runs in ONNX Runtime, the independent
 * reference, with our forward pass's output.
 */
class StatResidualIdExportTest {
  static final Compute C = Compute.reference();

  @Test
  void prunedNetworkReadingPartOfTheResidualRunsInOnnxRuntimeWithOurOutput(@TempDir Path dir) throws Exception {
    TransformerNetwork original = RandomNetworks.bert(7, 3000, 4, 16, 128, 2);
    TransformerNetwork net = new StatStrategy().compress(new CompressionRequest(original,
        DispExportTest.calibration(8, 1, 3000), new Budget.MacFraction(0.5), C,
        Map.of("residual-id", "true", "prune-fraction", "0.65"), null)).network();
    for (TransformerBlock b : net.blocks()) {
      assertTrue(b.attention().query().selection() != null && b.mlp().up().selection() != null, "reads a subset");
      assertTrue(b.attention().query().selection().inputs().length < 64, "fewer than d dims");
    }
    TokenBatch batch = TokenBatch.pad(new int[][] {{101, 7, 2900, 45, 102}, {101, 13, 8, 1500, 22, 999, 3, 102}}, 0, 0);
    Path file = dir.resolve("stat-residual-id.onnx");
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(C, net).lastHiddenState(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      double diff = OrtRunner.maxAbsDiff(ours, ort.lastHiddenState(batch));
      assertTrue(diff <= 1e-4, "max |ours - ORT(written)| = " + diff);
    }
    double change = OrtRunner.maxAbsDiff(new TransformerForward(C, original).lastHiddenState(batch), ours);
    assertTrue(change > 1e-3, "the compressed network differs from the original: " + change);
  }
}
