package structura.api.backend;

import java.util.Objects;

/**
 * A resolved configuration value with its provenance.
 *
 * @param key the configuration key, for example {@code structura.backend}
 * @param value the parsed value
 * @param source where it came from
 * @param origin the exact place, for messages: {@code -Dstructura.backend}, {@code STRUCTURA_BACKEND}, {@code --backend}
 * @param <T> value type
 */
public record Setting<T>(String key, T value, SettingSource source, String origin) {
  /** Validates that nothing is null. */
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(origin, "origin");
  }

  /** For messages: {@code "auto (default)"} or {@code "vector (environment variable STRUCTURA_BACKEND)"}. */
  public String describe() {
    return source == SettingSource.DEFAULT
        ? value + " (default)"
        : value + " (" + source.description() + " " + origin + ")";
  }
}
