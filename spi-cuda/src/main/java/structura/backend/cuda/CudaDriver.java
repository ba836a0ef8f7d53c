package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * FFM downcalls into the CUDA driver API ({@code libcuda}), one Java method per C function, each
 * checking the returned {@code CUresult} and turning a failure into {@code STRUCTURA-B004} with
 * the driver's own name and text for the error ({@code cuGetErrorName}, {@code cuGetErrorString}).
 *
 * <p>Types: {@code CUcontext}, {@code CUmodule}, {@code CUfunction}, {@code CUstream} and
 * {@code CUevent} are opaque pointers ({@link MemorySegment}); {@code CUdeviceptr} is a 64-bit
 * integer ({@code long}); {@code CUdevice} is an int. Symbols are the ones {@code cuda.h} of CUDA 13
 * maps the API names to ({@code cuMemAlloc} → {@code cuMemAlloc_v2}, {@code cuEventElapsedTime} →
 * {@code _v2}, ...); the default-stream ({@code _ptsz}) variants are not used since every call
 * names an explicit stream.
 *
 * <p>FFM calls run on the caller's thread, and the driver's current context is per thread: callers
 * make the context current ({@link #ctxSetCurrent}) before work, see {@link CudaContext}.
 * Handles are invoked with {@code invokeWithArguments}, which adapts boxed arguments; its cost
 * (well under a microsecond) is small beside a kernel launch.
 */
final class CudaDriver {
  /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR}. */
  static final int ATTRIBUTE_CC_MAJOR = 75;
  /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR}. */
  static final int ATTRIBUTE_CC_MINOR = 76;
  private static final int CU_JIT_ERROR_LOG_BUFFER = 5;
  private static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
  private static final int JIT_LOG_BYTES = 16 * 1024;

  private final SymbolLookup lib;
  private final Linker linker = Linker.nativeLinker();
  private final MethodHandle cuInit;
  private final MethodHandle cuDriverGetVersion;
  private final MethodHandle cuDeviceGetCount;
  private final MethodHandle cuDeviceGet;
  private final MethodHandle cuDeviceGetName;
  private final MethodHandle cuDeviceGetAttribute;
  private final MethodHandle cuDeviceTotalMem;
  private final MethodHandle cuDevicePrimaryCtxRetain;
  private final MethodHandle cuDevicePrimaryCtxRelease;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuModuleLoadDataEx;
  private final MethodHandle cuModuleUnload;
  private final MethodHandle cuModuleGetFunction;
  private final MethodHandle cuLaunchKernel;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemAllocHost;
  private final MethodHandle cuMemFreeHost;
  private final MethodHandle cuMemcpyHtoDAsync;
  private final MethodHandle cuMemcpyDtoHAsync;
  private final MethodHandle cuMemcpyDtoDAsync;
  private final MethodHandle cuMemsetD8Async;
  private final MethodHandle cuStreamCreate;
  private final MethodHandle cuStreamSynchronize;
  private final MethodHandle cuStreamDestroy;
  private final MethodHandle cuEventCreate;
  private final MethodHandle cuEventRecord;
  private final MethodHandle cuEventSynchronize;
  private final MethodHandle cuEventElapsedTime;
  private final MethodHandle cuEventDestroy;
  private final MethodHandle cuGetErrorName;
  private final MethodHandle cuGetErrorString;

  /**
   * Binds every function.
   *
   * @throws IllegalStateException naming the first symbol the library lacks (a driver older than
   *     the API used here)
   */
  CudaDriver(SymbolLookup lib) {
    this.lib = lib;
    cuGetErrorName = bind("cuGetErrorName", JAVA_INT, ADDRESS);
    cuGetErrorString = bind("cuGetErrorString", JAVA_INT, ADDRESS);
    cuInit = bind("cuInit", JAVA_INT);
    cuDriverGetVersion = bind("cuDriverGetVersion", ADDRESS);
    cuDeviceGetCount = bind("cuDeviceGetCount", ADDRESS);
    cuDeviceGet = bind("cuDeviceGet", ADDRESS, JAVA_INT);
    cuDeviceGetName = bind("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
    cuDeviceGetAttribute = bind("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
    cuDeviceTotalMem = bind("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
    cuDevicePrimaryCtxRetain = bind("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
    cuDevicePrimaryCtxRelease = bind("cuDevicePrimaryCtxRelease_v2", JAVA_INT);
    cuCtxSetCurrent = bind("cuCtxSetCurrent", ADDRESS);
    cuModuleLoadDataEx = bind("cuModuleLoadDataEx", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    cuModuleUnload = bind("cuModuleUnload", ADDRESS);
    cuModuleGetFunction = bind("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
    cuLaunchKernel = bind("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
        JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    cuMemAlloc = bind("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
    cuMemFree = bind("cuMemFree_v2", JAVA_LONG);
    cuMemAllocHost = bind("cuMemAllocHost_v2", ADDRESS, JAVA_LONG);
    cuMemFreeHost = bind("cuMemFreeHost", ADDRESS);
    cuMemcpyHtoDAsync = bind("cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
    cuMemcpyDtoHAsync = bind("cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    cuMemcpyDtoDAsync = bind("cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    cuMemsetD8Async = bind("cuMemsetD8Async", JAVA_LONG, JAVA_BYTE, JAVA_LONG, ADDRESS);
    cuStreamCreate = bind("cuStreamCreate", ADDRESS, JAVA_INT);
    cuStreamSynchronize = bind("cuStreamSynchronize", ADDRESS);
    cuStreamDestroy = bind("cuStreamDestroy_v2", ADDRESS);
    cuEventCreate = bind("cuEventCreate", ADDRESS, JAVA_INT);
    cuEventRecord = bind("cuEventRecord", ADDRESS, ADDRESS);
    cuEventSynchronize = bind("cuEventSynchronize", ADDRESS);
    cuEventElapsedTime = bindFirst(new String[] {"cuEventElapsedTime_v2", "cuEventElapsedTime"}, ADDRESS, ADDRESS, ADDRESS);
    cuEventDestroy = bind("cuEventDestroy_v2", ADDRESS);
  }

  private MethodHandle bind(String name, java.lang.foreign.MemoryLayout... args) {
    MemorySegment symbol = lib.find(name).orElseThrow(() ->
        new IllegalStateException("the CUDA driver lacks " + name + " (driver too old for CUDA 12/13?)"));
    return linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, args));
  }

  private MethodHandle bindFirst(String[] names, java.lang.foreign.MemoryLayout... args) {
    for (String n : names) {
      if (lib.find(n).isPresent()) {
        return bind(n, args);
      }
    }
    return bind(names[names.length - 1], args);
  }

  // ---- errors ------------------------------------------------------------------------------

  /** Calls {@code handle} and checks its CUresult. */
  private void call(String name, MethodHandle handle, Object... args) {
    int rc = rawCall(name, handle, args);
    if (rc != 0) {
      throw failure(name, rc);
    }
  }

  private static int rawCall(String name, MethodHandle handle, Object... args) {
    try {
      return (int) handle.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA driver call " + name + " could not be invoked: " + t,
          "Report this with the output of 'structura backends'.", t);
    }
  }

  /** The driver's name and description of {@code rc}, e.g. "CUDA_ERROR_OUT_OF_MEMORY (out of memory)". */
  String errorText(int rc) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment p = arena.allocate(ADDRESS);
      String name = (int) cuGetErrorName.invokeWithArguments(rc, p) == 0 ? cString(p.get(ADDRESS, 0)) : "CUresult " + rc;
      String text = (int) cuGetErrorString.invokeWithArguments(rc, p) == 0 ? cString(p.get(ADDRESS, 0)) : "unknown error";
      return name + " (" + text + ")";
    } catch (Throwable t) {
      return "CUresult " + rc;
    }
  }

  /** {@code STRUCTURA-B004} for a failed driver call. */
  StructuraException failure(String call, int rc) {
    return new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA driver call " + call + " failed: " + errorText(rc) + ".",
        "Check the GPU with nvidia-smi; an error after a kernel launch can come from an earlier asynchronous launch. "
            + "Rerun with --backend vector (or java) meanwhile.");
  }

  static String cString(MemorySegment p) {
    return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(4096).getString(0);
  }

  // ---- initialisation and devices ------------------------------------------------------------

  /** {@code cuInit(0)}, returning the raw CUresult: the probe reports it rather than throwing. */
  int initRaw() {
    return rawCall("cuInit", cuInit, 0);
  }

  int driverVersion() {
    return intOut("cuDriverGetVersion", cuDriverGetVersion);
  }

  int deviceCount() {
    return intOut("cuDeviceGetCount", cuDeviceGetCount);
  }

  int device(int ordinal) {
    return intOut("cuDeviceGet", cuDeviceGet, ordinal);
  }

  String deviceName(int device) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(256);
      call("cuDeviceGetName", cuDeviceGetName, buf, 256, device);
      return buf.getString(0);
    }
  }

  int attribute(int attribute, int device) {
    return intOut("cuDeviceGetAttribute", cuDeviceGetAttribute, attribute, device);
  }

  long totalMemory(int device) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      call("cuDeviceTotalMem_v2", cuDeviceTotalMem, out, device);
      return out.get(JAVA_LONG, 0);
    }
  }

  MemorySegment primaryCtxRetain(int device) {
    return pointerOut("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain, device);
  }

  void primaryCtxRelease(int device) {
    call("cuDevicePrimaryCtxRelease_v2", cuDevicePrimaryCtxRelease, device);
  }

  void ctxSetCurrent(MemorySegment ctx) {
    call("cuCtxSetCurrent", cuCtxSetCurrent, ctx);
  }

  // ---- modules and launches ------------------------------------------------------------------

  /**
   * Loads a PTX or cubin image (NUL-terminated for PTX), JIT-compiling PTX; on failure the JIT's
   * error log is part of the message.
   */
  MemorySegment moduleLoadData(MemorySegment image) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment module = arena.allocate(ADDRESS);
      MemorySegment log = arena.allocate(JIT_LOG_BYTES);
      MemorySegment options = arena.allocate(JAVA_INT, 2);
      options.setAtIndex(JAVA_INT, 0, CU_JIT_ERROR_LOG_BUFFER);
      options.setAtIndex(JAVA_INT, 1, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
      MemorySegment values = arena.allocate(ADDRESS, 2);
      values.setAtIndex(ADDRESS, 0, log);
      values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(JIT_LOG_BYTES));  // option values are passed as void*
      int rc = rawCall("cuModuleLoadDataEx", cuModuleLoadDataEx, module, image, 2, options, values);
      if (rc != 0) {
        String jit = log.getString(0).strip();
        throw new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA driver call cuModuleLoadDataEx failed: "
            + errorText(rc) + (jit.isEmpty() ? "." : "; JIT log: " + jit),
            "The PTX in the jar does not suit this driver or GPU; rebuild it with a matching nvcc (-arch).");
      }
      return module.get(ADDRESS, 0);
    }
  }

  void moduleUnload(MemorySegment module) {
    call("cuModuleUnload", cuModuleUnload, module);
  }

  MemorySegment moduleGetFunction(MemorySegment module, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      call("cuModuleGetFunction(" + name + ")", cuModuleGetFunction, out, module, arena.allocateFrom(name));
      return out.get(ADDRESS, 0);
    }
  }

  void launchKernel(MemorySegment function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
      MemorySegment stream, MemorySegment params) {
    call("cuLaunchKernel", cuLaunchKernel, function, gx, gy, gz, bx, by, bz, sharedBytes, stream, params, MemorySegment.NULL);
  }

  // ---- memory --------------------------------------------------------------------------------

  long memAlloc(long bytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      call("cuMemAlloc_v2(" + bytes + " bytes)", cuMemAlloc, out, bytes);
      return out.get(JAVA_LONG, 0);
    }
  }

  void memFree(long devicePointer) {
    call("cuMemFree_v2", cuMemFree, devicePointer);
  }

  /** Page-locked host memory of {@code bytes}, as a segment of that size. */
  MemorySegment memAllocHost(long bytes) {
    return pointerOut("cuMemAllocHost_v2(" + bytes + " bytes)", cuMemAllocHost, bytes).reinterpret(bytes);
  }

  void memFreeHost(MemorySegment host) {
    call("cuMemFreeHost", cuMemFreeHost, host);
  }

  void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
    call("cuMemcpyHtoDAsync_v2", cuMemcpyHtoDAsync, dst, src, bytes, stream);
  }

  void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
    call("cuMemcpyDtoHAsync_v2", cuMemcpyDtoHAsync, dst, src, bytes, stream);
  }

  void memcpyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
    call("cuMemcpyDtoDAsync_v2", cuMemcpyDtoDAsync, dst, src, bytes, stream);
  }

  void memsetD8Async(long dst, byte value, long bytes, MemorySegment stream) {
    call("cuMemsetD8Async", cuMemsetD8Async, dst, value, bytes, stream);
  }

  // ---- streams and events --------------------------------------------------------------------

  MemorySegment streamCreate() {
    return pointerOut("cuStreamCreate", cuStreamCreate, 0);
  }

  void streamSynchronize(MemorySegment stream) {
    call("cuStreamSynchronize", cuStreamSynchronize, stream);
  }

  void streamDestroy(MemorySegment stream) {
    call("cuStreamDestroy_v2", cuStreamDestroy, stream);
  }

  MemorySegment eventCreate() {
    return pointerOut("cuEventCreate", cuEventCreate, 0);
  }

  void eventRecord(MemorySegment event, MemorySegment stream) {
    call("cuEventRecord", cuEventRecord, event, stream);
  }

  void eventSynchronize(MemorySegment event) {
    call("cuEventSynchronize", cuEventSynchronize, event);
  }

  /** Milliseconds between two recorded, completed events. */
  float eventElapsedMillis(MemorySegment start, MemorySegment end) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_FLOAT);
      call("cuEventElapsedTime", cuEventElapsedTime, out, start, end);
      return out.get(JAVA_FLOAT, 0);
    }
  }

  void eventDestroy(MemorySegment event) {
    call("cuEventDestroy_v2", cuEventDestroy, event);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private int intOut(String name, MethodHandle handle, Object... rest) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      call(name, handle, prepend(out, rest));
      return out.get(JAVA_INT, 0);
    }
  }

  private MemorySegment pointerOut(String name, MethodHandle handle, Object... rest) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      call(name, handle, prepend(out, rest));
      return out.get(ADDRESS, 0);
    }
  }

  static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
