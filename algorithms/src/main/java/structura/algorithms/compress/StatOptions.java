package structura.algorithms.compress;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options of {@link StatStrategy}. Defaults: {@link #DEFAULTS}; {@link #parse} reads the
 * strategy's {@code key=value} map, {@link #help} describes it with the defaults taken from
 * {@link #DEFAULTS}, so each default is written once.
 *
 * @param intercept fold the dropped units' mean into the bias (default true)
 * @param neuronMultiple keep FFN widths a multiple of this, ≥ 1 (default 16, GEMM-friendly shapes)
 * @param allocationSamples texts in the allocation pass of the original model, ≥ 1 (default 64)
 * @param sketchRows CountSketch rows for the FFN Gram matrices when the calibration set has more
 *     tokens; 0 = exact (default: {@link #DEFAULTS})
 * @param seed seed of the sketch, ≥ 0 (default 0)
 * @param allocation which error the per-block widths minimise for a global budget (default
 *     {@link Allocation#BLOCK})
 * @param normCorrection after each block is pruned, refit its output shift (and scale) to the
 *     original network's block output (default {@link NormCorrection#NONE})
 * @param lowRank reach the budget by pruning to a milder target and replacing the corrected attention output
 *     and FFN down projections by whitened low-rank factors, the split chosen by the calibration error
 *     ({@link PruneThenLowRank}; default false; global budgets and block allocation only)
 * @param pruneFraction with {@code lowRank}: the cost fraction the pruning keeps, in [target, 1], instead of
 *     searching the split (with {@code residualId}: required); 0 = search (default 0)
 * @param residualId every sublayer reads an ID-selected subset of the residual dimensions, the interpolation matrix
 *     folded into Q, K, V and up; pruning keeps {@code pruneFraction} of the cost and the read width reaches the
 *     budget ({@link ResidualInputId}; default false)
 */
public record StatOptions(boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows, long seed,
    Allocation allocation, NormCorrection normCorrection, boolean lowRank, double pruneFraction, boolean residualId) {
  /** The defaults. */
  public static final StatOptions DEFAULTS = new StatOptions(true, 16, 64, StatEngine.DEFAULT_SKETCH_ROWS, 0,
      Allocation.BLOCK, NormCorrection.NONE, false, 0, false);

  /** The options before low rank existed, with low rank off. */
  public StatOptions(boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows, long seed,
      Allocation allocation, NormCorrection normCorrection) {
    this(intercept, neuronMultiple, allocationSamples, sketchRows, seed, allocation, normCorrection, false, 0, false);
  }

  /**
   * Correction of each pruned block's output towards the original network's block output, by per-dimension
   * least squares over the calibration tokens ({@link OutputCorrection}); costs one more forward pass of the
   * original over the calibration texts.
   */
  public enum NormCorrection {
    /** No correction (STAT). */
    NONE,
    /** Shift only: the block output's mean matches the original's (LayerNorm β, or the down bias of a pre-norm block). */
    MEAN,
    /** Shift and per-dimension scale (LayerNorm γ and β of a post-norm block). */
    AFFINE
  }

  /** Which error the allocation of a global budget over the blocks minimises. */
  public enum Allocation {
    /** The sum of the blocks' own output errors, each normalised by its input's energy (STAT). */
    BLOCK,
    /**
     * The final sentence embedding's error on the allocation sample: block errors weighted by each
     * sublayer's measured effect on the mean-pooled, normalised last hidden state (about 2·depth
     * partial forward passes of the sample per round, two rounds).
     */
    EMBEDDING
  }

  /** Validates the allocation and the low-rank combination. */
  public StatOptions {
    java.util.Objects.requireNonNull(allocation, "allocation");
    java.util.Objects.requireNonNull(normCorrection, "normCorrection");
    if (lowRank && allocation == Allocation.EMBEDDING) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "stat: low-rank=true searches the split with the block allocation; allocation=embedding does not combine "
              + "with it.", "Drop one of -o low-rank=true and -o allocation=embedding.");
    }
    if (residualId && (lowRank || pruneFraction == 0)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "stat: residual-id=true needs -o prune-fraction (the cost fraction the pruning keeps) and does not combine "
              + "with low-rank=true.", "Give e.g. -o residual-id=true -o prune-fraction=0.6, without low-rank=true.");
    }
    if (!(pruneFraction == 0 || (pruneFraction > 0 && pruneFraction <= 1))) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "stat: prune-fraction is " + pruneFraction + ".", "Give 0 (search the split) or a fraction in (0, 1].");
    }
  }

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static StatOptions parse(Map<String, String> values) {
    Options o = new Options("stat", values, help().keySet());
    return new StatOptions(o.bool("intercept", DEFAULTS.intercept()),
        o.integer("neuron-multiple", DEFAULTS.neuronMultiple(), 1),
        o.integer("allocation-samples", DEFAULTS.allocationSamples(), 1),
        o.integer("sketch", DEFAULTS.sketchRows(), 0), o.integer("seed", (int) DEFAULTS.seed(), 0),
        Allocation.valueOf(o.choice("allocation", name(DEFAULTS.allocation()), List.of("block", "embedding"))
            .toUpperCase(Locale.ROOT)),
        NormCorrection.valueOf(o.choice("norm-correction", DEFAULTS.normCorrection().name().toLowerCase(Locale.ROOT),
            List.of("none", "mean", "affine")).toUpperCase(Locale.ROOT)),
        o.bool("low-rank", DEFAULTS.lowRank()), o.real("prune-fraction", DEFAULTS.pruneFraction(), 0, 1),
        o.bool("residual-id", DEFAULTS.residualId()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new java.util.LinkedHashMap<>(EngineOptionHelp.of(DEFAULTS.allocationSamples(),
        DEFAULTS.intercept(), DEFAULTS.neuronMultiple(), DEFAULTS.sketchRows(), DEFAULTS.seed()));
    m.put("allocation", "per-block widths of a global budget by the least sum of block output errors (block) or by the "
        + "least error of the final mean-pooled embedding on the allocation sample (embedding) (default "
        + name(DEFAULTS.allocation()) + ")");
    m.put("norm-correction", "after pruning each block, refit its output to the original network's block output by "
        + "per-dimension least squares on the calibration tokens: none, mean (LayerNorm shift) or affine (LayerNorm "
        + "scale and shift) (default " + DEFAULTS.normCorrection().name().toLowerCase(Locale.ROOT) + ")");
    m.put("low-rank", "prune to a milder target, then reach the budget with whitened low-rank factors (SVD-LLM) of "
        + "the corrected attention output and FFN down projections; the split is the candidate with the least "
        + "calibration error of the blocks (global budgets, block allocation) (default " + DEFAULTS.lowRank() + ")");
    m.put("prune-fraction", "with low-rank=true: the cost fraction the pruning keeps (at least the target), instead "
        + "of searching the split; 0 = search; with residual-id=true: required (default " + DEFAULTS.pruneFraction() + ")");
    m.put("residual-id", "each sublayer reads an interpolative-decomposition subset of the residual dimensions, the "
        + "interpolation matrix folded into query, key, value and up; the pruning keeps prune-fraction of the cost "
        + "and the read width reaches the target (default " + DEFAULTS.residualId() + ")");
    return m;
  }

  private static String name(Allocation a) {
    return a.name().toLowerCase(Locale.ROOT);
  }
}
