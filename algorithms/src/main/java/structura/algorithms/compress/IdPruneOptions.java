package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link IdPruneStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param step size factor per iteration of Chee et al.'s budget rule, in [0.05, 0.999] (default 0.9)
 * @param intercept fold the dropped units' mean into the bias (default false, as in the paper)
 * @param neuronMultiple keep FFN widths a multiple of this, ≥ 1 (default 1)
 * @param allocationSamples texts in the allocation pass of the original model, ≥ 1 (default 64)
 * @param sketchRows CountSketch rows for the FFN Gram matrices; 0 = exact (default: {@link #DEFAULTS})
 * @param seed seed of the sketch, ≥ 0 (default 0)
 */
public record IdPruneOptions(double step, boolean intercept, int neuronMultiple, int allocationSamples, int sketchRows,
    long seed) {
  /** The defaults. */
  public static final IdPruneOptions DEFAULTS = new IdPruneOptions(0.9, false, 1, 64, StatEngine.DEFAULT_SKETCH_ROWS, 0);

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static IdPruneOptions parse(Map<String, String> values) {
    Options o = new Options("id-prune", values, help().keySet());
    return new IdPruneOptions(o.real("step", DEFAULTS.step(), 0.05, 0.999), o.bool("intercept", DEFAULTS.intercept()),
        o.integer("neuron-multiple", DEFAULTS.neuronMultiple(), 1),
        o.integer("allocation-samples", DEFAULTS.allocationSamples(), 1),
        o.integer("sketch", DEFAULTS.sketchRows(), 0), o.integer("seed", (int) DEFAULTS.seed(), 0));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("step", "size factor per iteration of the budget rule (default " + DEFAULTS.step() + ")");
    m.putAll(EngineOptionHelp.of(DEFAULTS.allocationSamples(), DEFAULTS.intercept(), DEFAULTS.neuronMultiple(),
        DEFAULTS.sketchRows(), DEFAULTS.seed()));
    return m;
  }
}
