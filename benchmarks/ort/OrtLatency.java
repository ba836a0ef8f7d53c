import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ONNX Runtime latency of several BERT-family .onnx files side by side, interleaved (A B C A B C
 * …) so that load on a shared machine hits every model alike: one batch of {@code batch × length}
 * seeded random token ids (no padding), one warm-up run per model, then {@code rounds} rounds of
 * one run per model. Prints per model the median and best seconds per batch and the median ratio
 * to the first model (paired by round). Single-file program:
 *
 * <pre>java -cp cli/target/dist/lib/onnxruntime-1.23.2.jar benchmarks/ort/OrtLatency.java \
 *     THREADS ROUNDS BATCH LENGTH a.onnx b.onnx ...</pre>
 */
public final class OrtLatency {
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    int length = Integer.parseInt(args[3]);
    List<String> files = Arrays.asList(args).subList(4, args.length);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    List<OrtSession> sessions = new ArrayList<>();
    for (String f : files) {
      sessions.add(env.createSession(f, so));
    }
    long[] ids = new long[batch * length];
    long[] mask = new long[batch * length];
    long[] types = new long[batch * length];
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % length == 0 ? 101 : 1000 + rnd.nextInt(28000);
      mask[i] = 1;
    }
    long[] shape = {batch, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
    inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
    inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
    double[][] seconds = new double[files.size()][rounds];
    for (OrtSession s : sessions) {
      run(s, inputs);
    }
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < sessions.size(); m++) {
        long t = System.nanoTime();
        run(sessions.get(m), inputs);
        seconds[m][r] = (System.nanoTime() - t) / 1e9;
      }
    }
    for (int m = 0; m < files.size(); m++) {
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = seconds[0][r] / seconds[m][r];
      }
      System.out.printf("%-50s median %.3f s  best %.3f s  speed-up vs first (median of paired rounds) %.2fx%n",
          files.get(m), median(seconds[m]), Arrays.stream(seconds[m]).min().orElseThrow(), median(ratio));
    }
  }

  private static void run(OrtSession s, Map<String, OnnxTensor> inputs) throws Exception {
    Map<String, OnnxTensor> used = new HashMap<>();
    for (String name : s.getInputNames()) {
      used.put(name, inputs.get(name));
    }
    try (OrtSession.Result r = s.run(used)) {
      r.get(0);
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
