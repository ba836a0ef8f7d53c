package structura.algorithms.compress;

import java.util.Map;

/**
 * Pruning with interpolative decompositions (Chee, Renz/Flynn, Damle and De Sa, "Model Preserving
 * Compression for Neural Networks", NeurIPS 2022) applied to the fully connected FFN layers of a
 * transformer: per block, a column ID of the FFN activations {@code Z ≈ Z[:, J]·T} (pivoted QR,
 * here through the Gram route) keeps neurons J, and {@code W_down ← W_down·Tᵀ}. Blocks are
 * processed in order on the activations of the already-pruned blocks. For a global budget the
 * paper's iteration sizes the layers: repeatedly shrink the FFN whose candidate size
 * {@code k' = ⌊step·k⌋} has the smallest {@code |R(k',k')/R(0,0)|} per unit of its cost, until the
 * budget holds. Attention heads are not pruned (the paper has no attention); for plain FC and
 * convolutional networks use {@code SequentialIdPruning}.
 *
 * <p>Options: {@code step} (default 0.9), {@code allocation-samples} (default 64),
 * {@code intercept} (default false, as in the paper), {@code neuron-multiple} (default 1),
 * {@code sketch}, {@code seed}.
 */
public final class IdPruneStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "id-prune";
  }

  @Override
  public String summary() {
    return "prune FFN neurons by interpolative decomposition, folding the interpolation matrix into the down projection";
  }

  @Override
  public Citation citation() {
    return new Citation("J. Chee, M. Renz (Flynn), A. Damle, C. De Sa",
        "Model Preserving Compression for Neural Networks", "NeurIPS 2022", "https://arxiv.org/abs/2108.00065");
  }

  @Override
  public Map<String, String> optionHelp() {
    return IdPruneOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    IdPruneOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, IdPruneOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, IdPruneOptions o) {
    return StatEngine.run(request, new StatEngine.Settings(name(), citation(), false, o.intercept(),
        StatEngine.Allocation.PIVOT_RATIO_PER_COST, o.step(), o.neuronMultiple(), o.allocationSamples(), o.sketchRows(),
        o.seed()));
  }
}
