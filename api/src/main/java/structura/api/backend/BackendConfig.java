package structura.api.backend;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * Immutable backend configuration with provenance. Built once by {@link #builder()}, which
 * resolves every setting by one precedence, highest first: programmatic value &gt; CLI flag &gt;
 * system property &gt; environment variable &gt; default. The system properties and environment
 * are read once, in {@link Builder#build()}; later changes to them do not affect a built config.
 *
 * @param backend requested backend id or {@code auto}
 * @param strict whether a routine missing from the backend is an error
 * @param threads worker threads for multithreaded backends, from 1 to {@link #MAX_THREADS}
 * @param properties every other {@code structura.*} key resolved by the same precedence
 */
public record BackendConfig(
    Setting<String> backend,
    Setting<Boolean> strict,
    Setting<Integer> threads,
    Map<String, Setting<String>> properties) {

  /**
   * The most worker threads a setting may ask for: {@value}. Far above any useful count, low
   * enough that a typo (100000) is a coded configuration error instead of an OutOfMemoryError.
   */
  public static final int MAX_THREADS = 1024;

  /** Copies the property map. */
  public BackendConfig {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(strict, "strict");
    Objects.requireNonNull(threads, "threads");
    properties = Map.copyOf(properties);
  }

  /** A builder that reads the JVM's system properties and environment. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration given by system properties and environment alone. */
  public static BackendConfig fromEnvironment() {
    return builder().build();
  }

  /** True when the backend setting is {@code auto}. */
  public boolean automatic() {
    return ConfigKeys.AUTO.equals(backend.value());
  }

  /** A further {@code structura.*} setting (such as {@link ConfigKeys#OPENCL_DEVICE}), if set anywhere. */
  public Optional<Setting<String>> property(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** Every resolved setting, for reports: backend, strict, threads, then the others by key. */
  public Map<String, Setting<?>> allSettings() {
    Map<String, Setting<?>> all = new LinkedHashMap<>();
    all.put(backend.key(), backend);
    all.put(strict.key(), strict);
    all.put(threads.key(), threads);
    properties.keySet().stream().sorted().forEach(k -> all.put(k, properties.get(k)));
    return all;
  }

  /** Collects explicit values; {@link #build()} resolves them against properties and environment. */
  public static final class Builder {
    private final Map<String, String> programmatic = new HashMap<>();
    private final Map<String, String> cli = new HashMap<>();
    private final Map<String, String> cliOrigin = new HashMap<>();
    private Function<String, String> systemProperties = System::getProperty;
    private Function<String, String> environment = System::getenv;

    private Builder() {}

    /** Programmatic backend id (highest precedence); {@code auto} for automatic selection. */
    public Builder backend(String id) {
      programmatic.put(ConfigKeys.BACKEND, Objects.requireNonNull(id, "id"));
      return this;
    }

    /** Programmatic strict mode. */
    public Builder strict(boolean strict) {
      programmatic.put(ConfigKeys.STRICT, Boolean.toString(strict));
      return this;
    }

    /** Programmatic thread count, ≥ 1. */
    public Builder threads(int threads) {
      programmatic.put(ConfigKeys.THREADS, Integer.toString(threads));
      return this;
    }

    /** Any programmatic {@code structura.*} setting. */
    public Builder property(String key, String value) {
      programmatic.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * A value given on the command line; ranks below programmatic values and above system
     * properties. {@code flag} is the flag's spelling for messages ({@code --backend}).
     */
    public Builder cli(String key, String value, String flag) {
      cli.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      cliOrigin.put(key, Objects.requireNonNull(flag, "flag"));
      return this;
    }

    /** Replaces the system-property source (tests); the default is {@link System#getProperty(String)}. */
    public Builder systemProperties(Properties properties) {
      Properties copy = (Properties) properties.clone();
      this.systemProperties = copy::getProperty;
      return this;
    }

    /** Replaces the environment source (tests); the default is {@link System#getenv(String)}. */
    public Builder environment(Map<String, String> environment) {
      Map<String, String> copy = Map.copyOf(environment);
      this.environment = copy::get;
      return this;
    }

    /**
     * Resolves every setting.
     *
     * @throws StructuraException {@code STRUCTURA-C001} when a value cannot be parsed; the
     *     message names the value and where it came from
     */
    public BackendConfig build() {
      Raw<String> backend = resolve(ConfigKeys.BACKEND, ConfigKeys.AUTO)
          .map(v -> v.trim().toLowerCase(Locale.ROOT));
      if (backend.value().isEmpty()) {
        throw invalid(backend, "a backend id or 'auto'");
      }
      Raw<String> strictRaw = resolve(ConfigKeys.STRICT, "false");
      Raw<Boolean> strict = switch (strictRaw.value().trim().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> strictRaw.as(true);
        case "false", "0", "no", "off" -> strictRaw.as(false);
        default -> throw invalid(strictRaw, "true or false");
      };
      Raw<String> threadsRaw = resolve(ConfigKeys.THREADS,
          Integer.toString(Runtime.getRuntime().availableProcessors()));
      int threads;
      try {
        threads = Integer.parseInt(threadsRaw.value().trim());
      } catch (NumberFormatException e) {
        throw invalid(threadsRaw, "a positive integer");
      }
      if (threads < 1 || threads > MAX_THREADS) {
        throw invalid(threadsRaw, "an integer from 1 to " + MAX_THREADS);
      }
      Map<String, Setting<String>> properties = new HashMap<>();
      // the further keys known to every build, plus any key set in code or on the command line
      java.util.Set<String> keys = new java.util.TreeSet<>(FURTHER_KEYS);
      keys.addAll(programmatic.keySet());
      keys.addAll(cli.keySet());
      for (String key : keys) {
        Raw<String> s = isCore(key) ? null : resolve(key, null);
        if (s != null) {
          properties.put(key, s.toSetting());
        }
      }
      return new BackendConfig(backend.toSetting(), strict.toSetting(), threads(threadsRaw, threads), properties);
    }

    private static Setting<Integer> threads(Raw<String> raw, int value) {
      return new Setting<>(raw.key, value, raw.source, raw.origin);
    }

    private static boolean isCore(String key) {
      return key.equals(ConfigKeys.BACKEND) || key.equals(ConfigKeys.STRICT) || key.equals(ConfigKeys.THREADS);
    }

    private StructuraException invalid(Raw<?> raw, String expected) {
      return new StructuraException(ErrorCode.INVALID_CONFIGURATION,
          "'" + raw.value + "' is not a valid value for " + raw.key + " (from " + raw.source.description()
              + " " + raw.origin + ").",
          "Use " + expected + ", or unset " + raw.origin + ".");
    }

    private Raw<String> resolve(String key, String defaultValue) {
      if (programmatic.containsKey(key)) {
        return new Raw<>(key, programmatic.get(key), SettingSource.PROGRAMMATIC, "BackendConfig.Builder");
      }
      if (cli.containsKey(key)) {
        return new Raw<>(key, cli.get(key), SettingSource.CLI, cliOrigin.get(key));
      }
      String property = systemProperties.apply(key);
      if (property != null) {
        return new Raw<>(key, property, SettingSource.SYSTEM_PROPERTY, "-D" + key);
      }
      String envName = ConfigKeys.environmentName(key);
      String env = environment.apply(envName);
      if (env != null) {
        return new Raw<>(key, env, SettingSource.ENVIRONMENT, envName);
      }
      return defaultValue == null ? null : new Raw<>(key, defaultValue, SettingSource.DEFAULT, "default");
    }

    /** An unparsed value with its provenance. */
    private record Raw<T>(String key, T value, SettingSource source, String origin) {
      Raw<T> map(Function<T, T> f) {
        return new Raw<>(key, f.apply(value), source, origin);
      }

      <U> Raw<U> as(U parsed) {
        return new Raw<>(key, parsed, source, origin);
      }

      Setting<T> toSetting() {
        return new Setting<>(key, value, source, origin);
      }
    }
  }

  /** Keys beyond backend/strict/threads that are always looked up in properties and environment. */
  private static final java.util.List<String> FURTHER_KEYS = java.util.List.of(ConfigKeys.OPENCL_DEVICE);
}
