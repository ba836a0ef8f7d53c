package structura.api.internal.reference;

import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;

/** Provider of the reference backend {@code java}: always available, lowest non-negative priority. */
public final class ReferenceBackendProvider implements BackendProvider {
  /** The reference backend's id. */
  public static final String ID = "java";

  /** Cheap; does nothing. */
  public ReferenceBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String displayName() {
    return "Reference (plain Java loops)";
  }

  @Override
  public int priority() {
    return BackendPriority.REFERENCE;
  }

  @Override
  public Availability probe() {
    return Availability.available("plain Java loops, single-threaded; the correctness oracle");
  }

  @Override
  public Backend open(BackendConfig config) {
    return new ReferenceBackend();
  }
}
