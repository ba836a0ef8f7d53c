package structura.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.BackendPriority;
import structura.api.backend.ConfigKeys;
import structura.backend.opencl.kernels.Fp64ProbeKernel;

/**
 * Enumerates OpenCL devices through Aparapi and chooses one by the {@code structura.opencl.device}
 * setting. Besides it only the opened backend ({@link OpenClBackend}, {@link OpenClLauncher}, the
 * routine families) and the kernels touch Aparapi; {@link OpenClBackendProvider} reaches this
 * class only from {@code probe()} and {@code open()}, inside a {@code catch (Throwable)}, because
 * Aparapi loads its JNI library (and through it {@code libOpenCL.so.1}) in a static initializer.
 */
final class OpenClDevices {
  /** Remedies shown whenever no usable OpenCL device is found. */
  static final String[] REMEDIES = {
      "Install an OpenCL implementation: on Debian/Ubuntu 'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' "
          + "(POCL, runs on the CPU), or the GPU vendor's OpenCL driver (NVIDIA, AMD ROCm, Intel compute-runtime).",
      "Check with 'clinfo -l' that a platform and a device are listed.",
      "Or select another backend: --backend auto (or java, vector)."};

  /**
   * fp64 support per OpenCL device id. A fact about the hardware, cached for the process like
   * Aparapi's own platform list; it holds no configuration and nothing a caller can change.
   */
  private static final ConcurrentMap<Long, Boolean> FP64 = new ConcurrentHashMap<>();

  private OpenClDevices() {}

  /**
   * One OpenCL device as Structura sees it.
   *
   * @param index position in {@link #list()}, the value {@code structura.opencl.device} takes
   * @param type {@code GPU}, {@code CPU}, {@code ACC} or {@code UNKNOWN}
   * @param fp64 whether the device compiles double-precision kernels (cl_khr_fp64)
   * @param device Aparapi's handle
   */
  record Info(int index, String platform, String platformVersion, String name, String type, int computeUnits,
      int maxWorkGroupSize, long localMemBytes, long globalMemBytes, boolean fp64, OpenCLDevice device) {

    /** Accelerators (GPU or ACC) rank above automatic CPU work; a CPU device never wins auto. */
    boolean accelerator() {
      return type.equals("GPU") || type.equals("ACC");
    }

    int priority() {
      return accelerator() ? BackendPriority.ACCELERATOR : BackendPriority.EXPLICIT_ONLY;
    }

    /** One line: index, name, type, units, fp64, platform and its OpenCL version. */
    String line() {
      return "[" + index + "] " + name + " (" + type + ", " + computeUnits + " compute units, max work-group "
          + maxWorkGroupSize + ", local memory " + (localMemBytes / 1024) + " KiB, fp64 " + (fp64 ? "yes" : "no")
          + ") on platform '" + platform + "', " + platformVersion;
    }
  }

  /**
   * Whether Aparapi loaded its JNI library and libOpenCL. The first call initialises Aparapi,
   * whose {@code Config} static initialiser sets the level of every handler of the JVM's root
   * logger to WARNING (or {@code -Dcom.aparapi.logLevel}), silencing the application's INFO
   * logging; the handler levels are put back afterwards.
   */
  static boolean runtimeLoaded() {
    return preservingRootHandlerLevels(OpenCLLoader::isOpenCLAvailable);
  }

  /** Runs {@code action} and restores the levels of the root logger's handlers it changed. */
  static <T> T preservingRootHandlerLevels(Supplier<T> action) {
    Handler[] handlers = Logger.getLogger("").getHandlers();
    Level[] levels = new Level[handlers.length];
    for (int i = 0; i < handlers.length; i++) {
      levels[i] = handlers[i].getLevel();
    }
    try {
      return action.get();
    } finally {
      for (int i = 0; i < handlers.length; i++) {
        if (handlers[i].getLevel() != levels[i]) {
          handlers[i].setLevel(levels[i]);
        }
      }
    }
  }

