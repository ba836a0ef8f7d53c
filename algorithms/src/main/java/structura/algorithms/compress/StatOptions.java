package structura.algorithms.compress;

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
 */
public record StatOptions(boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows, long seed) {
  /** The defaults. */
  public static final StatOptions DEFAULTS = new StatOptions(true, 16, 64, StatEngine.DEFAULT_SKETCH_ROWS, 0);

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
        o.integer("sketch", DEFAULTS.sketchRows(), 0), o.integer("seed", (int) DEFAULTS.seed(), 0));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    return EngineOptionHelp.of(DEFAULTS.allocationSamples(), DEFAULTS.intercept(), DEFAULTS.neuronMultiple(),
        DEFAULTS.sketchRows(), DEFAULTS.seed());
  }
}
