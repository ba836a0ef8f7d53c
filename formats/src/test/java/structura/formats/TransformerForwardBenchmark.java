package structura.formats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;

/**
 * Sentences per second of the all-MiniLM-L6-v2 forward pass, batch 32 × 128 tokens: ours on the
 * backend chosen by the usual selection ({@code -Dstructura.backend=...}, default auto) versus
 * ONNX Runtime on the original ONNX file, each with 1 and 2 threads, in one run, the timed
 * iterations of the two interleaved; prints the mean and the best iteration of each. Also prints
 * the max |ours − ORT| of the last hidden state on this batch. Each side gets one untimed
 * warm-up pass on the full batch. A plain main, not a test; the
 * command is in docs/performance.md. Arguments: [timed iterations, default 2] [thread counts, default 1,2].
 */
public final class TransformerForwardBenchmark {
  private TransformerForwardBenchmark() {}

  static final String[] TEXT = {
      "Structured matrices such as Monarch and block tensor-train factorizations replace dense layers.",
      "The committee postponed its decision until the next quarterly meeting in the spring.",
      "A small dog chased the red ball across the wet grass of the park near the river.",
      "Compression without retraining keeps the accuracy of the original model within a few points.",
      "Rain is expected over the northern coast on Thursday, with clearer skies by the weekend.",
      "She opened the old wooden box and found a bundle of letters tied with a blue ribbon.",
      "The interpolative decomposition selects columns of a matrix that span its range well.",
      "Investors reacted calmly to the announcement, and the market closed slightly higher."};

  /** Runs the comparison and prints one line per (runtime, threads). */
  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String[] threads = (args.length > 1 ? args[1] : "1,2").split(",");
    ModelZoo.Resolved r = ModelZoo.resolve("all-minilm-l6-v2");
    TransformerNetwork net = OnnxModels.readBert(r.model());
    TokenBatch batch;
    try (TextTokenizer tok = TextTokenizer.load(r.tokenizer().orElseThrow(), 128)) {
      List<String> sentences = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 12; k++) {
          sb.append(TEXT[(i + k * 3) % TEXT.length]).append(' ');
        }
        sentences.add(sb.toString());
      }
      batch = tok.encode(sentences);
    }
    if (batch.batch() != 32 || batch.length() != 128 || batch.validTokens(31) != 128) {
      throw new IllegalStateException("expected a full 32 x 128 batch, got " + batch.batch() + " x " + batch.length());
    }
    System.out.printf(Locale.ROOT, "all-MiniLM-L6-v2, batch %d x %d tokens, %d timed iterations, %d available processors%n",
        batch.batch(), batch.length(), iterations, Runtime.getRuntime().availableProcessors());
    Matrix oursOut = null;
    Matrix ortOut = null;
    for (String t : threads) {
      int n = Integer.parseInt(t.trim());
      try (Compute compute = Compute.open(BackendConfig.builder().threads(n).systemProperties(System.getProperties()).build());
          OrtRunner ort = new OrtRunner(r.model(), n)) {
        TransformerForward fwd = new TransformerForward(compute, net);
        // warm-up on the full batch for both: the Vector API code must be C2-compiled before
        // timing (interpreted, it allocates every vector and runs ~100x slower)
        fwd.lastHiddenState(batch);
        ort.lastHiddenState(batch);
        // interleaved, so that both runtimes see the same load from other processes on a shared machine
        long[] ours = new long[iterations];
        long[] theirs = new long[iterations];
        for (int i = 0; i < iterations; i++) {
          long t0 = System.nanoTime();
          oursOut = fwd.lastHiddenState(batch);
          long t1 = System.nanoTime();
          ortOut = ort.lastHiddenState(batch);
          ours[i] = t1 - t0;
          theirs[i] = System.nanoTime() - t1;
        }
        report("structura[" + compute.backendId() + "]", n, batch.batch(), ours);
        report("onnxruntime", n, batch.batch(), theirs);
      }
    }
    System.out.printf(Locale.ROOT, "max |ours - ORT| on this batch: %.3g%n", OrtRunner.maxAbsDiff(oursOut, ortOut));
  }

  /** One line: mean and best (least disturbed by other processes) of the timed iterations. */
  private static void report(String what, int threads, int batch, long[] nanos) {
    double sum = 0;
    double best = Double.MAX_VALUE;
    for (long v : nanos) {
      sum += v / 1e9;
      best = Math.min(best, v / 1e9);
    }
    double mean = sum / nanos.length;
    System.out.printf(Locale.ROOT, "%-26s threads=%d  mean %8.3f s/batch %8.2f sentences/s   best %8.3f s/batch %8.2f sentences/s%n",
        what, threads, mean, batch / mean, best, batch / best);
  }
}
