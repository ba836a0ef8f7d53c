package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link CuringStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param layers the projections to decompose, among {@code query, key, value, output, up, gate,
 *     down} (default all; CURing itself picks query, key and gate)
 * @param f64Gram accumulate the input statistics with F64 products (default true)
 */
public record CuringOptions(Set<String> layers, boolean f64Gram) {
  /** The defaults. */
  public static final CuringOptions DEFAULTS = new CuringOptions(new LinkedHashSet<>(SvdStrategy.LAYERS), true);

  /** Validates and copies the layer names. */
  public CuringOptions {
    if (layers.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "cur option layers is empty.",
          "Name at least one of " + String.join(", ", SvdStrategy.LAYERS) + ".");
    }
    for (String l : layers) {
      if (!SvdStrategy.LAYERS.contains(l)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "cur option layers names '" + l + "'.",
            "Use names among " + String.join(", ", SvdStrategy.LAYERS) + ", separated by commas.");
      }
    }
    layers = Set.copyOf(layers);
  }

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws InvalidArgumentException for an unknown key or a bad value
   */
  public static CuringOptions parse(Map<String, String> values) {
    Options o = new Options("cur", values, help().keySet());
    String l = values.get("layers");
    Set<String> layers = l == null ? DEFAULTS.layers()
        : new LinkedHashSet<>(List.of(l.trim().split("\\s*[,;]\\s*")));
    return new CuringOptions(layers, o.bool("f64-gram", DEFAULTS.f64Gram()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("layers", "comma-separated projections to decompose among " + String.join(",", SvdStrategy.LAYERS)
        + " (default all)");
    m.put("f64-gram", "accumulate the input statistics with F64 products (default " + DEFAULTS.f64Gram() + ")");
    return m;
  }
}
