package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import structura.algorithms.nn.Pruning;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit.Shape;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The engine of the structured-replacement strategies ({@link MonarchStrategy},
 * {@link BttStrategy}): every FFN projection (up, gate if present, down) and, with
 * {@code -o attention=true}, the four attention projections are replaced by two-core block
 * tensor trains ({@link Linear#blockTensorTrain}) fitted to the layer's calibration inputs by
 * {@link WhitenedBlockTensorTrainFit} (minimising {@code ‖X·(W − M)ᵀ‖_F}); biases are kept.
 *
 * <p><b>Budget.</b> As in {@link SvdStrategy}, one ratio ρ for every replaced layer: each takes
 * the costliest structure of its {@link BlockTensorTrainFamily} with at most {@code ρ·out·in}
 * MACs per token (the cheapest if none; dense at ρ = 1), and ρ is the largest value whose network
 * meets the {@link Budget} (block MACs by {@link MacModel}, or block parameters: equal to the
 * MACs for these layers), found by {@link WidthSearch}. A layer's fraction is therefore at most ρ,
 * and the network's is above ρ (layers left dense, attention scores). Per-block keep fractions
 * do not apply.
 *
 * <p><b>Statistics.</b> One calibration pass of the original model, as {@link SvdStrategy}: the
 * second moments C = XᵀX/N of the MLP input, the FFN intermediate and (with attention) the
 * attention input and the concatenated head outputs, real tokens only. When C has no Cholesky
 * factor it is shifted as in {@link SvdStrategy} ({@code -o shift}).
 *
 * <p><b>Cost.</b> The pass (four Gram matrices per block at most), then per replaced layer one
 * {@link WhitenedBlockTensorTrainFit} ({@code O(out·in²)} plus its sweeps).
 */
final class StructuredReplacement {
  private StructuredReplacement() {}

  static CompressionResult compress(CompressionRequest request, StructuredOptions options, BlockTensorTrainFamily family,
      String method, Citation citation) {
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, method);
    if (request.budget() instanceof Budget.KeepFractions) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " keeps every head and neuron and replaces "
          + "linear layers by structured ones; per-block head and neuron fractions do not apply.",
          "Give a global budget: --target F (block MACs) or --target F --target-kind params.");
    }
    request.calibration().requireEnoughTokens(net);
    Map<String, Double> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    MacModel macs = new MacModel(request.calibration().meanLength());
    double ratio = ratio(net, request.budget(), macs, family, options.attention(), method);
    stages.put("allocation", Timing.seconds(t0));
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    int blocks = net.depth();
    if (ratio >= 1) {
      request.progress().stage("ratio 1: the budget keeps every layer dense");
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = net.blocks().get(i);
        reports.add(report(i, b, b, List.of()));
      }
      return new CompressionResult(net, CompressionReport.of(request, method, citation, net, net, reports, stages));
    }
    request.progress().stage(String.format(Locale.ROOT, "MAC ratio %.4f for every replaced layer (%s)", ratio,
        options.attention() ? "FFN and attention projections" : "FFN projections"));
    long t1 = System.nanoTime();
    Calibrator cal = new Calibrator(request.compute(), net, request.calibration());
    WhitenedBlockTensorTrainFit fit = new WhitenedBlockTensorTrainFit(request.compute());
    TransformerNetwork out = net;
    double statisticsSeconds = 0;
    double fitSeconds = 0;
    for (int i = 0; i < blocks; i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      Mlp m = b.mlp();
      long ts = System.nanoTime();
      EnumSet<StatisticsHook.Kind> kinds = EnumSet.of(StatisticsHook.Kind.MLP_INPUT, StatisticsHook.Kind.FFN);
      if (options.attention()) {
        kinds.add(StatisticsHook.Kind.ATTENTION_INPUT);
        kinds.add(StatisticsHook.Kind.HEADS);
      }
      StatisticsHook stats = StatisticsHook.of(request.compute(), i, kinds, b, options.f64Gram());
      cal.advance(net, i, stats);
      double st = Timing.seconds(ts);
      long tf = System.nanoTime();
      String p = "block " + i + " ";
      Compute c = request.compute();
      Layer layer = new Layer(fit, family, ratio, options.sweeps());
      Attention na = a;
      if (options.attention()) {
        Matrix attnIn = secondMoment(c, stats.attentionInput, options.shift(), p + "attention input");
        Matrix heads = secondMoment(c, stats.heads, options.shift(), p + "attention heads");
        na = new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), layer.replace(a.query(), attnIn, "query"),
            layer.replace(a.key(), attnIn, "key"), layer.replace(a.value(), attnIn, "value"),
            layer.replace(a.output(), heads, "output"), a.scale(), a.causal(), a.rotary());
      }
      Matrix mlpIn = secondMoment(c, stats.mlpInput, options.shift(), p + "MLP input");
      Linear up = layer.replace(m.up(), mlpIn, "up");
      Linear gate = m.gate() == null ? null : layer.replace(m.gate(), mlpIn, "gate");
      Matrix ffn = secondMoment(c, stats.ffn, options.shift(), p + "FFN intermediate");
      Linear down = layer.replace(m.down(), ffn, "down");
      TransformerBlock nb = new TransformerBlock(na, new Mlp(up, gate, down, m.activation()), b.attentionNorm(), b.mlpNorm(),
          b.placement());
      out = Pruning.replace(out, i, nb);
      double ft = Timing.seconds(tf);
      statisticsSeconds += st;
      fitSeconds += ft;
      reports.add(report(i, b, nb, layer.ranks()));
      request.progress().block(i, blocks, layer.detail() + String.format(Locale.ROOT, " (statistics %.1f s, fit %.1f s)", st, ft));
    }
    stages.put("statistics", statisticsSeconds);
    stages.put("fit", fitSeconds);
    stages.put("calibration and fit", Timing.seconds(t1));
    return new CompressionResult(out, CompressionReport.of(request, method, citation, net, out, reports, stages));
  }

  /** Replaces the layers of one block and keeps their report rows and progress text. */
  private static final class Layer {
    private final WhitenedBlockTensorTrainFit fit;
    private final BlockTensorTrainFamily family;
    private final double ratio;
    private final int sweeps;
    private final List<CompressionReport.LayerRank> ranks = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    Layer(WhitenedBlockTensorTrainFit fit, BlockTensorTrainFamily family, double ratio, int sweeps) {
      this.fit = fit;
      this.family = family;
      this.ratio = ratio;
      this.sweeps = sweeps;
    }

    Linear replace(Linear l, Matrix secondMoment, String name) {
      Shape shape = family.at(family.candidates(l.out(), l.in()), l.out(), l.in(), ratio);
      if (shape == null) {
        ranks.add(new CompressionReport.LayerRank(name, l.out(), l.in(), Math.min(l.out(), l.in()), false, 0));
        details.add(name + " dense");
        return l;
      }
      WhitenedBlockTensorTrainFit.Result r = fit.fit(l.weight(), secondMoment, shape, sweeps);
      ranks.add(new CompressionReport.LayerRank(name, l.out(), l.in(), shape.rank(), true, r.error()));
      details.add(String.format(Locale.ROOT, "%s n1 %d m2 %d r %d: error %.4f (start %.4f)", name, shape.n1(), shape.m2(),
          shape.rank(), r.error(), r.startError()));
      return Linear.blockTensorTrain(r.btt(), l.bias() == null ? null : l.bias().copy());
    }

    List<CompressionReport.LayerRank> ranks() {
      return ranks;
    }

    String detail() {
      return String.join("; ", details);
    }
  }

  /** C = XᵀX/N of one layer input, shifted as {@link SvdStrategy#whitening} shifts it when not positive definite. */
  private static Matrix secondMoment(Compute compute, CovarianceAccumulator acc, double shift, String what) {
    CovarianceAccumulator.Moments mom = acc.moments();
    Matrix c = mom.gram(); // a new matrix per moments() call
    compute.scale(1.0 / mom.count(), c);
    SvdStrategy.Whitening w = SvdStrategy.whitening(compute, c, shift, what);
    if (w.shift() > 0) {
      double mean = 0;
      for (int i = 0; i < c.rows(); i++) {
        mean += c.get(i, i);
      }
      mean /= c.rows();
      for (int i = 0; i < c.rows(); i++) {
        c.set(i, i, c.get(i, i) + w.shift() * mean);
      }
    }
    return c;
  }

  private static CompressionReport.BlockReport report(int i, TransformerBlock b, TransformerBlock nb,
      List<CompressionReport.LayerRank> ranks) {
    Attention a = b.attention();
    return new CompressionReport.BlockReport(i, a.heads(), nb.attention().heads(), a.headDim(), nb.attention().headDim(),
        a.valueDim(), nb.attention().valueDim(), b.mlp().width(), nb.mlp().width(), Double.NaN, Double.NaN, ranks);
  }

  /** The layers replaced: FFN up, gate, down, and with {@code attention} the four attention projections. */
  private static boolean replaced(int layerIndex, boolean attention) {
    return attention || layerIndex >= 4;
  }

  /**
   * Block MACs ({@link MacModel}) or block parameters of {@code net} with every replaced layer at
   * ratio ρ (the others unchanged).
   */
  static double cost(TransformerNetwork net, double ratio, MacModel macs, boolean params, BlockTensorTrainFamily family,
      boolean attention) {
    double total = 0;
    for (TransformerBlock b : net.blocks()) {
      double saved = 0;
      Linear[] layers = Pruning.linearLayers(b);
      for (int j = 0; j < layers.length; j++) {
        Linear l = layers[j];
        if (l == null || !replaced(j, attention)) {
          continue;
        }
        Shape s = family.at(family.candidates(l.out(), l.in()), l.out(), l.in(), ratio);
        if (s != null) {
          saved += (double) l.out() * l.in() - s.macsPerRow();
        }
      }
      total += params ? b.parameterCount() - saved : macs.block(b) - macs.sequenceLength() * saved;
    }
    return total;
  }

  /**
   * The largest ratio ρ in (0, 1] whose network meets the budget ({@link WidthSearch}); 1 when the
   * budget keeps everything.
   *
   * @throws UnreachableTargetException if even the cheapest structure in every replaced layer
   *     exceeds the budget, carrying the smallest reachable fraction
   */
  static double ratio(TransformerNetwork net, Budget budget, MacModel macs, BlockTensorTrainFamily family, boolean attention,
      String method) {
    boolean params = budget instanceof Budget.ParameterFraction;
    double total = cost(net, 1, macs, params, family, attention);
    double target = budget.globalFraction() * total;
    if (total <= target) {
      return 1;
    }
    BudgetCosts.requireReachable(budget, method, cost(net, 0, macs, params, family, attention), total,
        "the cheapest structure in every replaced layer" + (attention ? "" : " (the attention projections stay dense)"),
        attention ? null : "-o attention=true to replace the attention projections too");
    return WidthSearch.boundary(0, 1, x -> cost(net, x, macs, params, family, attention), target);
  }
}
