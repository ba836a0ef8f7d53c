package structura.formats.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import structura.algorithms.eval.LogisticRegressionProbe;
import structura.algorithms.eval.NeighbourOverlap;
import structura.algorithms.eval.SpearmanCorrelation;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.nn.TokenBatch;
import structura.formats.LabeledText;
import structura.formats.ModelFormatException;
import structura.formats.ModelZoo;
import structura.formats.TextTokenizer;

/**
 * Compares a compressed sentence encoder with its reference in ONNX Runtime, on the same
 * tokenization: embedding fidelity, linear-probe accuracy of both, and latency of both. See
 * {@code docs/evaluation.md} for the protocol.
 *
 * <ol>
 *   <li>Both models embed every train and test text (mean-pooled or [CLS] as the reference model
 *       pools, L2-normalised), texts sorted by token count into batches to keep padding small.
 *       Cost: two forward passes per text, one when the reference's embeddings are cached
 *       ({@link ReferenceEmbeddingCache}).</li>
 *   <li>Fidelity: the cosine between the two embeddings of each held-out text; mean, minimum and
 *       5th percentile (nearest rank: the ⌈0.05·n⌉-th smallest).</li>
 *   <li>Geometry: the mean overlap of each held-out text's 10 nearest neighbours (cosine, among
 *       the held-out texts) under both models, and Spearman's ρ between the cosines of all pairs of
 *       held-out texts under both models. Cost O(n²·d) and O(n²) memory for n held-out texts (0.7 M
 *       pairs, 11 MB, for n = 1179).</li>
 *   <li>Probe: a {@link LogisticRegressionProbe} per model, fit on that model's train embeddings
 *       with C given or chosen by 5-fold cross-validation on them, accuracy on its test
 *       embeddings; and the reference's probe applied to the compressed model's test embeddings
 *       (accuracy, and agreement with its predictions from the reference embeddings).</li>
 *   <li>Latency: one batch of {@code latencyBatch × latencyLength} tokens (the longest held-out
 *       texts, cut and padded to exactly that length), one warm-up run per model, then
 *       {@code latencyIterations} timed runs alternating reference, compressed, reference, …, so
 *       that drifts in machine load hit both alike.</li>
 * </ol>
 */
