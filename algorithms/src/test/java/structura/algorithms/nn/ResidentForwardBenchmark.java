package structura.algorithms.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.nn.Embeddings;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;
import structura.testkit.RandomNetworks;

/**
 * The all-MiniLM-L6-v2 architecture's forward pass (vocabulary 30522, d = 384, 12 heads × 32,
 * FFN 1536, 6 post-norm GELU layers, 512 positions, 2 token types, LayerNorm eps 1e-12) with
 * seeded random weights (speed does not depend on them) on a batch of 32 × 128 tokens without
 * padding: (a) {@link ResidentTransformerForward}, weights uploaded once, each iteration including
 * the download of the {@code 4096 × 384} last hidden state, and (b) the host-array pass
 * {@link TransformerForward} on the same backend. Prints ms per iteration (median and best over the
 * timed iterations, after warm-up), sentences per second, the largest |a − b| between the two
 * outputs, and a machine-readable line {@code RESULT structura_resident_ms=<median>} (plus
 * {@code RESULT structura_host_ms=<median>}). The PyTorch counterpart is
 * {@code benchmarks/cuda/torch_minilm_forward.py}; the protocol is in docs/performance.md
 * ("CUDA: forward pass against PyTorch").
 *
 * <p>Not a unit test; run as a plain main with the test class path (see docs/performance.md):
 * arguments {@code [iterations (default 20)] [backend id (default: the usual selection,
 * -Dstructura.backend or STRUCTURA_BACKEND, else auto)] [batch (32)] [length (128)] [warm-up (3)]}.
 */
public final class ResidentForwardBenchmark {
  private ResidentForwardBenchmark() {}

  /** The MiniLM-L6 shape with seeded random weights; 512 positions. */
  static TransformerNetwork miniLm(long seed) {
    TransformerNetwork base = RandomNetworks.bert(seed, 30522, 12, 32, 1536, 6);
    Embeddings e = base.embeddings();
    Matrix positions = Matrix.zeros(DType.F32, 512, 384);
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    float[] p = positions.f32();
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rnd.nextDouble(-1, 1);
    }
    Embeddings e512 = new Embeddings(e.word(), positions, e.tokenType(), e.norm());
    return new TransformerNetwork(base.family(), e512, base.blocks(), base.finalNorm(), base.lmHead(), base.metadata());
  }

  static TokenBatch fullBatch(int batch, int length, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] ids = new int[batch * length];
    int[] mask = new int[batch * length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextInt(30522);
      mask[i] = 1;
    }
    return new TokenBatch(batch, length, ids, mask, new int[batch * length]);
  }

  /** Runs the benchmark; see the class documentation for the arguments. */
  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String backend = args.length > 1 && !args[1].isBlank() ? args[1] : null;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int length = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    BackendConfig config = backend == null ? BackendConfig.fromEnvironment() : BackendConfig.builder().backend(backend).build();
    TransformerNetwork net = miniLm(42);
    TokenBatch tokens = fullBatch(batch, length, 7);
    try (Compute compute = Compute.open(config)) {
      if (compute.backend().resident().isEmpty()) {
        // nothing to compare: say so rather than time the reference's host arrays under the resident name
        System.out.println("backend " + compute.backendId() + " has no resident routines (Backend.resident() is empty); "
            + "use -Dstructura.backend=cuda on the GPU or 'java' for a smoke test.");
        System.out.println("RESULT structura_resident_ms=NaN");
        return;
      }
      run(compute, net, tokens, iterations, warmup, batch, length);
    }
  }

  private static void run(Compute compute, TransformerNetwork net, TokenBatch tokens, int iterations, int warmup, int batch,
      int length) {
    try (ResidentTransformerForward resident = ResidentTransformerForward.on(compute, net)) {
      TransformerForward host = new TransformerForward(compute, net);
      System.out.printf(Locale.ROOT, "MiniLM-L6 architecture (d=384, 12x32 heads, FFN 1536, 6 layers), batch %d x %d tokens, "
          + "backend %s (%s), %d warm-up + %d timed iterations%n", batch, length, compute.backendId(), compute.backend().describe(),
          warmup, iterations);
      Matrix a = null;
      Matrix b = null;
      for (int i = 0; i < warmup; i++) {
        a = resident.lastHiddenState(tokens);
        b = host.lastHiddenState(tokens);
      }
      double[] residentMs = new double[iterations];
      double[] hostMs = new double[iterations];
      for (int i = 0; i < iterations; i++) {
        long t0 = System.nanoTime();
        a = resident.lastHiddenState(tokens);   // includes the download of the B·L × d result
        long t1 = System.nanoTime();
        b = host.lastHiddenState(tokens);
        long t2 = System.nanoTime();
        residentMs[i] = (t1 - t0) / 1e6;
        hostMs[i] = (t2 - t1) / 1e6;
      }
      double maxDiff = 0;
      if (a != null && b != null) {
        for (int i = 0; i < a.rows(); i++) {
          for (int j = 0; j < a.cols(); j++) {
            maxDiff = Math.max(maxDiff, Math.abs(a.get(i, j) - b.get(i, j)));
          }
        }
      }
      report("resident (ResidentTransformerForward, incl. download)", residentMs, batch);
      report("host arrays (TransformerForward)", hostMs, batch);
      System.out.printf(Locale.ROOT, "max |resident - host| over the last hidden state: %.3g%n", maxDiff);
      System.out.printf(Locale.ROOT, "RESULT structura_resident_ms=%.3f%n", median(residentMs));
      System.out.printf(Locale.ROOT, "RESULT structura_host_ms=%.3f%n", median(hostMs));
      System.out.printf(Locale.ROOT, "RESULT structura_resident_vs_host_max_abs_diff=%.3g%n", maxDiff);
    }
  }

  private static void report(String what, double[] ms, int batch) {
    double med = median(ms);
    double best = Arrays.stream(ms).min().orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "%-55s median %9.3f ms  best %9.3f ms  %9.1f sentences/s%n", what, med, best, batch * 1000.0 / med);
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
