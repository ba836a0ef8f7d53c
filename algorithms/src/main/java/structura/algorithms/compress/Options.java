package structura.algorithms.compress;

import java.util.Map;
import java.util.Set;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/** Typed reading of a strategy's string options, with unknown names rejected. Package-private. */
final class Options {
  private final String method;
  private final Map<String, String> values;

  Options(String method, Map<String, String> values, Set<String> known) {
    this.method = method;
    this.values = values;
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " has no option '" + k + "'.",
            "Use one of: " + String.join(", ", new java.util.TreeSet<>(known)) + ".");
      }
    }
  }

  int integer(String name, int fallback, int min) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int x = Integer.parseInt(v.trim());
      if (x < min) {
        throw bad(name, v, "an integer >= " + min);
      }
      return x;
    } catch (NumberFormatException e) {
      throw bad(name, v, "an integer >= " + min);
    }
  }

  double real(String name, double fallback, double min, double max) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double x = Double.parseDouble(v.trim());
      if (!(x >= min && x <= max)) {
        throw bad(name, v, "a number in [" + min + ", " + max + "]");
      }
      return x;
    } catch (NumberFormatException e) {
      throw bad(name, v, "a number in [" + min + ", " + max + "]");
    }
  }

  boolean bool(String name, boolean fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw bad(name, v, "true or false");
    };
  }

  /** One of {@code allowed} (compared in lower case). */
  String choice(String name, String fallback, java.util.List<String> allowed) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    String x = v.trim().toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(x)) {
      throw bad(name, v, "one of " + String.join(", ", allowed));
    }
    return x;
  }

  private InvalidArgumentException bad(String name, String v, String want) {
    return new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, method + " option " + name + "=" + v + ".",
        "Give " + want + ".");
  }
}
