package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import structura.algorithms.linalg.GramInterpolativeDecomposition;
import structura.algorithms.linalg.InterpolativeDecompositionOptions;
import structura.algorithms.linalg.InterpolativeDecompositionResult;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
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
 * Dimension-independent structural pruning (DISP-LLM: S. Gao, C.-H. Lin, T. Hua, T. Zheng, Y. Shen,
 * H. Jin, Y.-C. Hsu, NeurIPS 2024, arXiv:2410.11988), with a gradient-free selector. The residual
 * stream keeps its width d, but each sublayer (attention, FFN) of each block reads only its own
 * subset of the residual dimensions and writes only its own subset:
 * <pre>
 *   attention:  x_in = norm(h)[:, S₁]  (the norm over the full d, then a gather)
 *               h ← h + scatter_{S₂}(attention(x_in))      (index-add into the residual)
 *   FFN:        x_in = norm(h)[:, S₃];  h ← h + scatter_{S₅}(ffn(x_in))
 * </pre>
 * (post-norm BERT blocks read their input as it is and norm after the index-add.) The result
 * uses {@link Linear#selected} layers: Q, K, V and FFN up (and gate) read S₁ or S₃; the
 * attention output and FFN down write S₂ or S₅. Heads and FFN neurons are kept.
 *
 * <p><b>Selector (replaces the paper's hypernetwork, which is trained by back-propagation).</b>
 * Per sublayer, with X ({@code N × d}) its input on the calibration set (real tokens, computed by
 * the already-compressed blocks before it), μ its mean and {@code Σ = (X − 1μᵀ)ᵀ(X − 1μᵀ)}:
 * <ol>
 * <li><b>Inputs.</b> A column interpolative decomposition of the centered X of rank k (pivoted
 * Cholesky of Σ, which picks the pivots of column-pivoted QR of X: {@link GramInterpolativeDecomposition};
 * Chee et al.'s ID pruning) gives the kept dims S and T ({@code k × d}, {@code T(:, S) = I}) with
 * {@code X ≈ X_S·T + 1cᵀ}, {@code c = μ − Tᵀμ_S}. Folded into every weight W that reads X:
 * {@code W' = W·Tᵀ} ({@code out × k}), {@code b' = b + W·c}, so the dropped dims are reconstructed
 * from the kept ones and the layer's calibration error is that of the ID.</li>
 * <li><b>Outputs.</b> Dropping an output dim j of a sublayer whose output is o leaves the
 * residual short by {@code o_j}; replacing it by its calibration mean costs its variance
 * {@code w_jᵀ Σ_in w_j} (w_j row j of the output projection, Σ_in the centered second moment of its
 * input). The k dims of largest variance are written; the others' means go into the full-width
 * bias, which is optimal for a dimension drop.</li>
 * </ol>
 * With {@code intercept=false} the uncentered second moment is used and no bias changes.
 *
 * <p><b>Widths.</b> One fraction ρ of the model width for all four subsets of every block,
 * {@code k = max(1, ⌊ρ·d⌋)}, the largest meeting the {@link Budget} ({@link WidthSearch} on
 * {@link MacModel} MACs, or block parameters). Per-block keep fractions do not apply.
 *
 * <p><b>Cost.</b> Per block three block evaluations on the calibration set (attention
 * statistics, FFN statistics with the compressed attention, the advance), four centered Gram
 * matrices ({@code N·(2d² + (H·d_v)² + f²)}), two pivoted Cholesky IDs ({@code d·k²}) and the output
 * variances ({@code d·(H·d_v)² + d·f²}). Memory: the hidden states of all calibration batches.
 *
 * <p><b>Deviations.</b> DISP-LLM learns the five masks per block (including FFN neurons) with a
 * hypernetwork and a language-model loss, and does not change the kept weights; here the subsets
 * come from IDs and variances, FFN widths are not pruned, the ID's interpolation matrix is folded
 * into the input weights and the dropped outputs' means into the biases.
 */
public final class DispStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "disp";
  }

  @Override
  public String summary() {
    return "each block reads and writes its own residual dimensions (gather + index-add); inputs chosen by an "
        + "interpolative decomposition folded into the weights, outputs by variance";
  }

  @Override
  public Citation citation() {
    return new Citation("S. Gao, C.-H. Lin, T. Hua, T. Zheng, Y. Shen, H. Jin, Y.-C. Hsu",
        "DISP-LLM: Dimension-Independent Structural Pruning for Large Language Models", "NeurIPS 2024",
        "https://arxiv.org/abs/2410.11988");
  }

  @Override
  public Map<String, String> optionHelp() {
    return DispOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    DispOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, DispOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, DispOptions options) {
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, name());
    if (request.budget() instanceof Budget.KeepFractions) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "disp keeps every head and neuron and prunes residual dimensions; per-block head and neuron fractions do not apply.",
          "Give a global budget: --target F (block MACs) or --target F --target-kind params.");
    }
    Map<String, Double> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    MacModel macs = new MacModel(request.calibration().meanLength());
    int k = keptDims(net, request.budget(), macs);
    stages.put("allocation", Timing.seconds(t0));
    int d = net.width();
    int blocks = net.depth();
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    if (k >= d) {
      request.progress().stage("the budget keeps every residual dimension");
      for (int i = 0; i < blocks; i++) {
        reports.add(report(i, net.blocks().get(i), net.blocks().get(i), 0, 0));
      }
      return new CompressionResult(net, CompressionReport.of(request, name(), citation(), net, net, reports, stages));
    }
    request.progress().stage(String.format(Locale.ROOT, "each sublayer reads and writes %d of %d residual dimensions", k, d));
    long t1 = System.nanoTime();
    Calibrator cal = new Calibrator(request.compute(), net, request.calibration());
    Compute c = request.compute();
    TransformerNetwork out = net;
    for (int i = 0; i < blocks; i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      Mlp m = b.mlp();
      StatisticsHook attnStats = hook(c, i, EnumSet.of(StatisticsHook.Kind.ATTENTION_INPUT, StatisticsHook.Kind.HEADS), b, options);
      observe(c, out, cal, i, attnStats);
      Selection in1 = inputSelection(c, attnStats.attentionInput, k, options.intercept(), "block " + i + " attention input");
      Linear q = in1.fold(c, a.query());
      Linear key = in1.fold(c, a.key());
      Linear v = in1.fold(c, a.value());
      Written o = outputSelection(c, a.output(), attnStats.heads, k, options.intercept());
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), q, key, v, o.layer(), a.scale(),
          a.causal(), a.rotary());
      out = Pruning.replace(out, i, new TransformerBlock(na, m, b.attentionNorm(), b.mlpNorm(), b.placement()));
      StatisticsHook mlpStats = hook(c, i, EnumSet.of(StatisticsHook.Kind.MLP_INPUT, StatisticsHook.Kind.FFN), b, options);
      observe(c, out, cal, i, mlpStats);
      Selection in3 = inputSelection(c, mlpStats.mlpInput, k, options.intercept(), "block " + i + " MLP input");
      Written down = outputSelection(c, m.down(), mlpStats.ffn, k, options.intercept());
      Mlp nm = new Mlp(in3.fold(c, m.up()), m.gate() == null ? null : in3.fold(c, m.gate()), down.layer(), m.activation());
      TransformerBlock nb = new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement());
      out = Pruning.replace(out, i, nb);
      cal.advance(out, i, null);
      reports.add(report(i, b, nb, in1.error(), in3.error()));
      request.progress().block(i, blocks, String.format(Locale.ROOT,
          "reads %d/%d, writes %d/%d dims; relative input ID error attention %.4f, FFN %.4f; "
              + "relative variance dropped from the outputs attention %.4f, FFN %.4f",
          in1.kept().length, d, k, d, in1.error(), in3.error(), o.droppedVariance(), down.droppedVariance()));
    }
    stages.put("calibration and selection", Timing.seconds(t1));
    return new CompressionResult(out, CompressionReport.of(request, name(), citation(), net, out, reports, stages));
  }

  private static StatisticsHook hook(Compute c, int i, EnumSet<StatisticsHook.Kind> kinds, TransformerBlock b, DispOptions o) {
    return StatisticsHook.of(c, i, kinds, b, o.f64Gram());
  }

  /** Runs block i of {@code net} on the current calibration states for its statistics, without advancing. */
  private static void observe(Compute c, TransformerNetwork net, Calibrator cal, int i, StatisticsHook hook) {
    TransformerForward f = new TransformerForward(c, net);
    for (int s = 0; s < cal.batches(); s++) {
      f.block(i, cal.state(s), cal.batch(s), hook);
    }
  }

  /** Heads and neurons are unchanged; the errors are the relative ID errors of the attention and FFN inputs. */
  private static CompressionReport.BlockReport report(int i, TransformerBlock b, TransformerBlock nb, double attnError,
      double ffnError) {
    Attention a = b.attention();
    return new CompressionReport.BlockReport(i, a.heads(), nb.attention().heads(), a.headDim(), nb.attention().headDim(),
        a.valueDim(), nb.attention().valueDim(), b.mlp().width(), nb.mlp().width(), attnError, ffnError);
  }

  // ---- widths and budget ---------------------------------------------------------------------

  /** Residual dims kept per subset at fraction ρ of the width d: {@code max(1, ⌊ρ·d⌋)}. */
  static int kept(int d, double fraction) {
    return Math.max(1, Math.min(d, (int) Math.floor(fraction * d)));
  }

  /**
   * Block MACs ({@link MacModel}) or block parameters of {@code net} when every sublayer reads
   * and writes k of the d residual dims (biases and norms stay full width).
   */
  static double cost(TransformerNetwork net, int k, MacModel macs, boolean params) {
    double total = 0;
    for (TransformerBlock b : net.blocks()) {
      Attention a = b.attention();
      Mlp m = b.mlp();
      int d = b.width();
      double reads = (double) a.query().out() + a.key().out() + a.value().out() + m.up().out()
          + (m.gate() == null ? 0 : m.gate().out());
      double writes = (double) a.output().in() + m.down().in();
      double saved = (d - k) * (reads + writes);
      total += params ? b.parameterCount() - saved : macs.block(b) - macs.sequenceLength() * saved;
    }
    return total;
  }

  /**
   * The residual dims per subset, k, of the largest fraction ρ whose network meets the budget; d
   * when the budget keeps everything.
   *
   * @throws UnreachableTargetException if one dim per subset still exceeds the budget
   */
  static int keptDims(TransformerNetwork net, Budget budget, MacModel macs) {
    boolean params = budget instanceof Budget.ParameterFraction;
    int d = net.width();
    double total = cost(net, d, macs, params);
    double target = budget.globalFraction() * total;
    if (total <= target) {
      return d;
    }
    BudgetCosts.requireReachable(budget, "disp", cost(net, 1, macs, params), total, params
        ? "one residual dimension per sublayer input and output (biases, norms and the FFN's inner width stay)"
        : "one residual dimension per sublayer input and output (the attention scores and the FFN's inner "
            + "width stay)", null);
    double rho = WidthSearch.boundary(0, 1, x -> cost(net, kept(d, x), macs, params), target);
    return kept(d, rho);
  }

  // ---- selections ----------------------------------------------------------------------------

  /**
   * The input side of a sublayer: kept dims S (ascending), the interpolation matrix T
   * ({@code |S| × d}, columns S the identity) and the intercept c (length d, zeros without one), so
   * that {@code x ≈ x_S·T + c}; the relative error {@code ‖X − X_S T − 1cᵀ‖_F / ‖X − 1cᵀ...‖_F}
   * of the centered (or raw) calibration input.
   */
  record Selection(int[] kept, Matrix t, double[] intercept, double error) {
    /**
     * The layer reading x through the selection: {@code W' = W·Tᵀ} ({@code out × |S|}),
     * {@code b' = b + W·c}. W must be dense and read the full width d.
     */
    Linear fold(Compute c, Linear layer) {
      Matrix w = layer.weight().toDType(DType.F64);
      int out = w.rows();
      int d = w.cols();
      Matrix folded = Matrix.zeros(DType.F64, out, kept.length);
      c.gemm(Transpose.N, Transpose.T, 1.0, w, t, 0.0, folded);
      boolean hasIntercept = Arrays.stream(intercept).anyMatch(x -> x != 0);
      Matrix b = null;
      if (layer.bias() != null || hasIntercept) {
        double[] bias = new double[out];
        for (int r = 0; r < out; r++) {
          double s = layer.bias() == null ? 0 : layer.bias().get(0, r);
          for (int j = 0; j < d; j++) {
            s += w.get(r, j) * intercept[j];
          }
          bias[r] = s;
        }
        b = row(bias);
      }
      return Linear.selected(folded.toDType(DType.F32), b, new Linear.Selection(d, kept, out, null));
    }
  }

  /**
   * The ID of one sublayer input from its statistics: rank k (fewer when the input's numerical
   * rank is lower), the kept dims sorted ascending with T's rows permuted to match.
   */
  static Selection inputSelection(Compute c, CovarianceAccumulator acc, int k, boolean intercept, String what) {
    CovarianceAccumulator.Moments mom = acc.moments();
    int d = acc.width();
    Matrix g = intercept ? centered(mom) : mom.gram();
    double[] mu = intercept ? mom.mean() : new double[d];
    InterpolativeDecompositionResult id = new GramInterpolativeDecomposition(c, InterpolativeDecompositionOptions.ofRank(
        Math.min(k, d))).fromGram(g.copy(), DType.F64);
    int[] skeleton = id.skeleton();
    Matrix t0 = id.interpolation();
    Integer[] order = new Integer[skeleton.length];
    for (int p = 0; p < order.length; p++) {
      order[p] = p;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(skeleton[x], skeleton[y]));
    int kk = skeleton.length;
    int[] kept = new int[kk];
    Matrix t = Matrix.zeros(DType.F64, kk, d);
    for (int p = 0; p < kk; p++) {
      kept[p] = skeleton[order[p]];
      for (int j = 0; j < d; j++) {
        t.set(p, j, t0.get(order[p], j));
      }
    }
    double[] cvec = new double[d];
    for (int j = 0; j < d; j++) {
      double s = mu[j];
      for (int p = 0; p < kk; p++) {
        s -= t.get(p, j) * mu[kept[p]];
      }
      cvec[j] = s;
    }
    return new Selection(kept, t, cvec, relativeError(c, g, kept, t, what));
  }

  /**
   * The centered scatter {@code G − Nμμᵀ} with the rows and columns of constant dims set to
   * zero: a dim whose centered second moment is within rounding of the centering ({@code 1e-10}
   * of its uncentered one, or negative) carries no variance, and its rounding residue must not
   * make the matrix indefinite or win a pivot.
   */
  private static Matrix centered(CovarianceAccumulator.Moments mom) {
    Matrix s = mom.centeredScatter();
    Matrix g = mom.gram();
    int n = s.rows();
    for (int j = 0; j < n; j++) {
      if (s.get(j, j) <= 1e-10 * Math.abs(g.get(j, j))) {
        for (int q = 0; q < n; q++) {
          s.set(j, q, 0);
          s.set(q, j, 0);
        }
      }
    }
    return s;
  }

  /**
   * {@code √(tr(Mᵀ G M) / tr G)} with {@code M = I − E_S T}: the relative Frobenius error of the
   * ID on the data whose Gram matrix is G.
   */
  private static double relativeError(Compute c, Matrix g, int[] kept, Matrix t, String what) {
    int d = g.rows();
    Matrix mm = Matrix.zeros(DType.F64, d, d);
    for (int j = 0; j < d; j++) {
      mm.set(j, j, 1);
    }
    for (int p = 0; p < kept.length; p++) {
      for (int j = 0; j < d; j++) {
        mm.set(kept[p], j, mm.get(kept[p], j) - t.get(p, j));
      }
    }
    Matrix gm = Matrix.zeros(DType.F64, d, d);
    c.gemm(Transpose.N, Transpose.N, 1.0, g, mm, 0.0, gm);
    double num = 0;
    double den = 0;
    for (int i = 0; i < d; i++) {
      den += g.get(i, i);
      for (int j = 0; j < d; j++) {
        num += mm.get(i, j) * gm.get(i, j);
      }
    }
    if (!Double.isFinite(num) || !Double.isFinite(den)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, what + " has non-finite statistics.",
          "Check the model weights and calibration texts for NaN or Inf.");
    }
    return den > 0 ? Math.sqrt(Math.max(0, num) / den) : 0;
  }

  /** An output projection writing k dims, and the fraction of the output variance it dropped. */
  record Written(Linear layer, double droppedVariance) {}

  /**
   * The output side of a sublayer: its projection W ({@code d × n}, input statistics over n)
   * writes the k dims of largest variance {@code w_jᵀ Σ w_j / N} (centered, or the raw second
   * moment without an intercept); the others get their calibration mean {@code w_j·μ + b_j} as
   * a constant bias (0 + b_j without an intercept).
   */
  static Written outputSelection(Compute c, Linear layer, CovarianceAccumulator acc, int k, boolean intercept) {
    CovarianceAccumulator.Moments mom = acc.moments();
    Matrix s = intercept ? centered(mom) : mom.gram();
    double[] mu = intercept ? mom.mean() : new double[acc.width()];
    Matrix w = layer.weight().toDType(DType.F64);
    int d = w.rows();
    int n = w.cols();
    Matrix ws = Matrix.zeros(DType.F64, d, n);
    c.gemm(Transpose.N, Transpose.N, 1.0, w, s, 0.0, ws);
    double[] variance = new double[d];
    double[] mean = new double[d];
    double total = 0;
    for (int j = 0; j < d; j++) {
      double v = 0;
      double m = layer.bias() == null ? 0 : layer.bias().get(0, j);
      for (int q = 0; q < n; q++) {
        v += ws.get(j, q) * w.get(j, q);
        m += w.get(j, q) * mu[q];
      }
      variance[j] = Math.max(0, v);
      mean[j] = m;
      total += variance[j];
    }
    Integer[] order = new Integer[d];
    for (int j = 0; j < d; j++) {
      order[j] = j;
    }
    // largest variance first; ties by index so the choice is deterministic
    Arrays.sort(order, (x, y) -> variance[x] != variance[y] ? Double.compare(variance[y], variance[x]) : Integer.compare(x, y));
    int kk = Math.min(k, d);
    int[] kept = new int[kk];
    boolean[] isKept = new boolean[d];
    for (int p = 0; p < kk; p++) {
      kept[p] = order[p];
      isKept[order[p]] = true;
    }
    Arrays.sort(kept);
    Matrix stored = Matrix.zeros(DType.F32, kk, n);
    for (int p = 0; p < kk; p++) {
      stored.row(p).copyFrom(layer.weight().row(kept[p]));
    }
    double[] bias = new double[d];
    double dropped = 0;
    for (int j = 0; j < d; j++) {
      bias[j] = isKept[j] ? (layer.bias() == null ? 0 : layer.bias().get(0, j)) : mean[j];
      dropped += isKept[j] ? 0 : variance[j];
    }
    boolean anyBias = layer.bias() != null || Arrays.stream(bias).anyMatch(x -> x != 0);
    Linear l = Linear.selected(stored, anyBias ? row(bias) : null, new Linear.Selection(n, null, d, kept));
    return new Written(l, total > 0 ? dropped / total : 0);
  }

  private static Matrix row(double[] v) {
    Matrix m = Matrix.zeros(DType.F32, 1, v.length);
    for (int j = 0; j < v.length; j++) {
      m.set(0, j, v[j]);
    }
    return m;
  }
}
