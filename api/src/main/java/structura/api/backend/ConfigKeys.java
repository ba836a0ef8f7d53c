package structura.api.backend;

import java.util.Locale;

/**
 * Configuration keys. Each key is a system property; the matching environment variable is the
 * key upper-cased with dots as underscores ({@code structura.backend} → {@code STRUCTURA_BACKEND}).
 * Precedence, highest first: programmatic configuration, CLI flag, system property, environment
 * variable, default. Every key is listed in {@code docs/configuration.md}.
 */
public final class ConfigKeys {
  /** Backend id to use, or {@code auto} (default) for the highest-priority available one. */
  public static final String BACKEND = "structura.backend";
  /** {@code true} makes a routine missing from the chosen backend an error instead of a fallback. Default false. */
  public static final String STRICT = "structura.strict";
  /** Worker threads for multithreaded backends; default: available processors. */
  public static final String THREADS = "structura.threads";
  /** OpenCL device: {@code gpu}, {@code cpu}, or an index listed by {@code structura backends}. */
  public static final String OPENCL_DEVICE = "structura.opencl.device";

  /** The value of {@link #BACKEND} that requests automatic selection. */
  public static final String AUTO = "auto";

  private ConfigKeys() {}

  /** Environment variable name for a key: {@code structura.opencl.device} → {@code STRUCTURA_OPENCL_DEVICE}. */
  public static String environmentName(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
