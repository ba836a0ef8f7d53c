package structura.algorithms.compress;

import java.util.Map;

/**
 * STAT (Flynn, Wang, Alvarez, De Sa and Damle, "STAT: Shrinking Transformers After Training",
 * arXiv:2406.00061): prunes attention heads and FFN neurons of every block without fine-tuning,
 * correcting the next layer. Per block, on calibration activations that already pass through the
 * compressed earlier blocks: heads by block-pivoted QR of the per-head outputs with the output
 * projection refitted by least squares on the kept heads ({@link HeadSelection}); neurons by an
 * interpolative decomposition of the FFN activations with the interpolation matrix folded into
 * the down projection ({@link NeuronSelection}). Per-block sizes for a MAC or parameter budget by
 * the least output error per MAC removed ({@link StatEngine}). Under grouped-query attention
 * (Llama-family decoders) heads go in whole key/value groups: a group's query heads are adjacent
 * column blocks of the head outputs and one selection unit, and removing it also removes the
 * shared key and value rows; {@code --keep-heads} then counts groups.
 *
 * <p><b>Deviations</b> (STAT's code was not available; see docs/compression.md): statistics are
 * Gram matrices accumulated in F64 (the ID from pivoted Cholesky of XᵀX equals the pivoted QR of X
 * in exact arithmetic), optionally CountSketched; the corrections include an intercept (the
 * dropped units' mean is folded into the bias), switchable with {@code intercept=false}; the FFN
 * statistics of block i are taken with its attention unpruned.
 *
 * <p>Options: {@code allocation-samples} (texts in the allocation pass, default 64),
 * {@code intercept} (default true), {@code neuron-multiple} (keep neuron counts a multiple of
 * this, default 16, for GEMM-friendly shapes), {@code sketch} (CountSketch rows for the FFN Gram,
 * default 16384; 0 = exact), {@code seed}, {@code allocation} ({@code block}, STAT's sum of per-block
 * errors, or {@code embedding}, the final embedding's error, {@link StatEngine.ErrorTarget}; default block),
 * {@code norm-correction} ({@code none}, {@code mean} or {@code affine}: refit each pruned block's output
 * LayerNorm to the original network's block output, {@link OutputCorrection}; default none),
 * {@code low-rank} (default false: prune to a milder target and reach the budget with whitened low-rank
 * factors of the corrected attention output and FFN down projections, {@link PruneThenLowRank}) and
 * {@code prune-fraction} (with low-rank: fix the pruning's cost fraction instead of searching; default 0) and
 * {@code residual-id} (default false: each sublayer reads an ID-selected subset of the residual dimensions, the
 * interpolation matrix folded into Q, K, V and up, {@link ResidualInputId}).
 */
public final class StatStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "stat";
  }

  @Override
  public String summary() {
    return "prune attention heads (block-pivoted QR) and FFN neurons (interpolative decomposition), correcting the next layer";
  }

  @Override
  public Citation citation() {
    return new Citation("M. Flynn, A. Wang, D. E. Alvarez, C. De Sa, A. Damle",
        "STAT: Shrinking Transformers After Training", "arXiv:2406.00061, 2024", "https://arxiv.org/abs/2406.00061");
  }

  @Override
  public Map<String, String> optionHelp() {
    return StatOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    StatOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, StatOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, StatOptions o) {
    return StatEngine.run(request, new StatEngine.Settings(name(), citation(), true, o.intercept(),
        StatEngine.Allocation.OUTPUT_ERROR_PER_COST, 0.9, o.neuronMultiple(), o.allocationSamples(), o.sketchRows(),
        o.seed(), o.allocation() == StatOptions.Allocation.EMBEDDING ? StatEngine.ErrorTarget.EMBEDDING
            : StatEngine.ErrorTarget.BLOCK, OutputCorrection.Mode.valueOf(o.normCorrection().name()), o.lowRank(),
        o.pruneFraction(), o.residualId()));
  }
}
