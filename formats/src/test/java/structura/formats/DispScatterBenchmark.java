package structura.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * How ONNX Runtime runs the index-add of a {@code disp} model: all-MiniLM-L6-v2 with every
 * sublayer reading and writing the even residual dims (k = 192 of 384, about half the MACs; the
 * weights are slices of the original, speed does not depend on which dims), exported (a) with
 * {@code ScatterElements(reduction=add)}, as {@link OnnxWriter} does, and (b) with the output
 * projection zero-padded to all d outputs (a plain MatMul + Add, what a 0/1 scatter matrix folded
 * into the weight gives), against (c) the dense original. Batch 32 × 128 tokens, the given thread
 * count, one untimed warm-up each, then rounds of a, b, c interleaved; prints the median and best
 * seconds per batch and the ratios to the dense model, and max |a − b|. A plain main, not a test;
 * the command is in docs/performance.md. Arguments: [rounds, default 5] [threads, default 2].
 */
public final class DispScatterBenchmark {
  private DispScatterBenchmark() {}

  /** Runs the comparison. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    ModelZoo.Resolved r = ModelZoo.resolve("all-minilm-l6-v2");
    TransformerNetwork dense = OnnxModels.readBert(r.model());
    TransformerNetwork disp = evenDims(dense);
    Path dir = Files.createTempDirectory("disp-scatter");
    Path scatter = dir.resolve("scatter.onnx");
    Path padded = dir.resolve("padded.onnx");
    Path original = dir.resolve("dense.onnx");
    OnnxWriter.write(disp, scatter);
    OnnxWriter.writeBertPaddedOutputs(disp, padded);
    OnnxWriter.write(dense, original);
    TokenBatch batch;
    try (TextTokenizer tok = TextTokenizer.load(r.tokenizer().orElseThrow(), 128)) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        texts.add(String.join(" ", TransformerForwardBenchmark.TEXT).repeat(2));
      }
      batch = tok.encode(texts);
    }
    String[] names = {"disp, ScatterElements", "disp, zero-padded MatMul", "dense original"};
    Path[] files = {scatter, padded, original};
    OrtRunner[] runners = new OrtRunner[3];
    double[][] seconds = new double[3][rounds];
    try {
      Matrix[] outs = new Matrix[3];
      for (int m = 0; m < 3; m++) {
        runners[m] = new OrtRunner(files[m], threads);
        outs[m] = runners[m].lastHiddenState(batch);
      }
      for (int it = 0; it < rounds; it++) {
        for (int m = 0; m < 3; m++) {
          long t = System.nanoTime();
          runners[m].lastHiddenState(batch);
          seconds[m][it] = (System.nanoTime() - t) / 1e9;
        }
      }
      System.out.printf(Locale.ROOT, "batch %d x %d, %d threads, %d rounds, max |scatter - padded| = %.2e%n", batch.batch(),
          batch.length(), threads, rounds, OrtRunner.maxAbsDiff(outs[0], outs[1]));
    } finally {
      for (OrtRunner o : runners) {
        if (o != null) {
          o.close();
        }
      }
    }
    double denseMedian = median(seconds[2]);
    for (int m = 0; m < 3; m++) {
      System.out.printf(Locale.ROOT, "%-26s median %.3f s  best %.3f s  speed-up vs dense (median) %.2fx%n", names[m],
          median(seconds[m]), Arrays.stream(seconds[m]).min().orElseThrow(), denseMedian / median(seconds[m]));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Every sublayer reads and writes the even dims; weights are slices of the original. */
  static TransformerNetwork evenDims(TransformerNetwork net) {
    int d = net.width();
    int[] even = IntStream.range(0, d).filter(j -> j % 2 == 0).toArray();
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), reads(a.query(), even),
          reads(a.key(), even), reads(a.value(), even), writes(a.output(), even), a.scale(), a.causal(), a.rotary());
      Mlp nm = new Mlp(reads(m.up(), even), null, writes(m.down(), even), m.activation());
      blocks.add(new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  private static Linear reads(Linear l, int[] cols) {
    Matrix w = Matrix.zeros(DType.F32, l.out(), cols.length);
    for (int i = 0; i < l.out(); i++) {
      for (int c = 0; c < cols.length; c++) {
        w.set(i, c, l.weight().get(i, cols[c]));
      }
    }
    return Linear.selected(w, l.bias(), new Linear.Selection(l.in(), cols, l.out(), null));
  }

  private static Linear writes(Linear l, int[] rows) {
    Matrix w = Matrix.zeros(DType.F32, rows.length, l.in());
    for (int p = 0; p < rows.length; p++) {
      w.row(p).copyFrom(l.weight().row(rows[p]));
    }
    return Linear.selected(w, l.bias(), new Linear.Selection(l.in(), null, l.out(), rows));
  }
}
