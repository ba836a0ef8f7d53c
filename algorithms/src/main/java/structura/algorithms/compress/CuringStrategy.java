package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import structura.algorithms.linalg.CurDecomposition;
import structura.algorithms.linalg.CurOptions;
import structura.algorithms.linalg.CurResult;
import structura.algorithms.linalg.NumericalFailureException;
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
 * CURing (S. Park and S.-M. Moon, "CURing Large Models: Compression via CUR Decomposition",
 * arXiv:2501.04211, 2025): the chosen linear layers W ({@code m × n}) become {@code C·U·R} with C
 * columns and R rows of W, selected by the weights' magnitudes combined with the calibration
 * activations.
 *
 * <p><b>Per layer.</b> With {@code D = diag(‖X_{:,j}‖/√N)} the root mean square of each input on
 * the calibration set (WANDA's activation norm, which CURing multiplies into the weight
 * magnitudes), the activation-weighted matrix {@code A = W·D} is decomposed by
 * {@link CurDecomposition} (Voronin–Martinsson: a column ID chooses the columns J, a row ID of
 * A(:, J) the rows I, and U solves U·A(I, :) = T): {@code A ≈ A(:, J)·U_A·A(I, :)}. Since
 * {@code A(I, :) = W(I, :)·D}, this gives
 * <pre>
 *   W ≈ (A(:, J)·U_A) · W(I, :)      (m × k times k × n)
 * </pre>
 * whose calibration-weighted error {@code ‖(W − CUR)·D‖_F} is the CUR error of A. R = W(I, :) is
 * kept as rows of the original weight; C·U is stored merged, so the layer is a factored layer
 * ({@link Linear#factored}, two MatMuls in ONNX) at {@code k·(m + n)} MACs per token, the same as a
 * rank-k SVD factorization. The bias is kept.
 *
 * <p><b>Ranks.</b> One parameter ratio ρ for the chosen layers, {@code k = ⌊m·n·ρ/(m+n)⌋}, the
 * largest meeting the {@link Budget} (as {@code svd}); a layer whose factors would not be smaller
 * stays dense. Statistics come from one pass of the original model.
 *
 * <p><b>Deviations.</b> CURing selects rows and columns with DEIM on the singular vectors of the
 * importance matrix {@code |W|∘‖X‖} and uses {@code U = C⁺WR⁺}; here pivoted-QR IDs of
 * {@code W·D} choose them (which also accounts for linear dependence among the columns) and U is
 * the ID's. CURing picks layers by the angular distance of their input and output and
 * decomposes only query, key and gate; here the layers are an option and the rank comes from the
 * budget. No healing (training of U).
 *
 * <p><b>Cost.</b> One forward pass of the original model with four Gram matrices per block (their
 * diagonals are used); per layer a pivoted QR of the {@code m × n} A (4mnk), one of the
 * {@code m × k} C and a QR of {@code Rᵀ}.
 */
public final class CuringStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "cur";
  }

  @Override
  public String summary() {
    return "CUR of each chosen linear layer: columns and rows of W picked by IDs of W·diag(input RMS), stored as (C·U)·R";
  }

  @Override
  public Citation citation() {
    return new Citation("S. Park, S.-M. Moon", "CURing Large Models: Compression via CUR Decomposition", "arXiv 2025",
        "https://arxiv.org/abs/2501.04211");
  }

  @Override
  public Map<String, String> optionHelp() {
    return CuringOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    CuringOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, CuringOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, CuringOptions options) {
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, name());
    if (request.budget() instanceof Budget.KeepFractions) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "cur keeps every head and neuron and lowers the rank of linear layers; per-block head and neuron fractions "
              + "do not apply.", "Give a global budget: --target F (block MACs) or --target F --target-kind params.");
    }
    Map<String, Double> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    MacModel macs = new MacModel(request.calibration().meanLength());
    double ratio = ratio(net, request.budget(), macs, options.layers());
    stages.put("allocation", Timing.seconds(t0));
    request.progress().stage(String.format(Locale.ROOT, "parameter ratio %.4f for %s (k = floor(m·n·ratio/(m+n)))", ratio,
        String.join(", ", SvdStrategy.LAYERS.stream().filter(options.layers()::contains).toList())));
    long t1 = System.nanoTime();
    Calibrator cal = new Calibrator(request.compute(), net, request.calibration());
    Compute c = request.compute();
    TransformerNetwork out = net;
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      Mlp m = b.mlp();
      StatisticsHook stats = StatisticsHook.of(c, i, EnumSet.of(StatisticsHook.Kind.ATTENTION_INPUT,
          StatisticsHook.Kind.HEADS, StatisticsHook.Kind.MLP_INPUT, StatisticsHook.Kind.FFN), b, options.f64Gram());
      cal.advance(net, i, stats);
      String p = "block " + i + " ";
      double[] attnIn = rms(stats.attentionInput);
      double[] heads = rms(stats.heads);
      double[] mlpIn = rms(stats.mlpInput);
      double[] ffn = rms(stats.ffn);
      List<CompressionReport.LayerRank> ranks = new ArrayList<>();
      Set<String> chosen = options.layers();
      Linear q = layer(c, a.query(), attnIn, ratio, "query", chosen, ranks, p);
      Linear k = layer(c, a.key(), attnIn, ratio, "key", chosen, ranks, p);
      Linear v = layer(c, a.value(), attnIn, ratio, "value", chosen, ranks, p);
      Linear o = layer(c, a.output(), heads, ratio, "output", chosen, ranks, p);
      Linear up = layer(c, m.up(), mlpIn, ratio, "up", chosen, ranks, p);
      Linear gate = m.gate() == null ? null : layer(c, m.gate(), mlpIn, ratio, "gate", chosen, ranks, p);
      Linear down = layer(c, m.down(), ffn, ratio, "down", chosen, ranks, p);
      Attention na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), q, k, v, o, a.scale(), a.causal(),
          a.rotary());
      TransformerBlock nb = new TransformerBlock(na, new Mlp(up, gate, down, m.activation()), b.attentionNorm(), b.mlpNorm(),
          b.placement());
      out = Pruning.replace(out, i, nb);
      reports.add(new CompressionReport.BlockReport(i, a.heads(), a.heads(), a.headDim(), a.headDim(), a.valueDim(),
          a.valueDim(), m.width(), m.width(), Double.NaN, Double.NaN, ranks));
      StringBuilder detail = new StringBuilder("CUR ranks");
      for (CompressionReport.LayerRank r : ranks) {
        detail.append(' ').append(r.layer()).append(' ').append(r.factored()
            ? String.format(Locale.ROOT, "%d (error %.3f)", r.rank(), r.error()) : "dense");
      }
      request.progress().block(i, net.depth(), detail.toString());
    }
    stages.put("calibration and decomposition", Timing.seconds(t1));
    return new CompressionResult(out, CompressionReport.of(request, name(), citation(), net, out, reports, stages));
  }

  /** The root mean square of each input dim: {@code √(diag(XᵀX)/N)}. */
  private static double[] rms(CovarianceAccumulator acc) {
    CovarianceAccumulator.Moments mom = acc.moments();
    double[] r = new double[acc.width()];
    for (int j = 0; j < r.length; j++) {
      r[j] = Math.sqrt(Math.max(0, mom.gram().get(j, j)) / Math.max(1, mom.count()));
    }
    return r;
  }

  private static Linear layer(Compute c, Linear l, double[] rms, double ratio, String name, Set<String> chosen,
      List<CompressionReport.LayerRank> ranks, String where) {
    int m = l.out();
    int n = l.in();
    if (!chosen.contains(name) || !SvdStrategy.factored(m, n, ratio)) {
      ranks.add(new CompressionReport.LayerRank(name, m, n, Math.min(m, n), false, 0));
      return l;
    }
    Decomposed f = decompose(c, l, rms, SvdStrategy.rank(m, n, ratio), where + name);
    ranks.add(new CompressionReport.LayerRank(name, m, n, f.layer().rank(), true, f.error()));
    return f.layer();
  }

  /**
   * The factored layer {@code (A(:, J)·U_A) · W(I, :)} and its relative weighted error
   * {@code ‖(W − CUR)·D‖_F / ‖W·D‖_F}.
   */
  record Decomposed(Linear layer, double error, int[] rows, int[] columns) {}

  /**
   * CUR of rank k of {@code layer}'s weight, weighted by the input RMS {@code rms}.
   *
   * @throws InvalidArgumentException ({@code STRUCTURA-A006}) if W·D has numerical rank below k
   */
  static Decomposed decompose(Compute c, Linear layer, double[] rms, int k, String what) {
    Matrix w = layer.weight().toDType(DType.F64);
    int m = w.rows();
    int n = w.cols();
    Matrix a = Matrix.zeros(DType.F64, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a.set(i, j, w.get(i, j) * rms[j]);
      }
    }
    CurResult cur;
    try {
      cur = new CurDecomposition(c, CurOptions.ofRank(k)).decompose(a);
    } catch (NumericalFailureException e) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, what + ": the activation-weighted weight has numerical "
          + "rank below the CUR rank " + k + " (" + e.getMessage() + ").", "Raise --target, or leave this layer out with "
          + "-o layers=...");
    }
    int[] rows = cur.rowIndices();
    Matrix left = Matrix.zeros(DType.F64, m, k);  // A(:, J)·U_A
    c.gemm(Transpose.N, Transpose.N, 1.0, cur.c(), cur.u(), 0.0, left);
    Matrix r = Matrix.zeros(DType.F32, k, n);
    for (int p = 0; p < k; p++) {
      r.row(p).copyFrom(layer.weight().row(rows[p]));
    }
    // the weighted error, from the factors as stored
    Matrix approx = Matrix.zeros(DType.F64, m, n);
    c.gemm(Transpose.N, Transpose.N, 1.0, left, cur.r(), 0.0, approx);
    double num = 0;
    double den = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double e = a.get(i, j) - approx.get(i, j);
        num += e * e;
        den += a.get(i, j) * a.get(i, j);
      }
    }
    Matrix bias = layer.bias() == null ? null : layer.bias().copy();
    return new Decomposed(Linear.factored(left.toDType(DType.F32), r, bias), den > 0 ? Math.sqrt(num / den) : 0, rows,
        cur.columnIndices());
  }

  // ---- ranks and budget ----------------------------------------------------------------------

  /** Block MACs or parameters with the chosen layers at ratio ρ ({@link SvdStrategy#cost} restricted to them). */
  static double cost(TransformerNetwork net, double ratio, MacModel macs, boolean params, Set<String> chosen) {
    double total = 0;
    for (TransformerBlock b : net.blocks()) {
      double saved = 0;
      Linear[] layers = Pruning.linearLayers(b);
      for (int j = 0; j < layers.length; j++) {
        Linear l = layers[j];
        if (l != null && chosen.contains(SvdStrategy.LAYERS.get(j)) && SvdStrategy.factored(l.out(), l.in(), ratio)) {
          saved += (double) l.out() * l.in() - (double) SvdStrategy.rank(l.out(), l.in(), ratio) * (l.out() + l.in());
        }
      }
      total += params ? b.parameterCount() - saved : macs.block(b) - macs.sequenceLength() * saved;
    }
    return total;
  }

  /** The largest ρ in (0, 1] meeting the budget; 1 when it keeps everything. */
  static double ratio(TransformerNetwork net, Budget budget, MacModel macs, Set<String> chosen) {
    boolean params = budget instanceof Budget.ParameterFraction;
    double total = cost(net, 1, macs, params, chosen);
    double target = budget.globalFraction() * total;
    if (total <= target) {
      return 1;
    }
    BudgetCosts.requireReachable(budget, "cur", cost(net, 0, macs, params, chosen), total,
        "rank 1 in every chosen linear layer (the other layers, and the attention scores, stay)",
        "Decompose more layers (-o layers=query,key,value,output,up,gate,down).");
    return WidthSearch.boundary(0, 1, x -> cost(net, x, macs, params, chosen), target);
  }
}
