package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link MagnitudeStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param neuronMultiple keep FFN widths a multiple of this, ≥ 1 (default 16)
 */
public record MagnitudeOptions(int neuronMultiple) {
  /** The defaults. */
  public static final MagnitudeOptions DEFAULTS = new MagnitudeOptions(16);

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static MagnitudeOptions parse(Map<String, String> values) {
    Options o = new Options("magnitude", values, help().keySet());
    return new MagnitudeOptions(o.integer("neuron-multiple", DEFAULTS.neuronMultiple(), 1));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("neuron-multiple", "keep FFN widths a multiple of this (default " + DEFAULTS.neuronMultiple() + ")");
    return m;
  }
}
