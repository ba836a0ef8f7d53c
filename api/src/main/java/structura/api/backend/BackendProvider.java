package structura.api.backend;

/**
 * Service interface through which a backend makes itself known. Found with
 * {@link java.util.ServiceLoader}: declare {@code provides structura.api.backend.BackendProvider
 * with ...} in {@code module-info.java} and list the class in
 * {@code META-INF/services/structura.api.backend.BackendProvider} for class-path users.
 *
 * <p><b>Contract for implementers.</b>
 * <ul>
 *   <li>The public no-argument constructor, {@link #id()}, {@link #displayName()} and
 *       {@link #priority()} are cheap and do no I/O and no native loading.</li>
 *   <li>{@link #probe()} checks whether the backend can run here (module readable, native
 *       library loadable, device present). It is cheap, never throws, and reports problems as
 *       {@link Availability.Unavailable} with a reason and at least one remedy. A provider that
 *       throws anyway is reported as broken and does not disturb selection.</li>
 *   <li>{@link #priority()} may depend on what {@code probe()} found (a GPU device ranks higher
 *       than a CPU device); it is read after probing. Use {@link BackendPriority} constants.</li>
 *   <li>{@link #open(BackendConfig)} does the expensive work (native loading, device contexts)
 *       and wraps failures, {@link LinkageError} included, in a
 *       {@link structura.api.StructuraException} that keeps the cause.</li>
 * </ul>
 */
public interface BackendProvider {
  /** Stable lower-kebab id used to select the backend: {@code java}, {@code vector}, ... */
  String id();

  /** Human-readable name. */
  String displayName();

  /** Rank in automatic selection; higher wins. See {@link BackendPriority}. */
  int priority();

  /** Whether the backend can run on this machine, and if not, why and how to fix it. */
  Availability probe();

  /**
   * Opens the backend with the given configuration (threads, device choice). The caller
   * closes the returned backend.
   */
  Backend open(BackendConfig config);
}
