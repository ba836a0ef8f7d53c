package structura.backend.vector;

import structura.api.ErrorCode;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;

/**
 * Provider of the {@code vector} backend. Its routines are not implemented yet, so it reports
 * itself unavailable with that reason; nothing pretends to work.
 */
public final class VectorBackendProvider implements BackendProvider {
  /** Cheap; does no I/O. */
  public VectorBackendProvider() {}

  @Override
  public String id() {
    return "vector";
  }

  @Override
  public String displayName() {
    return "SIMD CPU (Vector API)";
  }

  @Override
  public int priority() {
    return BackendPriority.CPU_SIMD;
  }

  @Override
  public Availability probe() {
    return Availability.unavailable("not implemented yet: the Vector API routines arrive with the SIMD CPU backend issue.",
        "Use --backend auto (or java) meanwhile.");
  }

  @Override
  public Backend open(BackendConfig config) {
    Availability.Unavailable u = (Availability.Unavailable) probe();
    throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id(), u.reason(),
        String.join(" ", u.remedies()), java.util.List.of(), null);
  }
}
