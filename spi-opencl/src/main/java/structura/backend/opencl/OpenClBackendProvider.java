package structura.backend.opencl;

import java.util.List;
import java.util.Optional;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendUnavailableException;
import structura.api.backend.ConfigKeys;
import structura.api.backend.Setting;

/**
 * Provider of the {@code opencl} backend: BLAS-like routines as Aparapi kernels on one OpenCL
 * device (GPU, accelerator, or a CPU through an implementation such as POCL).
 *
 * <p><b>Probe.</b> Looks for {@code libOpenCL.so.1} on disk first ({@link OpenClLibraryLookup}: without it
 * Aparapi is never touched, so start-up stays quiet), then loads Aparapi's JNI library and {@code libOpenCL.so.1}, lists every platform
 * and device with its index, type, OpenCL version and fp64 support, and names the device that
 * {@code structura.opencl.device} (system property or environment; {@code auto} by default)
 * selects. Without an OpenCL runtime, or without a device, the backend is unavailable with the
 * reason and how to install one. The probe catches every {@link Throwable}: Aparapi loads native
 * code in static initializers, and a missing library surfaces as {@link UnsatisfiedLinkError}.
 * The result is kept per provider instance (the first probe compiles a tiny kernel per device
 * to learn fp64 support).
 *
 * <p><b>Priority.</b> {@link BackendPriority#ACCELERATOR} when the selected device is a GPU or
 * accelerator; {@link BackendPriority#EXPLICIT_ONLY} for a CPU device, which then runs only when
 * named: on a CPU every call pays ~100–150 µs of JNI, copy and launch cost (small calls 1.4–4.6×
 * slower than the reference backend on POCL) and the SIMD backend is the CPU's fast path
 * (measurements in {@code docs/design-notes.md}, section "OpenCL backend").
 *
 * <p>The constructor, {@link #id()} and {@link #displayName()} touch no Aparapi class.
 */
public final class OpenClBackendProvider implements BackendProvider {
  private volatile Probe last;

  /** Cheap; does no I/O and loads no native code. */
  public OpenClBackendProvider() {}

  /** What a probe found: availability and the priority that goes with the selected device. */
  private record Probe(Availability availability, int priority) {}

  @Override
  public String id() {
    return "opencl";
  }

  @Override
  public String displayName() {
    return "OpenCL (Aparapi)";
  }

  /**
   * {@link BackendPriority#ACCELERATOR} when the last probe selected a GPU or accelerator,
   * otherwise {@link BackendPriority#EXPLICIT_ONLY} (also before any probe).
   */
  @Override
  public int priority() {
    Probe p = last;
    return p == null ? BackendPriority.EXPLICIT_ONLY : p.priority();
  }

  @Override
  public Availability probe() {
    Probe p = last;
    if (p == null) {
      p = runProbe();
      last = p;
    }
    return p.availability();
  }

