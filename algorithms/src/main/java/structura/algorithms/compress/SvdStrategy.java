package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.NumericalFailureException;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.SymmetricEigen;
import structura.algorithms.linalg.TriangularInverse;
import structura.algorithms.linalg.TruncatedSvd;
import structura.algorithms.nn.Pruning;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * SVD-LLM (Wang, Zheng, Wan and Zhang, "SVD-LLM: Truncation-aware Singular Value Decomposition for
 * Large Language Model Compression", ICLR 2025, arXiv:2403.07378): every linear layer of every
 * block (query, key, value, attention output, FFN up, gate if present, and down) is replaced by
 * two low-rank factors computed with truncation-aware data whitening. This implements the
 * paper's whitening + SVD step ({@code SVDLLM.py}: {@code profle_svdllm} and {@code whitening}),
 * not its optional layer-wise parameter update.
 *
 * <p><b>Per layer.</b> With X ({@code N × n}) the layer's calibration inputs (real tokens only)
 * and {@code C = XᵀX/N}:
 * <pre>
 *   S = chol(C)                      (lower; C = S Sᵀ)
 *   W S = U Σ Vᵀ                     (SVD, W is m × n)
 *   W ≈ W_u · W_v,   W_u = U_k Σ_k^{1/2}  (m × k),   W_v = Σ_k^{1/2} V_kᵀ S⁻¹  (k × n)
 * </pre>
 * Since {@code ‖X(W − W_u W_v)ᵀ‖_F² = N·‖(W − W_u W_v) S‖_F² = N·Σ_{i>k} σ_i²}, the calibration
 * loss of the layer's output is exactly the energy of the discarded singular values of W·S (the
 * paper's Theorem 3.2), and the rank-k factors are the best possible for that loss (Eckart–Young).
 * The bias is kept. The layer's relative error {@code √(Σ_{i>k}σ_i² / Σ_i σ_i²)} goes into the
 * report. Inputs: Q/K/V read the attention input (the block input, or its normed copy in
 * pre-norm blocks), the output projection the concatenated head outputs, up and gate the MLP
 * input, down the FFN intermediate activations; all statistics come from one pass of the
 * <em>original</em> model, as in SVD-LLM's default (non-sequential) mode.
 *
 * <p><b>Ranks.</b> SVD-LLM gives every layer the same parameter ratio ρ:
 * {@code k = ⌊m·n·ρ/(m+n)⌋} (at least 1), so the factors hold {@code k·(m+n) ≤ ρ·m·n}
 * parameters and cost as many multiply-accumulates per token. Here ρ is found by bisection as the
 * largest ratio whose network meets the {@link Budget}: block MACs by {@link MacModel} (whose
 * attention {@code L²} terms low rank does not reduce, so the MAC fraction kept is above ρ), or
 * block parameters. A layer whose factors would not be smaller ({@code k·(m+n) ≥ m·n}, and every
 * layer at ρ = 1) keeps its dense weight. Per-block keep fractions ({@link Budget.KeepFractions})
 * do not apply.
 *
 * <p><b>Options.</b> {@code shift} (default 1e-6): when C is not numerically positive definite
 * (Cholesky fails), {@code C + (max(0, −λ_min) + shift·mean(diag C))·I} is factored instead.
 * {@code f64-gram} (default true): C is accumulated with F64 products
 * ({@link CovarianceAccumulator}); with {@code false}, per-chunk F32 Gram matrices (twice as fast)
 * whose rounding, a few 1e-6 of the mean diagonal, then sets the floor of the shift and of the
 * accuracy on exactly rank-deficient inputs.
 *
 * <p><b>Deviations.</b> SVD-LLM accumulates the raw sum {@code XᵀX} and shifts by the absolute
 * {@code −λ_min + 1e-6}; here C is divided by N (which changes neither S⁻¹·S products nor the
 * factors) and the shift is relative to the mean diagonal, so it does not depend on the token count or
 * activation scale; the products are accumulated in F64 (SVD-LLM sums F32 products). Padding tokens are excluded (SVD-LLM's calibration has none). Decompositions run in
 * double precision (EJML SVD, blocked Cholesky and triangular inverse on the backend); the factors
 * are stored in F32.
 *
 * <p><b>Cost.</b> One forward pass of the original model with four Gram matrices per block
 * ({@code N·(3d² + f²)} flops, {@code H·d_v = d}); per block four Cholesky factorizations and
 * triangular inverses ({@code d³} or {@code f³}), and per linear layer an {@code m × n} product and
 * a dense SVD ({@code O(m·n·min(m, n))}, EJML). Memory: the Gram matrices of one block.
 */
public final class SvdStrategy implements CompressionStrategy {
  /** Layer names in report order. */
  static final List<String> LAYERS = List.of("query", "key", "value", "output", "up", "gate", "down");

  @Override
  public String name() {
    return "svd";
  }

  @Override
  public String summary() {
    return "low rank per linear layer: SVD of W·chol(XᵀX) (truncation-aware whitening), one parameter ratio for all layers";
  }

  @Override
  public Citation citation() {
    return new Citation("X. Wang, Y. Zheng, Z. Wan, M. Zhang",
        "SVD-LLM: Truncation-aware Singular Value Decomposition for Large Language Model Compression", "ICLR 2025",
        "https://arxiv.org/abs/2403.07378");
  }

  @Override
  public Map<String, String> optionHelp() {
    return SvdOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    SvdOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, SvdOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, SvdOptions options) {
    double shift = options.shift();
    boolean f64Gram = options.f64Gram();
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, name());
    if (request.budget() instanceof Budget.KeepFractions) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "svd keeps every head and neuron and lowers the rank of each linear layer; per-block head and neuron "
              + "fractions do not apply.", "Give a global budget: --target F (block MACs) or --target F --target-kind params.");
    }
    request.calibration().requireEnoughTokens(net);
    Map<String, Double> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    MacModel macs = new MacModel(request.calibration().meanLength());
    double ratio = ratio(net, request.budget(), macs);
    stages.put("allocation", Timing.seconds(t0));
    int blocks = net.depth();
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    if (ratio >= 1) {
      request.progress().stage("ratio 1: the budget keeps every layer dense");
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = net.blocks().get(i);
        reports.add(report(i, b, b, denseRanks(b)));
      }
      return new CompressionResult(net, CompressionReport.of(request, name(), citation(), net, net, reports, stages));
    }
    request.progress().stage(String.format(Locale.ROOT, "parameter ratio %.4f for every linear layer (k = floor(m·n·ratio/(m+n)))",
        ratio));
    long t1 = System.nanoTime();
    request.progress().stage("calibration pass (" + request.calibration().texts() + " texts, original model) and factorization");
    Calibrator cal = new Calibrator(request.compute(), net, request.calibration());
    TransformerNetwork out = net;
    double statisticsSeconds = 0;
    double factorSeconds = 0;
    for (int i = 0; i < blocks; i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      Mlp m = b.mlp();
      long ts = System.nanoTime();
      StatisticsHook stats = StatisticsHook.of(request.compute(), i, EnumSet.of(StatisticsHook.Kind.ATTENTION_INPUT,
          StatisticsHook.Kind.HEADS, StatisticsHook.Kind.MLP_INPUT, StatisticsHook.Kind.FFN), b, f64Gram);
      cal.advance(net, i, stats);
      double st = Timing.seconds(ts);
      long tf = System.nanoTime();
      String p = "block " + i + " ";
      Compute c = request.compute();
      List<CompressionReport.LayerRank> ranks = new ArrayList<>();
      Whitening attnIn = whitening(c, stats.attentionInput, shift, p + "attention input");
      Linear q = factor(c, a.query(), attnIn, ratio, "query", ranks);
      Linear k = factor(c, a.key(), attnIn, ratio, "key", ranks);
      Linear v = factor(c, a.value(), attnIn, ratio, "value", ranks);
      Whitening heads = whitening(c, stats.heads, shift, p + "attention heads");
      Linear oProj = factor(c, a.output(), heads, ratio, "output", ranks);
      Whitening mlpIn = whitening(c, stats.mlpInput, shift, p + "MLP input");
      Linear up = factor(c, m.up(), mlpIn, ratio, "up", ranks);
      Linear gate = m.gate() == null ? null : factor(c, m.gate(), mlpIn, ratio, "gate", ranks);
      Whitening ffn = whitening(c, stats.ffn, shift, p + "FFN intermediate");
      Linear down = factor(c, m.down(), ffn, ratio, "down", ranks);
      long fallbacks = java.util.stream.Stream.of(attnIn, heads, mlpIn, ffn).filter(w -> w.shift() > 0).count();
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), q, k, v, oProj, a.scale(), a.causal(),
          a.rotary());
      TransformerBlock nb = new TransformerBlock(na, new Mlp(up, gate, down, m.activation()), b.attentionNorm(), b.mlpNorm(),
          b.placement());
      out = Pruning.replace(out, i, nb);
      double ft = Timing.seconds(tf);
      statisticsSeconds += st;
      factorSeconds += ft;
      reports.add(report(i, b, nb, ranks));
      StringBuilder detail = new StringBuilder("ranks");
      double worst = 0;
      String worstName = "";
      for (CompressionReport.LayerRank r : ranks) {
        detail.append(' ').append(r.layer()).append(' ').append(r.factored() ? String.valueOf(r.rank()) : "dense");
        if (r.error() >= worst) {
          worst = r.error();
          worstName = r.layer();
        }
      }
      detail.append(String.format(Locale.ROOT, "; largest relative layer error %.4f (%s)", worst, worstName));
      if (fallbacks > 0) {
        detail.append("; ").append(fallbacks).append(" input second moment(s) shifted to be positive definite");
      }
      detail.append(String.format(Locale.ROOT, " (statistics %.1f s, factorization %.1f s)", st, ft));
      request.progress().block(i, blocks, detail.toString());
    }
    stages.put("statistics", statisticsSeconds);
    stages.put("factorization", factorSeconds);
    stages.put("calibration and factorization", Timing.seconds(t1));
    return new CompressionResult(out, CompressionReport.of(request, name(), citation(), net, out, reports, stages));
  }

  private static CompressionReport.BlockReport report(int i, TransformerBlock b, TransformerBlock nb,
      List<CompressionReport.LayerRank> ranks) {
    Attention a = b.attention();
    return new CompressionReport.BlockReport(i, a.heads(), nb.attention().heads(), a.headDim(), nb.attention().headDim(),
        a.valueDim(), nb.attention().valueDim(), b.mlp().width(), nb.mlp().width(), Double.NaN, Double.NaN, ranks);
  }

  private static List<CompressionReport.LayerRank> denseRanks(TransformerBlock b) {
    List<CompressionReport.LayerRank> ranks = new ArrayList<>();
    Linear[] layers = Pruning.linearLayers(b);  // in the order of LAYERS
    for (int j = 0; j < layers.length; j++) {
      if (layers[j] != null) {
        ranks.add(new CompressionReport.LayerRank(LAYERS.get(j), layers[j].out(), layers[j].in(), layers[j].rank(), false, 0));
      }
    }
    return ranks;
  }

  // ---- ranks and budget ----------------------------------------------------------------------

  /** SVD-LLM's rank for an {@code m × n} weight at parameter ratio ρ: {@code ⌊m·n·ρ/(m+n)⌋}, at least 1. */
  static int rank(int m, int n, double ratio) {
    return Math.max(1, (int) Math.floor((double) m * n * ratio / (m + n)));
  }

  /** Whether an {@code m × n} layer is factored at ratio ρ: ρ < 1 and the factors are smaller than W. */
  static boolean factored(int m, int n, double ratio) {
    return ratio < 1 && (long) rank(m, n, ratio) * (m + n) < (long) m * n;
  }

  /**
   * Block MACs ({@link MacModel}) or block parameters of {@code net} with every linear layer at
   * ratio ρ (dense layers unchanged).
   */
  static double cost(TransformerNetwork net, double ratio, MacModel macs, boolean params) {
    double total = 0;
    for (TransformerBlock b : net.blocks()) {
      double saved = 0;
      for (Linear l : Pruning.linearLayers(b)) {
        if (l != null && factored(l.out(), l.in(), ratio)) {
          saved += (double) l.out() * l.in() - (double) rank(l.out(), l.in(), ratio) * (l.out() + l.in());
        }
      }
      total += params ? b.parameterCount() - saved : macs.block(b) - macs.sequenceLength() * saved;
    }
    return total;
  }

  /**
   * The largest ratio ρ in (0, 1] whose network meets the budget ({@link WidthSearch} on the
   * monotone, stepwise cost); 1 when the budget keeps everything.
   *
   * @throws UnreachableTargetException if even rank 1 in every layer exceeds the budget, carrying
   *     the smallest reachable fraction
   */
  static double ratio(TransformerNetwork net, Budget budget, MacModel macs) {
    boolean params = budget instanceof Budget.ParameterFraction;
    double total = cost(net, 1, macs, params);
    double target = budget.globalFraction() * total;
    if (total <= target) {
      return 1;
    }
    BudgetCosts.requireReachable(budget, "svd", cost(net, 0, macs, params), total, params
        ? "rank 1 in every linear layer (biases and norms stay)"
        : "rank 1 in every linear layer (the attention scores and weighted values, L²·H·(d_qk + d_v) per block, "
            + "do not shrink with the rank)", null);
    return WidthSearch.boundary(0, 1, x -> cost(net, x, macs, params), target);
  }

  // ---- whitening and factors -----------------------------------------------------------------

  /**
   * The whitening of one layer input: S = chol(C) with {@code C = XᵀX/N}, and S⁻¹.
   *
   * @param l S, lower triangular, F64
   * @param inverse S⁻¹, lower triangular, F64
   * @param shift the diagonal shift that was needed, relative to the mean of diag C (0 when C was positive definite)
   */
  record Whitening(Matrix l, Matrix inverse, double shift) {}

  private static Whitening whitening(Compute compute, CovarianceAccumulator acc, double shift, String what) {
    CovarianceAccumulator.Moments mom = acc.moments();
    Matrix c = mom.gram();  // a new matrix per moments() call, scaled in place
    compute.scale(1.0 / mom.count(), c);
    return whitening(compute, c, shift, what);
  }

  /**
   * S = chol(C); when C is not numerically positive definite, {@code C + (max(0, −λ_min) + shift·mean diag C)·I}
   * (SVD-LLM's eigenvalue fallback, with a relative shift).
   *
   * @param c the input second moment (F64, symmetric), not modified
   * @throws InvalidArgumentException if C is zero (the layer never sees a nonzero input)
   * @throws NumericalFailureException if the shifted matrix still has no Cholesky factor
   */
  static Whitening whitening(Compute compute, Matrix c, double shift, String what) {
    int n = c.rows();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += c.get(i, i);
    }
    mean /= n;
    if (!(mean > 0)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, what + ": every calibration input of the layer is zero.",
          "Check the model and the calibration texts; a layer that only sees zeros cannot be whitened.");
    }
    Cholesky chol = new Cholesky(compute, CholeskyOptions.defaults());
    Matrix l;
    double delta = 0;
    try {
      l = chol.factor(c);
    } catch (NumericalFailureException e) {
      double[] ev = SymmetricEigen.decompose(c).values(); // decreasing
      delta = Math.max(0, -ev[n - 1]) + shift * mean;
      Matrix shifted = c.copy();
      for (int i = 0; i < n; i++) {
        shifted.set(i, i, shifted.get(i, i) + delta);
      }
      try {
        l = chol.factor(shifted);
      } catch (NumericalFailureException e2) {
        throw new NumericalFailureException(what + ": the input second moment XᵀX/N is not positive definite even after a "
            + "diagonal shift of " + delta + " (smallest eigenvalue " + ev[n - 1] + ", shift " + shift + " of the mean "
            + "diagonal " + mean + ").", "Raise -o shift, e.g. shift=1e-4.");
      }
    }
    return new Whitening(l, new TriangularInverse(compute).lower(l), delta / mean);
  }

  /**
   * Factors one layer at ratio ρ (or returns it unchanged when the factors would not be smaller)
   * and appends its rank and error to {@code ranks}.
   */
  private static Linear factor(Compute compute, Linear layer, Whitening w, double ratio, String name,
      List<CompressionReport.LayerRank> ranks) {
    int m = layer.out();
    int n = layer.in();
    if (!factored(m, n, ratio)) {
      ranks.add(new CompressionReport.LayerRank(name, m, n, Math.min(m, n), false, 0));
      return layer;
    }
    Factored f = lowRank(compute, layer, w, rank(m, n, ratio));
    ranks.add(new CompressionReport.LayerRank(name, m, n, f.layer().rank(), true, f.error()));
    return f.layer();
  }

  /**
   * A factored layer and its relative calibration error {@code √(Σ_{i>k}σ_i² / Σσ_i²)}, σ the
   * singular values of W·S.
   */
  record Factored(Linear layer, double error) {}

  /**
   * SVD-LLM's factors of rank k: {@code W_u = U_k Σ_k^{1/2}}, {@code W_v = Σ_k^{1/2} V_kᵀ S⁻¹}
   * from the SVD {@code W·S = U Σ Vᵀ}; the bias is copied.
   */
  static Factored lowRank(Compute compute, Linear layer, Whitening w, int k) {
    int m = layer.out();
    int n = layer.in();
    if (w.l().rows() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "whitening of width " + w.l().rows()
          + " for a layer with " + n + " inputs.", "Use the second moment of this layer's input.");
    }
    Matrix ws = Matrix.zeros(DType.F64, m, n);
    compute.gemm(Transpose.N, Transpose.N, 1.0, layer.weight().toDType(DType.F64), w.l(), 0.0, ws);
    double total = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double x = ws.get(i, j);
        total += x * x;
      }
    }
    SvdResult svd = new TruncatedSvd(k).decompose(ws);
    double[] sigma = svd.singularValues();
    Matrix vs = Matrix.zeros(DType.F64, k, n);
    compute.gemm(Transpose.N, Transpose.N, 1.0, svd.vt(), w.inverse(), 0.0, vs); // V_kᵀ S⁻¹
    Matrix u = Matrix.zeros(DType.F32, m, k);
    Matrix v = Matrix.zeros(DType.F32, k, n);
    double kept = 0;
    Matrix su = svd.u();
    for (int t = 0; t < k; t++) {
      double r = Math.sqrt(sigma[t]);
      kept += sigma[t] * sigma[t];
      for (int i = 0; i < m; i++) {
        u.set(i, t, su.get(i, t) * r);
      }
      for (int j = 0; j < n; j++) {
        v.set(t, j, r * vs.get(t, j));
      }
    }
    double error = total > 0 ? Math.sqrt(Math.max(0, total - kept) / total) : 0;
    Matrix bias = layer.bias() == null ? null : layer.bias().copy();
    return new Factored(Linear.factored(u, v, bias), error);
  }
}
