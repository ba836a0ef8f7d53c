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
 * A network compressed by {@code stat -o low-rank=true} (pruned heads and neurons, attention
 * output and FFN down projections as whitened low-rank factors): the ONNX export, pruned widths
 * plus MatMul pairs, runs in ONNX Runtime, the independent reference, with our forward pass's output.
 */
class StatLowRankExportTest {
  static final Compute C = Compute.reference();

  @Test
  void prunedAndFactoredNetworkRunsInOnnxRuntimeWithOurOutput(@TempDir Path dir) throws Exception {
    TransformerNetwork original = RandomNetworks.bert(5, 3000, 4, 16, 128, 2);
    TransformerNetwork net = new StatStrategy().compress(new CompressionRequest(original,
        DispExportTest.calibration(6, 1, 3000), new Budget.MacFraction(0.5), C,
        Map.of("low-rank", "true", "prune-fraction", "0.65"), null)).network();
    for (TransformerBlock b : net.blocks()) {
      assertTrue(b.attention().output().isFactored() || b.mlp().down().isFactored(), "something is factored");
      assertTrue(b.mlp().width() < 128 || b.attention().heads() < 4, "something is pruned");
    }
    TokenBatch batch = TokenBatch.pad(new int[][] {{101, 7, 2900, 45, 102}, {101, 13, 8, 1500, 22, 999, 3, 102}}, 0, 0);
    Path file = dir.resolve("stat-low-rank.onnx");
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
