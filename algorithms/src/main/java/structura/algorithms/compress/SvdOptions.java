package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link SvdStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param shift diagonal shift, relative to the mean of diag(XᵀX/N), added when the Cholesky
 *     factorization of a layer's input second moment fails, in [0, 1] (default 1e-6)
 * @param f64Gram accumulate the input second moments with F64 products (default true)
 */
public record SvdOptions(double shift, boolean f64Gram) {
  /** The defaults. */
  public static final SvdOptions DEFAULTS = new SvdOptions(1e-6, true);

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static SvdOptions parse(Map<String, String> values) {
    Options o = new Options("svd", values, help().keySet());
    return new SvdOptions(o.real("shift", DEFAULTS.shift(), 0, 1), o.bool("f64-gram", DEFAULTS.f64Gram()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("shift", "diagonal shift, relative to the mean of diag(XᵀX/N), added when the Cholesky factorization "
        + "of a layer's input second moment fails (default " + DEFAULTS.shift() + ")");
    m.put("f64-gram", "accumulate the input second moments with F64 products (default " + DEFAULTS.f64Gram()
        + "); false uses per-chunk F32 Gram matrices, about twice as fast, whose rounding (about 1e-6 relative) "
        + "limits how well weak input directions are resolved");
    return m;
  }
}
