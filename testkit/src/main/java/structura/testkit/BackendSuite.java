package structura.testkit;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import structura.api.backend.Availability;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.api.backend.Compute;

/**
 * Base of the routine conformance suites: opens the backend under test once per class, in
 * strict mode (a routine the backend lacks fails instead of silently running the reference).
 *
 * <p>When the provider's probe says unavailable, the suite is skipped with the probe's reason,
 * unless the system property {@value #REQUIRED_BACKENDS} (or the environment variable
 * {@value #REQUIRED_BACKENDS_ENV}) lists the backend's id (comma
 * separated), in which case it fails: a machine that has the hardware must not skip silently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendSuite {
  /** System property listing backend ids whose unavailability is a failure, not a skip. */
  public static final String REQUIRED_BACKENDS = "structura.test.requiredBackends";
  /** Environment variable read when the system property is not set (CI sets it). */
  public static final String REQUIRED_BACKENDS_ENV = "STRUCTURA_TEST_REQUIRED_BACKENDS";

  /** The backend under test; open between {@code @BeforeAll} and {@code @AfterAll}. */
  protected Compute compute;

  /** The provider of the backend under test. */
  protected abstract BackendProvider provider();

  /** Configuration to open it with; strict by default. */
  protected BackendConfig config() {
    return BackendConfig.builder().strict(true).build();
  }

  @BeforeAll
  final void openBackend() {
    BackendProvider provider = provider();
    requireAvailable(provider);
    compute = Compute.of(provider.open(config()), true);
  }

  @AfterAll
  final void closeBackend() {
    if (compute != null) {
      compute.close();
    }
  }

  /**
   * Skips the calling test class with the probe's reason when {@code provider} is unavailable,
   * or fails when its id is listed in {@value #REQUIRED_BACKENDS}.
   */
  public static void requireAvailable(BackendProvider provider) {
    Availability a = provider.probe();
    if (a instanceof Availability.Unavailable u) {
      String message = "backend '" + provider.id() + "' unavailable: " + u.reason() + " Remedy: " + String.join(" ", u.remedies());
      if (requiredBackends().contains(provider.id())) {
        Assertions.fail(message + " (required by -D" + REQUIRED_BACKENDS + ")", u.cause());
      }
      Assumptions.abort(message);
    }
  }

  private static Set<String> requiredBackends() {
    String v = System.getProperty(REQUIRED_BACKENDS, System.getenv().getOrDefault(REQUIRED_BACKENDS_ENV, ""));
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}