  /** Every device of every platform, in platform order; empty when OpenCL is missing. */
  static List<Info> list() {
    List<Info> out = new ArrayList<>();
    if (!runtimeLoaded()) {
      return out;
    }
    // Make sure Aparapi's process-wide preferences exist before any kernel compiles: the
    // compile-only path checks that the device is among the preferred devices.
    KernelManager.instance();
    for (OpenCLPlatform platform : new OpenCLPlatform().getOpenCLPlatforms()) {
      for (OpenCLDevice d : platform.getOpenCLDevices()) {
        String type = d.getType() == null ? "UNKNOWN" : d.getType().name();
        out.add(new Info(out.size(), platform.getName(), platform.getVersion(), d.getName(), type,
            d.getMaxComputeUnits(), d.getMaxWorkGroupSize(), d.getLocalMemSize(), d.getGlobalMemSize(),
            hasFp64(d), d));
      }
    }
    return out;
  }

  /**
   * Compiles a one-line double kernel for {@code d}. Aparapi's compile-only path reads the
   * device's extensions and refuses a double kernel without cl_khr_fp64; it never falls back.
   */
  private static boolean hasFp64(OpenCLDevice d) {
    return FP64.computeIfAbsent(d.getDeviceId(), id -> {
      Fp64ProbeKernel k = new Fp64ProbeKernel(d);
      try {
        k.compile(d);
        return true;
      } catch (Exception e) {  // CompileFailedException: no fp64, or no compiler for this device
        return false;
      }
      // Not disposed: Aparapi 3.0.2 crashes (SIGSEGV in JNIContext::dispose) when a kernel that
      // was only compiled, never executed, is disposed. The cache keeps this to one small
      // OpenCL context per device and process.
    });
  }

  /**
   * Chooses a device by {@code spec}: {@code gpu} (first GPU or accelerator), {@code cpu} (first
   * CPU device), a device index, or {@code auto}/blank (first accelerator, else first device).
   *
   * @param origin where the setting came from, for messages ({@code -Dstructura.opencl.device})
   * @return the device, or empty with the reason in {@code why[0]}
   * @throws StructuraException {@code STRUCTURA-C001} when {@code spec} is none of the above
   */
  static Optional<Info> select(List<Info> devices, String spec, String origin, String[] why) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    if (devices.isEmpty()) {
      why[0] = "no OpenCL device found (the OpenCL runtime loaded but lists no platform or device).";
      return Optional.empty();
    }
    switch (s) {
      case "", "auto" -> {
        return Optional.of(devices.stream().filter(Info::accelerator).findFirst().orElse(devices.get(0)));
      }
      case "gpu" -> {
        Optional<Info> d = devices.stream().filter(Info::accelerator).findFirst();
        if (d.isEmpty()) {
          why[0] = "no GPU or accelerator OpenCL device (asked for 'gpu' by " + origin + "); devices: " + listing(devices);
        }
        return d;
      }
      case "cpu" -> {
        Optional<Info> d = devices.stream().filter(i -> i.type().equals("CPU")).findFirst();
        if (d.isEmpty()) {
          why[0] = "no CPU OpenCL device (asked for 'cpu' by " + origin + "); devices: " + listing(devices);
        }
        return d;
      }
      default -> {
        int index;
        try {
          index = Integer.parseInt(s);
        } catch (NumberFormatException e) {
          throw new StructuraException(ErrorCode.INVALID_CONFIGURATION,
              "'" + spec + "' is not a valid value for " + ConfigKeys.OPENCL_DEVICE + " (from " + origin + ").",
              "Use gpu, cpu, auto or a device index; 'structura backends' lists the devices: " + listing(devices), e);
        }
        if (index < 0 || index >= devices.size()) {
          why[0] = "OpenCL device index " + index + " (from " + origin + ") does not exist; devices: " + listing(devices);
          return Optional.empty();
        }
        return Optional.of(devices.get(index));
      }
    }
  }

  /** All devices on one line, for probe details and error messages. */
  static String listing(List<Info> devices) {
    if (devices.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    for (Info i : devices) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(i.line());
    }
    return sb.toString();
  }
}
