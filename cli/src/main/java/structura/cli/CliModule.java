package structura.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendRegistry;
import structura.api.backend.BackendSelection;

/**
 * Guice wiring of the CLI: the parsed global options, the backend configuration derived from
 * them, the registry of discovered backends, and the selection. Everything is created lazily,
 * after picocli has parsed the command line, and once per invocation.
 */
final class CliModule extends AbstractModule {
  private final GlobalOptions options;

  CliModule(GlobalOptions options) {
    this.options = options;
  }

  @Override
  protected void configure() {
    bind(GlobalOptions.class).toInstance(options);
  }

  @Provides
  @Singleton
  BackendConfig config(GlobalOptions options) {
    return options.toConfig();
  }

  @Provides
  @Singleton
  BackendRegistry registry() {
    return BackendRegistry.discover();
  }

  /** Throws {@link structura.api.backend.BackendUnavailableException} for an unknown or unavailable explicit backend. */
  @Provides
  @Singleton
  BackendSelection selection(BackendRegistry registry, BackendConfig config) {
    return registry.select(config);
  }
}