  private Probe runProbe() {
    try {
      if (OpenClLibraryLookup.find().isEmpty()) {
        return new Probe(Availability.unavailable("no OpenCL runtime: " + OpenClLibraryLookup.LIBRARY
            + " (the OpenCL ICD loader) is not in LD_LIBRARY_PATH, /etc/ld.so.conf or the system library directories.",
            OpenClDevices.REMEDIES), BackendPriority.EXPLICIT_ONLY);
      }
      if (!OpenClDevices.runtimeLoaded()) {
        return new Probe(Availability.unavailable("no OpenCL runtime: Aparapi could not load its JNI library "
            + "or libOpenCL.so.1 (no OpenCL ICD loader or driver installed).", OpenClDevices.REMEDIES),
            BackendPriority.EXPLICIT_ONLY);
      }
      List<OpenClDevices.Info> devices = OpenClDevices.list();
      Setting<String> spec = environmentDeviceSetting();
      String[] why = new String[1];
      Optional<OpenClDevices.Info> chosen = OpenClDevices.select(devices, spec == null ? null : spec.value(),
          spec == null ? "default" : spec.origin(), why);
      if (chosen.isEmpty()) {
        return new Probe(Availability.unavailable(why[0], OpenClDevices.REMEDIES), BackendPriority.EXPLICIT_ONLY);
      }
      OpenClDevices.Info d = chosen.get();
      String rule = d.accelerator()
          ? "a " + d.type() + " device, so 'auto' may pick it"
          : "a CPU device: used only when named (--backend opencl), never by 'auto'";
      String detail = "device [" + d.index() + "] " + d.name() + " (" + d.type() + ", fp64 " + (d.fp64() ? "yes" : "no")
          + "), " + d.platformVersion() + ", platform '" + d.platform() + "'; selected by " + ConfigKeys.OPENCL_DEVICE
          + "=" + (spec == null ? "auto" : spec.value()) + ", " + rule + ". Devices: " + OpenClDevices.listing(devices);
      return new Probe(Availability.available(detail), d.priority());
    } catch (StructuraException e) {
      return new Probe(new Availability.Unavailable(e.detail(), List.of(e.remedy().isBlank()
          ? "Fix " + ConfigKeys.OPENCL_DEVICE + "." : e.remedy()), e), BackendPriority.EXPLICIT_ONLY);
    } catch (Throwable t) {  // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
      return new Probe(Availability.unavailable("OpenCL probe failed: " + t, t, OpenClDevices.REMEDIES),
          BackendPriority.EXPLICIT_ONLY);
    }
  }

  /** The device setting from system properties and environment, if any; a broken config reads as unset. */
  private static Setting<String> environmentDeviceSetting() {
    try {
      return BackendConfig.fromEnvironment().property(ConfigKeys.OPENCL_DEVICE).orElse(null);
    } catch (StructuraException e) {
      return null;
    }
  }

  /**
   * Opens the backend on the device {@code config} selects ({@link ConfigKeys#OPENCL_DEVICE}).
   *
   * @throws BackendUnavailableException {@code STRUCTURA-B002} when there is no OpenCL runtime or
   *     the requested device does not exist (the message lists the devices), {@code STRUCTURA-B004}
   *     when Aparapi fails unexpectedly
   * @throws StructuraException {@code STRUCTURA-C001} for a device value that is not gpu, cpu,
   *     auto or an index
   */
  @Override
  public Backend open(BackendConfig config) {
    Setting<String> spec = config.property(ConfigKeys.OPENCL_DEVICE).orElse(null);
    String origin = spec == null ? "default" : spec.origin();
    try {
      if (OpenClLibraryLookup.find().isEmpty()) {
        throw unavailable("no OpenCL runtime: " + OpenClLibraryLookup.LIBRARY + " (the OpenCL ICD loader) was not found.", null);
      }
      if (!OpenClDevices.runtimeLoaded()) {
        throw unavailable("no OpenCL runtime: Aparapi could not load its JNI library or libOpenCL.so.1.", null);
      }
      List<OpenClDevices.Info> devices = OpenClDevices.list();
      String[] why = new String[1];
      Optional<OpenClDevices.Info> chosen = OpenClDevices.select(devices, spec == null ? null : spec.value(), origin, why);
      if (chosen.isEmpty()) {
        throw unavailable(why[0], null);
      }
      return new OpenClBackend(chosen.get());
    } catch (StructuraException e) {
      throw e;
    } catch (Throwable t) {
      throw new BackendUnavailableException(ErrorCode.BACKEND_FAILED, id(), "OpenCL backend failed to open: " + t,
          String.join(" ", OpenClDevices.REMEDIES), List.of(), t);
    }
  }

  private BackendUnavailableException unavailable(String reason, Throwable cause) {
    return new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id(), reason,
        String.join(" ", OpenClDevices.REMEDIES), List.of(), cause);
  }
}
