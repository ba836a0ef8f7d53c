package structura.algorithms.compress;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The interpolative-decomposition correction along the residual stream ({@code stat -o residual-id=true}):
 * besides STAT's pruning of heads and neurons (whose ID corrects the next layer for the pruned
 * units), each sublayer of each block reads only k of the d residual dimensions, chosen by an
 * ID of its calibration input, and the interpolation matrix is folded into the projections that
 * read it, so the dropped dimensions are reconstructed from the kept ones (Chee et al.'s
 * correction applied to the residual stream instead of the FFN width).
 *
 * <p><b>What "along the residual stream" means here.</b> all-MiniLM-L6-v2 is a post-norm BERT:
 * block i reads {@code x} (the previous block's LayerNorm output) with Q, K and V, and
 * {@code LN(x + attention(x))} with the FFN up projection; these four read the d = 384 residual
 * dimensions and cost {@code 3·H·d_h + f} multiply-accumulates per token and residual dimension,
 * about 60 % of a block's projections. The writes into the residual (attention output, FFN down)
 * are left to STAT's corrections, and the residual keeps its width d (the LayerNorms, the
 * embeddings and the pooled output are unchanged). With {@code X} the sublayer input and μ its
 * mean, the ID {@code X ≈ X_S T + 1cᵀ} ({@link DispStrategy#inputSelection}, pivoted Cholesky of the
 * centered Gram) gives {@code W' = W Tᵀ} over the kept dims S and {@code b' = b + W c}.
 *
 * <p><b>Order within a block.</b> The attention input's ID comes first and is folded into Q, K, V;
 * the heads are then selected on the outputs of the folded attention, so the output projection's
 * least-squares correction also absorbs the input ID's error; likewise the MLP input's ID is folded
 * into the up (and gate) projection before the neuron statistics, so the down correction absorbs
 * it. Until the block is done the folded layers are kept dense with zero columns at the dropped
 * dims (head and neuron pruning take rows of them); {@link #select} then stores them as
 * {@link Linear#selected} layers, which read the kept dims only (a Gather in ONNX).
 *
 * <p><b>Budget.</b> Pruning keeps the cost fraction P ({@code prune-fraction}); the read fraction
 * ρ of the residual, {@code k = max(1, ⌊ρ·d⌋)} for every sublayer of every block, is the largest
 * that meets the target ({@link WidthSearch} on {@link #cost}).
 */
final class ResidualInputId {
  private ResidualInputId() {}

  /**
   * Cost of {@code net} at widths (h, n) when the query, key, value, up (and gate) projections read
   * k of the d residual dims: {@link BudgetCosts#block} less {@code (d − k)} times the rows that read
   * the residual (times L for MACs).
   */
  static double cost(TransformerNetwork net, BudgetCosts full, int[] h, int[] n, int k, boolean params,
      double sequenceLength) {
    double total = 0;
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      int groups = h[i] / StatEngine.groupSize(a);
      double rows = (double) h[i] * a.headDim() + (double) groups * (a.headDim() + a.valueDim())
          + (double) n[i] * (b.mlp().gate() == null ? 1 : 2);
      total += full.block(net, i, h[i], n[i]) - (params ? 1 : sequenceLength) * (b.width() - k) * rows;
    }
    return total;
  }

  /**
   * The largest kept residual width k whose cost at widths (h, n) meets {@code budget}.
   *
   * @throws UnreachableTargetException if even k = 1 does not
   */
  static int keptDims(TransformerNetwork net, Budget budget, double sequenceLength, int[] h, int[] n) {
    boolean params = budget instanceof Budget.ParameterFraction;
    BudgetCosts full = BudgetCosts.of(net, budget, sequenceLength);
    int d = net.width();
    java.util.function.DoubleUnaryOperator cost = r -> cost(net, full, h, n, DispStrategy.kept(d, r), params,
        sequenceLength);
    if (cost.applyAsDouble(1) <= full.target()) {
      return d;
    }
    full.requireReachable("stat", cost.applyAsDouble(0), "the pruned widths with one residual dimension read per "
        + "sublayer", "Raise -o prune-fraction.");
    return DispStrategy.kept(d, WidthSearch.boundary(0, 1, cost, full.target()));
  }

  /** {@code layer} reading x through {@code s}, kept dense over the full width d: W·Tᵀ at columns S, zeros elsewhere. */
  static Linear foldDense(Compute compute, DispStrategy.Selection s, Linear layer) {
    Linear selected = s.fold(compute, layer);
    int d = layer.in();
    Matrix w = Matrix.zeros(DType.F32, layer.out(), d);
    Matrix stored = selected.storedWeight();
    int[] kept = s.kept();
    for (int r = 0; r < layer.out(); r++) {
      for (int c = 0; c < kept.length; c++) {
        w.set(r, kept[c], stored.get(r, c));
      }
    }
    return new Linear(w, selected.bias());
  }

  /** A dense layer with zero columns outside {@code kept} as the selected layer reading {@code kept} only. */
  static Linear select(Linear dense, int[] kept) {
    Matrix w = dense.weight();
    Matrix stored = Matrix.zeros(DType.F32, dense.out(), kept.length);
    for (int r = 0; r < dense.out(); r++) {
      for (int c = 0; c < kept.length; c++) {
        stored.set(r, c, w.get(r, kept[c]));
      }
    }
    return Linear.selected(stored, dense.bias() == null ? null : dense.bias().copy(),
        new Linear.Selection(dense.in(), kept.clone(), dense.out(), null));
  }

  /** Attention a with Q, K and V read through {@code s} (dense, zero columns at the dropped dims). */
  static Attention foldInputs(Compute compute, DispStrategy.Selection s, Attention a) {
    return new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), foldDense(compute, s, a.query()),
        foldDense(compute, s, a.key()), foldDense(compute, s, a.value()), a.output(), a.scale(), a.causal(),
        a.rotary());
  }

  /** MLP m with up (and gate) read through {@code s} (dense, zero columns at the dropped dims). */
  static Mlp foldInputs(Compute compute, DispStrategy.Selection s, Mlp m) {
    return new Mlp(foldDense(compute, s, m.up()), m.gate() == null ? null : foldDense(compute, s, m.gate()), m.down(),
        m.activation());
  }

  /** The block with its folded layers stored as selected layers (attention reads {@code attn}, the MLP {@code mlp}). */
  static TransformerBlock select(TransformerBlock b, int[] attn, int[] mlp) {
    Attention a = b.attention();
    Mlp m = b.mlp();
    Attention na = attn == null ? a : new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(),
        select(a.query(), attn), select(a.key(), attn), select(a.value(), attn), a.output(), a.scale(), a.causal(),
        a.rotary());
    Mlp nm = mlp == null ? m : new Mlp(select(m.up(), mlp), m.gate() == null ? null : select(m.gate(), mlp), m.down(),
        m.activation());
    return new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement());
  }
}
