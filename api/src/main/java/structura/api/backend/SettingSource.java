package structura.api.backend;

/** Where a configuration value came from, in precedence order (first wins). */
public enum SettingSource {
  /** Set in code through {@link BackendConfig.Builder}. */
  PROGRAMMATIC("programmatic configuration"),
  /** A command-line flag of the {@code structura} CLI. */
  CLI("command-line flag"),
  /** A JVM system property ({@code -Dstructura.backend=...}). */
  SYSTEM_PROPERTY("system property"),
  /** An environment variable ({@code STRUCTURA_BACKEND=...}). */
  ENVIRONMENT("environment variable"),
  /** Nothing was set; the documented default applies. */
  DEFAULT("default");

  private final String description;

  SettingSource(String description) {
    this.description = description;
  }

  /** Words for messages: "system property", "environment variable", ... */
  public String description() {
    return description;
  }
}