public final class Evaluation {
  /**
   * @param maxLength tokens per text, special tokens included (texts are truncated)
   * @param batchSize texts per forward pass while embedding
   * @param threads ONNX Runtime intra-op threads for both models
   * @param probeC the probes' inverse regularisation strength, or {@code null} to choose it per model by
   *     5-fold cross-validation on the train split over {@link LogisticRegressionProbe#DEFAULT_C_GRID}
   * @param latencyBatch sequences in the timed batch
   * @param latencyLength tokens per sequence in the timed batch
   * @param latencyIterations timed runs per model; 0 skips latency
   */
  public record Settings(int maxLength, int batchSize, int threads, Double probeC, int latencyBatch, int latencyLength,
      int latencyIterations) {
    /** Validates ranges. */
    public Settings {
      check(maxLength >= 2, "--max-length must be at least 2 (room for [CLS] and [SEP]), got " + maxLength);
      check(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
      check(threads >= 1, "--threads must be at least 1, got " + threads);
      check(probeC == null || probeC > 0 && Double.isFinite(probeC), "--probe-c must be a positive number or auto, got " + probeC);
      check(latencyBatch >= 1 && latencyLength >= 2, "--latency-batch must be ≥ 1 and --latency-length ≥ 2, got "
          + latencyBatch + " and " + latencyLength);
      check(latencyIterations >= 0, "--latency-iterations must be ≥ 0, got " + latencyIterations);
    }

    private static void check(boolean ok, String what) {
      if (!ok) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, what + ".", "Pass a value in range (see structura eval --help).");
      }
    }
  }

  /** Where a model came from: the name or path given, and the ONNX file run. */
  public record ModelInfo(String given, String file, int width) {}

  /** Texts and their labels per split. */
  public record DataInfo(String file, int texts, Map<String, Integer> labels) {}

  /** Cosine statistics over held-out texts. */
  public record Fidelity(int texts, double mean, double min, double p5) {}

  /**
   * How well the compressed model keeps the geometry of the held-out texts, the quantities semantic
   * search depends on.
   *
   * @param k neighbours per text (10, or n − 1 for fewer than 11 texts)
   * @param overlap mean over texts of |NN_k(reference) ∩ NN_k(compressed)| / k, neighbours by cosine
   *     among the held-out texts ({@link NeighbourOverlap})
   * @param pairs pairs of distinct held-out texts compared: all n(n − 1)/2 of them
   * @param spearman Spearman's ρ between the pairs' cosine similarities under the reference and under
   *     the compressed model (STS-style; {@link SpearmanCorrelation})
   */
  public record Geometry(int k, double overlap, long pairs, double spearman) {}

  /**
   * One model's probe, trained on that model's embeddings.
   *
   * @param c the inverse regularisation strength used (given, or chosen by cross-validation)
   * @param cvAccuracy mean held-out accuracy of each C of {@code cvGrid} in cross-validation, or null when C was given
   */
  public record ProbeResult(double accuracy, double trainAccuracy, int iterations, boolean converged, double c,
      double[] cvGrid, double[] cvAccuracy) {}

  /**
   * Both probes, and the reference model's probe applied unchanged to the compressed model's
   * embeddings (the deployment case: a classifier trained on the original encoder keeps running
   * behind the compressed one).
   *
   * @param differencePoints 100·(compressed − reference) accuracy of the retrained probes
   * @param transferAccuracy test accuracy of the reference's probe on the compressed embeddings
   * @param agreement fraction of test texts on which the reference's probe predicts the same class
   *     from the compressed embedding as from the reference embedding
   */
  public record Probe(List<String> labels, ProbeResult reference, ProbeResult compressed, double differencePoints,
      double transferAccuracy, double agreement) {}

  /** Seconds per batch of one model. */
  public record Timing(double meanSeconds, double bestSeconds, double[] seconds) {}

  /** Latency of both models; speed-ups are reference time / compressed time. */
  public record Latency(int batch, int length, int threads, int iterations, Timing reference, Timing compressed,
      double speedupMean, double speedupBest) {}

  /** Everything measured; {@code latency} is null when skipped. */
  public record Report(ModelInfo reference, ModelInfo compressed, String tokenizer, String pooling, int maxLength,
      DataInfo train, DataInfo test, Fidelity fidelity, Geometry geometry, Probe probe, Latency latency, double embedSeconds,
      double totalSeconds) {}

  private final Settings settings;
  private final PrintWriter progress;
  private final Path referenceCache;

  /** @param progress where progress lines go (stderr in the CLI) */
  public Evaluation(Settings settings, PrintWriter progress) {
    this(settings, progress, null);
  }

  /**
   * @param progress where progress lines go (stderr in the CLI)
   * @param referenceCache a folder where the reference's embeddings are kept between evaluations
   *     (keyed by a hash of the model, tokenizer, settings and texts), or {@code null} for none
   */
  public Evaluation(Settings settings, PrintWriter progress, Path referenceCache) {
    this.settings = settings;
    this.progress = progress;
    this.referenceCache = referenceCache;
  }

  /**
   * Runs the evaluation.
   *
   * @param model the compressed model: a zoo name or an .onnx file
   * @param reference the original model: a zoo name or an .onnx file
   * @param tokenizerFile tokenizer.json, or {@code null} for the reference's
   * @param dataFile the file {@code data} was read from (for the report)
   * @param trainFile the train file, or {@code null} when {@code dataFile} was split
   */
  public Report run(String model, String reference, Path tokenizerFile, EvalData data, Path dataFile, Path trainFile) {
    return run(model, reference, tokenizerFile, null, data, dataFile, trainFile);
  }

  /**
   * Runs the evaluation with both models pooled as {@code meanPooling} says: mean of the token
   * rows when true, the [CLS] row when false, and when {@code null} the reference's own (the zoo
   * records it; a path defaults to mean). Other parameters as in {@link #run(String, String, Path, EvalData, Path, Path)}.
   */
  public Report run(String model, String reference, Path tokenizerFile, Boolean meanPooling, EvalData data, Path dataFile,
      Path trainFile) {
    long start = System.nanoTime();
    requireOnnxRuntime();
    ModelZoo.Resolved ref = onnx(ModelZoo.resolve(reference), reference, "--reference");
    ModelZoo.Resolved comp = onnx(ModelZoo.resolve(model), model, "--model");
    Path tokFile = tokenizerFile != null ? tokenizerFile : ref.tokenizer().orElseThrow(() -> new ModelFormatException(
        reference, null, "has no tokenizer.json beside it.", "Pass --tokenizer path/to/tokenizer.json.", null));
    boolean mean = meanPooling != null ? meanPooling : ref.meanPooling();
    try (TextTokenizer tok = TextTokenizer.load(tokFile, settings.maxLength());
        OrtEncoder r = new OrtEncoder(ref.model(), settings.threads(), mean);
        OrtEncoder c = new OrtEncoder(comp.model(), settings.threads(), mean)) {
      if (r.declaredWidth() > 0 && c.declaredWidth() > 0 && r.declaredWidth() != c.declaredWidth()) {
        throw widthMismatch(model, reference, c.declaredWidth(), r.declaredWidth());
      }
      long t0 = System.nanoTime();
      ReferenceEmbeddingCache cache = referenceCache == null ? null
          : new ReferenceEmbeddingCache(referenceCache, ref.model(), tokFile, settings.maxLength(), mean, settings.batchSize());
      float[][][] test = embed("test", data.test(), tok, r, c, model, reference, cache);
      float[][][] train = embed("train", data.train(), tok, r, c, model, reference, cache);
      double embedSeconds = (System.nanoTime() - t0) / 1e9;

      Fidelity fidelity = fidelity(test[0], test[1]);
      Geometry geometry = geometry(test[0], test[1]);
      int[] yTrain = data.classes(data.train());
      int[] yTest = data.classes(data.test());
      int classes = data.labels().size();
      double[][] referenceTest = toDouble(test[0]);
      double[][] compressedTest = toDouble(test[1]);
      Fitted fr = probe("reference", toDouble(train[0]), yTrain, referenceTest, yTest, classes);
      Fitted fc = probe("compressed", toDouble(train[1]), yTrain, compressedTest, yTest, classes);
      int[] fromReference = fr.probe().predict(referenceTest);
      int[] fromCompressed = fr.probe().predict(compressedTest);
      int same = 0;
      int transferHits = 0;
      for (int i = 0; i < fromReference.length; i++) {
        same += fromReference[i] == fromCompressed[i] ? 1 : 0;
        transferHits += fromCompressed[i] == yTest[i] ? 1 : 0;
      }
      Probe probe = new Probe(data.labels(), fr.result(), fc.result(), 100 * (fc.result().accuracy() - fr.result().accuracy()),
          (double) transferHits / fromCompressed.length, (double) same / fromReference.length);

      Latency latency = settings.latencyIterations() == 0 ? null : latency(tokFile, data.test(), r, c);
      int width = test[0][0].length;
      return new Report(new ModelInfo(reference, ref.model().toString(), width), new ModelInfo(model, comp.model().toString(), width),
          tokFile.toString(), mean ? "mean" : "cls", settings.maxLength(),
          new DataInfo(String.valueOf(trainFile != null ? trainFile : dataFile) + (trainFile == null ? " (split)" : ""),
              data.train().size(), EvalData.counts(data.train())),
          new DataInfo(String.valueOf(dataFile) + (trainFile == null ? " (split, held out)" : ""), data.test().size(),
              EvalData.counts(data.test())),
          fidelity, geometry, probe, latency, embedSeconds, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * A NaN or infinite embedding is the model's fault (its weights or graph), not the data's: the
   * error names the model that produced it and the text it was fed, before a probe sees it.
   */
  private static void requireFinite(Matrix e, String option, String given, String split, List<LabeledText> texts,
      Integer[] order, int from) {
    for (int i = 0; i < e.rows(); i++) {
      for (int j = 0; j < e.cols(); j++) {
        double v = e.get(i, j);
        if (!Double.isFinite(v)) {
          int text = order[from + i];
          String t = texts.get(text).text();
          throw new StructuraException(ErrorCode.INVALID_INPUT, option + " " + given + " produced a non-finite embedding ("
              + v + " at dimension " + j + ") for " + split + " text " + text + " (\"" + (t.length() > 60 ? t.substring(0, 57)
              + "..." : t) + "\").", "That model is broken (NaN/Inf weights, or a graph that overflows); check it with "
              + "structura compress's reader or re-export it.");
        }
      }
    }
  }

  /**
   * ONNX Runtime is optional for structura.formats ({@code requires static}): without it an
   * evaluation would die on a NoClassDefFoundError deep inside, so say what to add instead.
   */
  private static void requireOnnxRuntime() {
    try {
      Class.forName("ai.onnxruntime.OrtEnvironment", false, Evaluation.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new StructuraException(ErrorCode.INVALID_CONFIGURATION, "evaluation runs models in ONNX Runtime, which is "
          + "not on the module or class path.", "Add com.microsoft.onnxruntime:onnxruntime (the version structura-formats "
          + "names) to the application; on the module path it resolves as com.microsoft.onnxruntime.", e);
    }
  }

  private static ModelZoo.Resolved onnx(ModelZoo.Resolved r, String given, String option) {
    if (r.kind() != ModelZoo.Kind.ONNX) {
      throw new ModelFormatException(given, null, option + " is a safetensors directory; eval runs models in ONNX Runtime.",
          "Pass the model as an .onnx file (structura writes ONNX with its ONNX writer) or a zoo name.", null);
    }
    return r;
  }

  private static StructuraException widthMismatch(String model, String reference, long got, long want) {
    return new StructuraException(ErrorCode.DIMENSION_MISMATCH, "the embeddings of --model " + model + " are " + got
        + " wide, those of --reference " + reference + " " + want + "; fidelity compares embeddings of equal width.",
        "Pass as --reference the model that --model was compressed from (compression keeps the output width).");
  }

  /**
   * Embeddings [model][text][d] of both models, model 0 the reference (from the cache when it has
   * them: the same texts, model, tokenizer, length, pooling and batches give the same embeddings).
   */
  private float[][][] embed(String split, List<LabeledText> texts, TextTokenizer tok, OrtEncoder r, OrtEncoder c,
      String model, String reference, ReferenceEmbeddingCache cache) {
    float[][] ref = cache == null ? null : cache.read(texts).orElse(null);
    if (ref != null) {
      progress.printf("eval: %s split: the reference's embeddings of %d texts from %s%n", split, texts.size(),
          cache.file(texts));
      progress.flush();
    } else {
      ref = embed(split, "the reference", texts, tok, r, "--reference", reference);
      if (cache != null) {
        cache.write(texts, ref);
      }
    }
    float[][] comp = embed(split, "the compressed model", texts, tok, c, "--model", model);
    if (texts.size() > 0 && ref[0].length != comp[0].length) {
      throw widthMismatch(model, reference, comp[0].length, ref[0].length);
    }
    return new float[][][] {ref, comp};
  }

  /** One model's embeddings of the texts, in text order. */
  private float[][] embed(String split, String which, List<LabeledText> texts, TextTokenizer tok, OrtEncoder encoder,
      String option, String given) {
    int n = texts.size();
    int[][] ids = tok.ids(texts.stream().map(LabeledText::text).toList()).toArray(new int[0][]);
    // batches of similar length pad little: ONNX Runtime computes every padded position
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -ids[i].length).thenComparingInt(i -> i));
    float[][] out = new float[n][];
    long t0 = System.nanoTime();
    int reported = 0;
    for (int from = 0; from < n; from += settings.batchSize()) {
      int to = Math.min(n, from + settings.batchSize());
      int[][] seqs = new int[to - from][];
      for (int k = from; k < to; k++) {
        seqs[k - from] = ids[order[k]];
      }
      TokenBatch batch = TokenBatch.pad(seqs, 0, 0);
      Matrix e;
      try (OrtEncoder.Inputs in = encoder.inputs(batch)) {
        e = encoder.embed(in);
      }
      requireFinite(e, option, given, split, texts, order, from);
      for (int k = from; k < to; k++) {
        out[order[k]] = row(e, k - from);
      }
      // a line per tenth: readable in logs, where carriage-return progress bars are not
      if (to == n || to * 10L / n > reported) {
        reported = (int) (to * 10L / n);
        progress.printf("eval: %s split: embedded %d/%d texts with %s (%.1f s)%n", split, to, n, which,
            (System.nanoTime() - t0) / 1e9);
        progress.flush();
      }
    }
    return out;
  }

  private static float[] row(Matrix m, int i) {
    float[] v = new float[m.cols()];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) m.get(i, j);
    }
    return v;
  }

  /** Cosine statistics of corresponding rows. */
  static Fidelity fidelity(float[][] reference, float[][] compressed) {
    int n = reference.length;
    double[] cos = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int j = 0; j < reference[i].length; j++) {
        dot += (double) reference[i][j] * compressed[i][j];
        na += (double) reference[i][j] * reference[i][j];
        nb += (double) compressed[i][j] * compressed[i][j];
      }
      cos[i] = na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
      sum += cos[i];
    }
    double[] sorted = cos.clone();
    Arrays.sort(sorted);
    int p5 = Math.max(0, (int) Math.ceil(0.05 * n) - 1);
    return new Fidelity(n, sum / n, sorted[0], sorted[p5]);
  }

  /** Neighbours kept per text and the rank correlation of all pairwise similarities (NaN for fewer than 2 texts). */
  static Geometry geometry(float[][] reference, float[][] compressed) {
    int n = reference.length;
    if (n < 2) {
      return new Geometry(0, Double.NaN, 0, Double.NaN);
    }
    int k = Math.min(NEIGHBOURS, n - 1);
    double overlap = NeighbourOverlap.mean(reference, compressed, k);
    double[] r = pairwiseCosines(reference);
    double[] c = pairwiseCosines(compressed);
    return new Geometry(k, overlap, r.length, SpearmanCorrelation.of(r, c));
  }

  /** The cosine of every pair i &lt; j of rows, in row-major order of (i, j). */
  static double[] pairwiseCosines(float[][] x) {
    int n = x.length;
    double[][] u = new double[n][];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (float v : x[i]) {
        norm += (double) v * v;
      }
      double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      u[i] = new double[x[i].length];
      for (int j = 0; j < u[i].length; j++) {
        u[i][j] = x[i][j] * scale;
      }
    }
    double[] out = new double[n * (n - 1) / 2];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = 0;
        for (int t = 0; t < u[i].length; t++) {
          d += u[i][t] * u[j][t];
        }
        out[p++] = d;
      }
    }
    return out;
  }

  /** Neighbours per text of the overlap measure: the top 10 of a semantic search. */
  static final int NEIGHBOURS = 10;

  private record Fitted(LogisticRegressionProbe probe, ProbeResult result) {}

  private Fitted probe(String which, double[][] xTrain, int[] yTrain, double[][] xTest, int[] yTest, int classes) {
    LogisticRegressionProbe.Options opts = LogisticRegressionProbe.Options.defaults();
    double c;
    LogisticRegressionProbe.CrossValidation cv = null;
    if (settings.probeC() != null) {
      c = settings.probeC();
    } else {
      cv = LogisticRegressionProbe.crossValidate(xTrain, yTrain, classes, LogisticRegressionProbe.DEFAULT_C_GRID,
          CV_FOLDS, CV_SEED, opts);
      c = cv.best();
      progress.printf(java.util.Locale.ROOT, "eval: %s probe: C = %s by %d-fold cross-validation (held-out accuracy %s)%n",
          which, c, CV_FOLDS, Arrays.toString(Arrays.stream(cv.accuracy()).map(a -> Math.round(a * 1e4) / 1e4).toArray()));
      progress.flush();
    }
    LogisticRegressionProbe p = LogisticRegressionProbe.fit(xTrain, yTrain, classes, opts.withC(c));
    return new Fitted(p, new ProbeResult(p.accuracy(xTest, yTest), p.accuracy(xTrain, yTrain), p.iterations(),
        p.converged(), c, cv == null ? null : cv.grid(), cv == null ? null : cv.accuracy()));
  }

  /** Folds and seed of the probes' cross-validation (fixed, so that reruns agree). */
  static final int CV_FOLDS = 5;
  public static final long CV_SEED = 20261122L;

  private static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  private Latency latency(Path tokFile, List<LabeledText> texts, OrtEncoder r, OrtEncoder c) {
    int b = settings.latencyBatch();
    int len = settings.latencyLength();
    // the longest held-out texts, so that rows are real tokens rather than padding
    List<LabeledText> byLength = new ArrayList<>(texts);
    byLength.sort(Comparator.comparingInt((LabeledText t) -> -t.text().length()));
    int[][] seqs = new int[b][];
    try (TextTokenizer tok = TextTokenizer.load(tokFile, len)) {
      for (int i = 0; i < b; i++) {
        seqs[i] = tok.ids(byLength.get(i % byLength.size()).text());
      }
    }
    TokenBatch batch = TokenBatch.pad(seqs, 0, len);
    progress.printf("eval: timing %d × %d tokens, %d threads: 1 warm-up and %d timed runs per model, alternating%n", b, len,
        settings.threads(), settings.latencyIterations());
    progress.flush();
    int n = settings.latencyIterations();
    double[] tr = new double[n];
    double[] tc = new double[n];
    try (OrtEncoder.Inputs inR = r.inputs(batch); OrtEncoder.Inputs inC = c.inputs(batch)) {
      r.time(inR);
      c.time(inC);
      for (int i = 0; i < n; i++) {
        tr[i] = r.time(inR) / 1e9;
        tc[i] = c.time(inC) / 1e9;
      }
    }
    Timing ref = timing(tr);
    Timing comp = timing(tc);
    return new Latency(b, len, settings.threads(), n, ref, comp, ref.meanSeconds() / comp.meanSeconds(),
        ref.bestSeconds() / comp.bestSeconds());
  }

  private static Timing timing(double[] s) {
    return new Timing(Arrays.stream(s).average().orElse(Double.NaN), Arrays.stream(s).min().orElse(Double.NaN), s);
  }
}
