package structura.backend.opencl;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.backend.opencl.kernels.PinnedKernel;

/**
 * The one place where the {@code opencl} backend's kernels run: it owns the kernel instances of
 * one backend, builds each on first use, launches it on the pinned device and checks that it
 * really ran there. The routine families ({@link OpenClGemm}, {@link OpenClGram},
 * {@link OpenClGemv}, {@link OpenClLevel1}, {@link OpenClElementwise}) only bind operands to a
 * kernel, choose its range and call {@link #launch}.
 *
 * <p><b>Compilation.</b> Aparapi translates and builds a kernel on first use and keeps the
 * program; its binary cache is keyed by kernel class and device, so a second backend on the same
 * device does not recompile. The first launch of each instance goes through a compile-only step,
 * which never falls back: a kernel Aparapi cannot translate, or a device that cannot build it,
 * fails with the reason instead of running on Aparapi's Java thread pool.
 *
 * <p><b>No silent fallback.</b> Every launch is checked afterwards: if Aparapi marked the device
 * failed or the kernel's target is no longer the pinned OpenCL device (Aparapi moved it to its
 * Java thread pool), the call throws {@code STRUCTURA-B004} even though Aparapi produced a result.
 *
 * <p>Thread-safe. The caller of {@link #launch} holds the kernel's monitor from binding its
 * operands until it has unbound them, so launches of one kernel instance are serialised while
 * different kernels run concurrently.
 */
final class OpenClLauncher {
  private final OpenClDevices.Info info;
  private final OpenCLDevice device;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong launches = new AtomicLong();
  private final List<PinnedKernel> kernels = Collections.synchronizedList(new ArrayList<>());
  private final Set<PinnedKernel> compiled = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  OpenClLauncher(OpenClDevices.Info info) {
    this.info = info;
    this.device = info.device();
  }

  /** The pinned device. */
  OpenCLDevice device() {
    return device;
  }

  /** Whether the device has cl_khr_fp64, without which no F64 kernel is created. */
  boolean fp64() {
    return info.fp64();
  }

  /** Registers a kernel of this backend, to be disposed of by {@link #close()}; returns it. */
  <K extends PinnedKernel> K own(K kernel) {
    kernels.add(kernel);
    return kernel;
  }

  /** The kernel instances of this backend, in the order they were created. */
  List<PinnedKernel> kernels() {
    synchronized (kernels) {
      return List.copyOf(kernels);
    }
  }

  /** Kernel launches that completed on the pinned OpenCL device (tests, diagnostics). */
  long launches() {
    return launches.get();
  }

  /**
   * Runs {@code kernel}, whose operands the caller has bound, over {@code range} on the pinned
   * device and verifies it really ran there. The caller holds the kernel's monitor.
   *
   * @param routine the SPI routine name, for messages
   * @throws StructuraException {@code BACKEND_FAILED} when the backend is closed, the kernel
   *     cannot be built, the launch fails, or Aparapi ran it anywhere but on the pinned device
   */
  void launch(PinnedKernel kernel, Range range, String routine) {
    if (closed.get()) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "opencl: " + routine + " called on a closed backend.",
          "Open the backend again.");
    }
    if (!compiled.contains(kernel)) {
      try {
        kernel.compile(device);
      } catch (Exception | LinkageError e) {
        throw failed(routine, "Aparapi could not build " + kernel.getClass().getSimpleName() + " for "
            + info.name() + ": " + e.getMessage(), e);
      }
      compiled.add(kernel);
    }
    try {
      kernel.execute(range);
    } catch (Throwable t) {  // Aparapi signals a pinned device that failed earlier with AssertionError
      throw failed(routine, "the OpenCL launch of " + kernel.getClass().getSimpleName() + " failed: " + t, t);
    }
    verifyRanOnDevice(kernel, routine);
    launches.incrementAndGet();
  }

  /**
   * Aparapi reports a device failure by moving the kernel to its Java thread pool and logging a
   * warning (Syncleus/aparapi#164); the result is then right but computed in Java. The failure
   * leaves two marks, checked here: the device is in the kernel class's failed list, and the
   * kernel's target device (the first allowed preferred device) is no longer the pinned one.
   */
  void verifyRanOnDevice(PinnedKernel kernel, String routine) {
    List<Device> failedDevices = KernelManager.instance().getPreferences(kernel).getFailedDevices();
    Device target = kernel.getTargetDevice();
    if (failedDevices.contains(device) || !kernel.isRunningCL() || !device.equals(target)) {
      throw failed(routine, kernel.getClass().getSimpleName() + " did not run on OpenCL device " + info.name()
          + " (Aparapi fell back to " + (target == null ? "its Java thread pool" : target.getShortDescription())
          + "; failed devices: " + failedDevices + ")", null);
    }
  }

  /**
   * Guards the F64 entry points: {@code supports(F64)} is false without fp64, so {@code Compute}
   * never sends F64 work here; reaching this throw is a bug, reported rather than crashing on a
   * missing kernel.
   */
  void requireFp64(String routine) {
    if (!info.fp64()) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED,
          "opencl " + routine + ": device " + info.name() + " has no fp64.", "Use another backend for double precision.");
    }
  }

  /** A 1-D range of at least {@code n} work-items in groups of {@code local}. */
  Range range1(int n, int local) {
    return Range.create(device, roundUp(n, local), local);
  }

  /** A 1-D range of {@code groups} work-groups of {@code local} work-items. */
  Range groups(int groups, int local) {
    return Range.create(device, groups * local, local);
  }

  /** A 2-D range, {@code gx} and {@code gy} already multiples of {@code lx} and {@code ly}. */
  Range range2(int gx, int gy, int lx, int ly) {
    return Range.create2D(device, gx, gy, lx, ly);
  }

  /** A 3-D range with work-groups {@code (lx, ly, 1)}. */
  Range range3(int gx, int gy, int gz, int lx, int ly) {
    return Range.create3D(device, gx, gy, gz, lx, ly, 1);
  }

  static int roundUp(int x, int to) {
    return (x + to - 1) / to * to;
  }

  /** Refuses further launches and releases every kernel; idempotent. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      for (PinnedKernel k : kernels()) {
        synchronized (k) {
          k.dispose();
        }
      }
    }
  }

  private StructuraException failed(String routine, String what, Throwable cause) {
    return new StructuraException(ErrorCode.BACKEND_FAILED, "opencl " + routine + ": " + what + ".",
        "Run with -Dcom.aparapi.logLevel=INFO to see Aparapi's log, check the OpenCL driver with 'clinfo', "
            + "or use another backend (--backend java).", cause);
  }
}
