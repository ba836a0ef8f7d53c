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
 */
public record StatOptions(boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows, long seed,
    Allocation allocation) {
  /** The defaults. */
  public static final StatOptions DEFAULTS = new StatOptions(true, 16, 64, StatEngine.DEFAULT_SKETCH_ROWS, 0,
      Allocation.BLOCK);

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
            .toUpperCase(Locale.ROOT)));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new java.util.LinkedHashMap<>(EngineOptionHelp.of(DEFAULTS.allocationSamples(),
        DEFAULTS.intercept(), DEFAULTS.neuronMultiple(), DEFAULTS.sketchRows(), DEFAULTS.seed()));
    m.put("allocation", "per-block widths of a global budget by the least sum of block output errors (block) or by the "
        + "least error of the final mean-pooled embedding on the allocation sample (embedding) (default "
        + name(DEFAULTS.allocation()) + ")");
    return m;
  }

  private static String name(Allocation a) {
    return a.name().toLowerCase(Locale.ROOT);
  }
}
