package structura.backend.cuda;

import structura.api.ErrorCode;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;

/**
 * Provider of the {@code cuda} backend. Its routines are not implemented yet, so it reports
 * itself unavailable with that reason; nothing pretends to work.
 */
public final class CudaBackendProvider implements BackendProvider {
  /** Cheap; does no I/O. */
  public CudaBackendProvider() {}

  @Override
  public String id() {
    return "cuda";
  }

  @Override
  public String displayName() {
    return "CUDA";
  }

  @Override
  public int priority() {
    return BackendPriority.ACCELERATOR;
  }

  @Override
  public Availability probe() {
    return Availability.unavailable("not implemented yet: the CUDA routines (FFM, PTX kernels, cuBLAS) are planned and not yet written.",
        "Use --backend auto (or java) meanwhile.");
  }

  @Override
  public Backend open(BackendConfig config) {
    Availability.Unavailable u = (Availability.Unavailable) probe();
    throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id(), u.reason(),
        String.join(" ", u.remedies()), java.util.List.of(), null);
  }
}
