package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import structura.algorithms.nn.Pruning;
import structura.api.Matrix;
import structura.api.nn.Attention;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The magnitude baseline: keep the attention heads and FFN neurons with the largest weight norms
 * and drop the rest, with no correction and no data. Head h scores
 * {@code ‖W_q,h‖² + ‖W_k,h‖² + ‖W_v,h‖² + ‖W_o,h‖²} (Frobenius); neuron j scores
 * {@code ‖W_up[j,:]‖·‖W_down[:,j]‖} (times {@code ‖W_gate[j,:]‖} when gated), the weight-magnitude
 * criterion of the structured-pruning literature (Li et al., "Pruning Filters for Efficient
 * ConvNets", ICLR 2017). Every block keeps the same fraction ρ of heads and neurons; for a global
 * budget ρ is the largest that meets it. The calibration set only sets the MAC model's length.
 * Cost: O(parameters).
 */
public final class MagnitudeStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public String summary() {
    return "baseline: drop the heads and neurons with the smallest weight norms, no correction";
  }

  @Override
  public Citation citation() {
    return new Citation("H. Li, A. Kadav, I. Durdanovic, H. Samet, H. P. Graf", "Pruning Filters for Efficient ConvNets",
        "ICLR 2017", "https://arxiv.org/abs/1608.08710");
  }

  @Override
  public Map<String, String> optionHelp() {
    return MagnitudeOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    MagnitudeOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, MagnitudeOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, MagnitudeOptions options) {
    long t0 = System.nanoTime();
    int multiple = options.neuronMultiple();
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, name());
    double hf;
    double nf;
    if (request.budget() instanceof Budget.KeepFractions k) {
      hf = k.heads();
      nf = k.neurons();
    } else {
      BudgetCosts costs = BudgetCosts.of(net, request.budget(), request.calibration().meanLength());
      costs.requireReachable(name(), cost(net, 0, multiple, costs), String.format(java.util.Locale.ROOT,
          "keeping one head and %d neurons per block", Widths.minNeurons(net.blocks().get(0).mlp().width(), multiple)),
          null);
      double lo = WidthSearch.boundary(0, 1, x -> cost(net, x, multiple, costs), costs.target());
      hf = lo;
      nf = lo;
    }
    TransformerNetwork out = net;
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      int kh = Widths.heads(a.heads(), hf);
      int kn = Widths.roundNeurons((int) Math.ceil(nf * b.mlp().width() - 1e-9), b.mlp().width(), multiple);
      if (kh < a.heads()) {
        out = Pruning.keepHeads(out, i, top(headScores(a), kh));
      }
      if (kn < b.mlp().width()) {
        out = Pruning.keepNeurons(out, i, top(neuronScores(b.mlp()), kn));
      }
      TransformerBlock nb = out.blocks().get(i);
      reports.add(new CompressionReport.BlockReport(i, a.heads(), nb.attention().heads(), a.headDim(),
          nb.attention().headDim(), a.valueDim(), nb.attention().valueDim(), b.mlp().width(), nb.mlp().width(),
          Double.NaN, Double.NaN));
      request.progress().block(i, net.depth(), "heads " + a.heads() + " -> " + kh + ", neurons " + b.mlp().width() + " -> " + kn);
    }
    return new CompressionResult(out, CompressionReport.of(request, name(), citation(), net, out, reports,
        Map.of("selection", Timing.seconds(t0))));
  }

  /** Cost of the network with every block keeping {@code fraction} of its heads and neurons. */
  private static double cost(TransformerNetwork net, double fraction, int multiple, BudgetCosts costs) {
    double c = 0;
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock b = net.blocks().get(i);
      c += costs.block(net, i, Widths.heads(b.attention().heads(), fraction),
          Widths.roundNeurons((int) Math.ceil(fraction * b.mlp().width() - 1e-9), b.mlp().width(), multiple));
    }
    return c;
  }

  private static double[] headScores(Attention a) {
    double[] s = new double[a.heads()];
    for (int h = 0; h < a.heads(); h++) {
      int g = h / (a.heads() / a.kvHeads());
      s[h] = sq(a.queryHead(h)) + sq(a.keyHead(g)) + sq(a.valueHead(g)) + sq(a.outputHead(h));
    }
    return s;
  }

  private static double[] neuronScores(Mlp m) {
    double[] s = new double[m.width()];
    for (int j = 0; j < m.width(); j++) {
      double v = Math.sqrt(sq(m.up().weight().row(j))) * Math.sqrt(sq(m.down().weight().column(j)));
      if (m.gate() != null) {
        v *= Math.sqrt(sq(m.gate().weight().row(j)));
      }
      s[j] = v;
    }
    return s;
  }

  private static double sq(Matrix m) {
    double s = 0;
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        double v = m.get(i, j);
        s += v * v;
      }
    }
    return s;
  }

  /** Indices of the k largest scores, ascending. */
  static int[] top(double[] scores, int k) {
    Integer[] idx = new Integer[scores.length];
    Arrays.setAll(idx, i -> i);
    Arrays.sort(idx, (x, y) -> Double.compare(scores[y], scores[x]));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    Arrays.sort(out);
    return out;
  }
}
