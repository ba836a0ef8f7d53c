package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link DispStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param intercept fit the interpolative decomposition to the centered block input and fold the
 *     mean of the dropped dimensions into the biases (default true); with false the uncentered
 *     second moment is used and no bias changes, as in Chee et al.'s ID pruning
 * @param f64Gram accumulate the Gram matrices with F64 products (default true)
 */
public record DispOptions(boolean intercept, boolean f64Gram) {
  /** The defaults. */
  public static final DispOptions DEFAULTS = new DispOptions(true, true);

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static DispOptions parse(Map<String, String> values) {
    Options o = new Options("disp", values, help().keySet());
    return new DispOptions(o.bool("intercept", DEFAULTS.intercept()), o.bool("f64-gram", DEFAULTS.f64Gram()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("intercept", "centre the block inputs and fold the dropped dimensions' means into the biases (default "
        + DEFAULTS.intercept() + ")");
    m.put("f64-gram", "accumulate the Gram matrices with F64 products (default " + DEFAULTS.f64Gram() + ")");
    return m;
  }
}
