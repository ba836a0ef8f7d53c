package structura.backend.cuda;

import java.util.List;
import structura.api.ErrorCode;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;
import structura.api.backend.Setting;

/**
 * Provider of the {@code cuda} backend: cuBLAS and our PTX kernels on NVIDIA GPU 0, bound through
 * the Foreign Function and Memory API (no JNI; nothing from CUDA is needed to build).
 *
 * <p><b>Probe.</b> {@link CudaDiscovery}: loads {@code libcuda.so.1} and cuBLAS where
 * {@link CudaLibraryLookup} finds them ({@code structura.cuda.driver}, {@code structura.cuda.cublas}
 * override), runs {@code cuInit}, counts devices and starts cuBLAS once. Unavailable, with the
 * reason and a remedy, when any step fails; never throws, prints nothing. The result is kept per
 * provider instance, since probing loads libraries and creates a context.
 *
 * <p><b>Priority.</b> {@link BackendPriority#ACCELERATOR} (above {@code vector}) when the last
 * probe found a device; {@link BackendPriority#EXPLICIT_ONLY} before a probe and without one.
 *
 * <p>JVM flag: {@code --enable-native-access=structura.backend.cuda} (module path) or
 * {@code ALL-UNNAMED} (class path), or Java prints a restricted-method warning on first use.
 */
public final class CudaBackendProvider implements BackendProvider {
  private volatile CudaDiscovery.Result last;

  /** Cheap; does no I/O and loads no native code. */
  public CudaBackendProvider() {}

  @Override
  public String id() {
    return "cuda";
  }

  @Override
  public String displayName() {
    return "CUDA (cuBLAS + PTX kernels, FFM)";
  }

  /** {@link BackendPriority#ACCELERATOR} when the last probe found a device, otherwise {@link BackendPriority#EXPLICIT_ONLY}. */
  @Override
  public int priority() {
    CudaDiscovery.Result r = last;
    return r != null && r.found() ? BackendPriority.ACCELERATOR : BackendPriority.EXPLICIT_ONLY;
  }

  @Override
  public Availability probe() {
    return discover(null).availability();
  }

  private CudaDiscovery.Result discover(BackendConfig config) {
    CudaDiscovery.Result r = last;
    if (r == null) {
      synchronized (this) {
        r = last;
        if (r == null) {
          r = CudaDiscovery.discover(override(config, CudaLibraryLookup.Library.DRIVER),
              override(config, CudaLibraryLookup.Library.CUBLAS));
          last = r;
        }
      }
    }
    return r;
  }

  private static String override(BackendConfig config, CudaLibraryLookup.Library lib) {
    String configured = config == null ? null : config.property(lib.key).map(Setting::value).orElse(null);
    return CudaLibraryLookup.override(lib, configured);
  }

  /**
   * Opens the backend on device 0.
   *
   * @throws BackendUnavailableException {@code STRUCTURA-B002} with the probe's reason when the
   *     driver, a device or cuBLAS is missing; {@code STRUCTURA-B004} when the device fails while
   *     opening (the driver's message)
   */
  @Override
  public Backend open(BackendConfig config) {
    CudaDiscovery.Result r = discover(config);
    if (r.availability() instanceof Availability.Unavailable u) {
      throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id(), u.reason(),
          String.join(" ", u.remedies()), List.of(), u.cause());
    }
    try {
      return new CudaBackend(r.driver(), r.blas(), r.device(), r.detail());
    } catch (RuntimeException e) {
      throw new BackendUnavailableException(ErrorCode.BACKEND_FAILED, id(), "CUDA backend failed to open: "
          + e.getMessage(), CudaDiscovery.FALLBACK_REMEDY, List.of(), e);
    }
  }
}
