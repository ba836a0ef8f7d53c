package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the structured-replacement strategies ({@link MonarchStrategy}, {@link BttStrategy}).
 * Defaults: {@link #DEFAULTS}, written once and read by {@link #parse} and {@link #help}.
 *
 * @param attention replace the four attention projections too, not only the FFN (default false)
 * @param sweeps alternating least-squares refinements with the full input second moment after the
 *     block-diagonal whitened start, in [0, 20] (default 2; 0 keeps the start)
 * @param shift diagonal shift, relative to the mean of diag(XᵀX/N), added when a layer's input
 *     second moment is not numerically positive definite, in [0, 1] (default 1e-6)
 * @param f64Gram accumulate the input second moments with F64 products (default true)
 */
public record StructuredOptions(boolean attention, int sweeps, double shift, boolean f64Gram) {
  /** The defaults. */
  public static final StructuredOptions DEFAULTS = new StructuredOptions(false, 2, 1e-6, true);

  /** Most sweeps accepted: each costs about two products with the input second moment per layer. */
  static final int MAX_SWEEPS = 20;

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @param method the strategy name, for messages
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static StructuredOptions parse(String method, Map<String, String> values) {
    Options o = new Options(method, values, help().keySet());
    int sweeps = o.integer("sweeps", DEFAULTS.sweeps(), 0);
    if (sweeps > MAX_SWEEPS) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          method + ": sweeps = " + sweeps + " is more than " + MAX_SWEEPS + ".", "Use -o sweeps=N with N in [0, " + MAX_SWEEPS + "].");
    }
    return new StructuredOptions(o.bool("attention", DEFAULTS.attention()), sweeps,
        o.real("shift", DEFAULTS.shift(), 0, 1), o.bool("f64-gram", DEFAULTS.f64Gram()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("attention", "also replace the query, key, value and attention output projections (default "
        + DEFAULTS.attention() + "; the FFN up, gate and down projections are always replaced)");
    m.put("sweeps", "alternating least-squares refinements with the full input second moment after the "
        + "block-diagonal whitened start (default " + DEFAULTS.sweeps() + ", at most " + MAX_SWEEPS + ")");
    m.put("shift", "diagonal shift, relative to the mean of diag(XᵀX/N), added when a layer's input second moment "
        + "is not positive definite (default " + DEFAULTS.shift() + ")");
    m.put("f64-gram", "accumulate the input second moments with F64 products (default " + DEFAULTS.f64Gram() + ")");
    return m;
  }
}
