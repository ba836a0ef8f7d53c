package structura.backend.opencl;

import structura.api.ErrorCode;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;

/**
 * Provider of the {@code opencl} backend. Its routines are not implemented yet, so it reports
 * itself unavailable with that reason; nothing pretends to work.
 */
public final class OpenClBackendProvider implements BackendProvider {
  /** Cheap; does no I/O. */
  public OpenClBackendProvider() {}

  @Override
  public String id() {
    return "opencl";
  }

  @Override
  public String displayName() {
    return "OpenCL (Aparapi)";
  }

  @Override
  public int priority() {
    return BackendPriority.ACCELERATOR;
  }

  @Override
  public Availability probe() {
    return Availability.unavailable("not implemented yet: the OpenCL kernels arrive with the OpenCL backend issue.",
        "Use --backend auto (or java) meanwhile.");
  }

  @Override
  public Backend open(BackendConfig config) {
    Availability.Unavailable u = (Availability.Unavailable) probe();
    throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id(), u.reason(),
        String.join(" ", u.remedies()), java.util.List.of(), null);
  }
}
