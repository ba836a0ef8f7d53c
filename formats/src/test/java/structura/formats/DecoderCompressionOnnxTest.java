package structura.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionStrategies;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * Decoders compressed with stat, svd and modegpt, written to ONNX (with the LM head's
 * {@code logits} output) and to safetensors: ONNX Runtime's logits equal our forward pass's to
 * 1e-4, and the safetensors directory reads back to the same logits, for the NumPy-checked
 * llama-tiny fixture and a random GQA decoder (8 query heads on 2 key/value heads), before and
 * after compression.
 */
class DecoderCompressionOnnxTest {
  private static final Compute C = Compute.reference();

  private static TransformerNetwork network(String which) {
    return which.equals("fixture") ? Safetensors.read(SafetensorsTest.LLAMA) : RandomNetworks.llama(61, 61, 8, 2, 8, 96, 2);
  }

  private static List<int[]> sequences(long seed, int count, int vocab) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] s = new int[rnd.nextInt(6, 25)];
      s[0] = 1;
      for (int t = 1; t < s.length; t++) {
        s[t] = rnd.nextInt(3, vocab);
      }
      out.add(s);
    }
    return out;
  }

  /** Largest |ours − ORT| of the logits over the real tokens of the batch. */
  private static double ortDifference(TransformerNetwork net, Path file, TokenBatch batch) throws Exception {
    OnnxWriter.write(net, file);
    Matrix ours = new TransformerForward(C, net).logits(batch);
    try (OrtRunner ort = new OrtRunner(file, 1)) {
      return realRowDifference(ours, ort.logits(batch), batch);
    }
  }

  private static double realRowDifference(Matrix a, Matrix b, TokenBatch batch) {
    assertEquals(a.rows(), b.rows());
    assertEquals(a.cols(), b.cols());
    double m = 0;
    for (int i = 0; i < a.rows(); i++) {
      if (batch.attentionMask()[i] == 1) {
        for (int j = 0; j < a.cols(); j++) {
          double d = Math.abs(a.get(i, j) - b.get(i, j));
          m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
      }
    }
    return m;
  }

  @ParameterizedTest(name = "{0} on the {1} decoder")
  @CsvSource({"stat, fixture", "svd, fixture", "modegpt, fixture", "stat, gqa", "svd, gqa", "modegpt, gqa"})
  void compressedDecoderLogitsAgreeInOnnxRuntimeAndThroughSafetensors(String method, String which, @TempDir Path dir)
      throws Exception {
    TransformerNetwork net = network(which);
    int vocab = net.lmHead().out();
    TokenBatch fresh = TokenBatch.pad(sequences(71, 4, vocab).toArray(int[][]::new), 0, 0);
    double before = ortDifference(net, dir.resolve("original.onnx"), fresh);
    assertTrue(before <= 1e-4, "original: max |logits ours - ORT| = " + before);

    CalibrationData data = CalibrationData.of(sequences(72, 48, vocab), 16, 0);
    TransformerNetwork small = CompressionStrategies.byName(method)
        .compress(new CompressionRequest(net, data, new Budget.MacFraction(0.6), C, Map.of(), null)).network();
    assertTrue(small.parameterCount() < net.parameterCount(), method + " kept " + small.parameterCount());
    double after = ortDifference(small, dir.resolve(method + ".onnx"), fresh);
    assertTrue(after <= 1e-4, method + ": max |logits ours - ORT| = " + after);

    Path st = dir.resolve(method);
    java.nio.file.Files.createDirectories(st);
    Safetensors.write(small, st);
    Matrix reread = new TransformerForward(C, Safetensors.read(st)).logits(fresh);
    assertEquals(0, realRowDifference(new TransformerForward(C, small).logits(fresh), reread, fresh), 1e-6,
        method + " through safetensors");
  }
}
