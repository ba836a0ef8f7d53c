package structura.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import structura.api.backend.Availability;

/**
 * Finds what the backend needs, in order, and says what is missing: the driver library, a
 * working {@code cuInit}, a device, cuBLAS, and a context in which cuBLAS starts. On success it
 * keeps the bound libraries and a one-line description of device 0 (name, compute capability,
 * memory, driver and cuBLAS versions). Never throws and prints nothing: every failure, including
 * {@link Error}s from native linking, becomes an {@link Availability.Unavailable} with a remedy.
 */
final class CudaDiscovery {
  /** What discovery found: the availability, and on success the libraries and device. */
  record Result(Availability availability, CudaDriver driver, CuBlas blas, int device, String detail) {
    boolean found() {
      return availability.isAvailable();
    }
  }

  static final String DRIVER_REMEDY = "Install the NVIDIA driver (it provides libcuda.so.1), or point "
      + CudaLibraryLookup.DRIVER_KEY + " (environment STRUCTURA_CUDA_DRIVER) at libcuda.so.1 or its directory.";
  static final String CUBLAS_REMEDY = "Install cuBLAS 12 or 13 (the CUDA toolkit, or pip install nvidia-cublas as PyTorch does), "
      + "or point " + CudaLibraryLookup.CUBLAS_KEY + " (environment STRUCTURA_CUBLAS) at libcublas.so.13 or its directory.";
  static final String FALLBACK_REMEDY = "Use --backend vector (or auto) meanwhile.";

  private CudaDiscovery() {}

  /** Runs every step; {@code driverOverride} and {@code cublasOverride} may be null. */
  static Result discover(String driverOverride, String cublasOverride) {
    try {
      return run(driverOverride, cublasOverride);
    } catch (Throwable t) {  // UnsatisfiedLinkError, IllegalCallerException without native access, ...
      String hint = t instanceof IllegalCallerException
          ? " Native access is not enabled: run with --enable-native-access=structura.backend.cuda (or ALL-UNNAMED)."
          : "";
      return unavailable("CUDA probe failed: " + t + "." + hint, t, FALLBACK_REMEDY);
    }
  }

  private static Result run(String driverOverride, String cublasOverride) {
    Module module = CudaDiscovery.class.getModule();
    if (!module.isNativeAccessEnabled()) {
      // Loading a library is a restricted method: without the flag Java prints a warning on the
      // console, and the probe must print nothing. Say what to add instead.
      String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
      return unavailable("native access is not enabled for " + (module.isNamed() ? "module " + name : "the class path")
          + ", which the CUDA backend needs to call libcuda and cuBLAS.", null,
          "Run java with --enable-native-access=" + name + " (the structura launcher does).", FALLBACK_REMEDY);
    }
    CudaLibraryLookup.Loaded driverLib;
    try {
      driverLib = CudaLibraryLookup.load(CudaLibraryLookup.Library.DRIVER, driverOverride);
    } catch (CudaLibraryLookup.NotFound e) {
      return unavailable("no NVIDIA driver: " + e.getMessage() + ".", null, DRIVER_REMEDY, FALLBACK_REMEDY);
    }
    CudaDriver driver;
    try {
      driver = new CudaDriver(driverLib.symbols());
    } catch (IllegalStateException e) {
      return unavailable("the CUDA driver at " + driverLib.from() + " is unusable: " + e.getMessage() + ".", e,
          "Update the NVIDIA driver.", FALLBACK_REMEDY);
    }
    int rc = driver.initRaw();
    if (rc != 0) {
      return unavailable("cuInit failed: " + driver.errorText(rc) + " (driver " + driverLib.from() + ").", null,
          "Check the GPU and driver with nvidia-smi (CUDA_VISIBLE_DEVICES may hide every device).", FALLBACK_REMEDY);
    }
    int count = driver.deviceCount();
    if (count < 1) {
      return unavailable("no CUDA device: the driver reports 0 devices.", null,
          "Check the GPU with nvidia-smi and CUDA_VISIBLE_DEVICES.", FALLBACK_REMEDY);
    }
    CudaLibraryLookup.Loaded blasLib;
    try {
      blasLib = CudaLibraryLookup.load(CudaLibraryLookup.Library.CUBLAS, cublasOverride);
    } catch (CudaLibraryLookup.NotFound e) {
      return unavailable("cuBLAS missing: " + e.getMessage() + ".", null, CUBLAS_REMEDY, FALLBACK_REMEDY);
    }
    CuBlas blas;
    try {
      blas = new CuBlas(blasLib.symbols());
    } catch (IllegalStateException e) {
      return unavailable("cuBLAS at " + blasLib.from() + " is unusable: " + e.getMessage() + ".", e, CUBLAS_REMEDY,
          FALLBACK_REMEDY);
    }
    int device = driver.device(0);
    String name = driver.deviceName(device);
    int major = driver.attribute(CudaDriver.ATTRIBUTE_CC_MAJOR, device);
    int minor = driver.attribute(CudaDriver.ATTRIBUTE_CC_MINOR, device);
    long memory = driver.totalMemory(device);
    int driverVersion = driver.driverVersion();
    int blasVersion = blasVersion(driver, blas, device);
    String detail = String.format(Locale.ROOT,
        "device 0 of %d: %s, compute capability %d.%d, %.1f GiB; CUDA driver %s (%s), cuBLAS %s (%s)",
        count, name, major, minor, memory / (1024.0 * 1024 * 1024), cudaVersion(driverVersion), driverLib.from(),
        blasVersion(blasVersion), blasLib.from());
    return new Result(Availability.available(detail), driver, blas, device, detail);
  }

  /** Starts cuBLAS once in the primary context to read its version: proves the pair works together. */
  private static int blasVersion(CudaDriver driver, CuBlas blas, int device) {
    MemorySegment ctx = driver.primaryCtxRetain(device);
    try {
      driver.ctxSetCurrent(ctx);
      MemorySegment handle = blas.create();
      try {
        return blas.version(handle);
      } finally {
        blas.destroy(handle);
      }
    } finally {
      driver.primaryCtxRelease(device);
    }
  }

  /** 13000 → "13.0". */
  static String cudaVersion(int v) {
    return (v / 1000) + "." + (v % 1000 / 10);
  }

  /** 130100 → "13.1.0". */
  static String blasVersion(int v) {
    return (v / 10000) + "." + (v % 10000 / 100) + "." + (v % 100);
  }

  private static Result unavailable(String reason, Throwable cause, String... remedies) {
    return new Result(new Availability.Unavailable(reason, java.util.List.of(remedies), cause), null, null, -1, null);
  }
}
