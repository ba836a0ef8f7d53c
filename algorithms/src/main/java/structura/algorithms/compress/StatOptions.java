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
 */
public record StatOptions(boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows, long seed,
    Allocation allocation, NormCorrection normCorrection) {
  /** The defaults. */
  public static final StatOptions DEFAULTS = new StatOptions(true, 16, 64, StatEngine.DEFAULT_SKETCH_ROWS, 0,
      Allocation.BLOCK, NormCorrection.NONE);

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

  /** Validates the allocation. */
  public StatOptions {
    java.util.Objects.requireNonNull(allocation, "allocation");
    java.util.Objects.requireNonNull(normCorrection, "normCorrection");
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
            List.of("none", "mean", "affine")).toUpperCase(Locale.ROOT)));
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
    return m;
  }

  private static String name(Allocation a) {
    return a.name().toLowerCase(Locale.ROOT);
  }
}
