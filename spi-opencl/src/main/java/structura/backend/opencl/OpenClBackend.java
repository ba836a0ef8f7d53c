package structura.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import java.util.List;
import java.util.Optional;
import structura.api.DType;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RoutineFamily;
import structura.backend.opencl.kernels.PinnedKernel;

/**
 * The {@code opencl} backend: every routine family as Aparapi kernels pinned to one OpenCL
 * device, in F32 and F64 (the elementwise family is F32 only, as the SPI defines it). F64 (and
 * the F64 accumulation of {@code sdsyrk}, which {@code Compute} files under GRAM/F64) needs a
 * device with cl_khr_fp64; without it {@link #supports} answers false for F64, so
 * {@code Compute} runs the reference routine (or fails in strict mode) instead of pretending.
 *
 * <p><b>Shape.</b> One class per routine family ({@link OpenClGemm} for GEMM and batched GEMM,
 * {@link OpenClGram}, {@link OpenClGemv}, {@link OpenClLevel1}, {@link OpenClElementwise},
 * {@link OpenClPairwiseKernel}), each
 * binding its operands to its kernels and launching them through the backend's one
 * {@link OpenClLauncher}, which builds, runs and checks every launch. This class sizes the
 * kernels for the device and answers the SPI.
 *
 * <p><b>Data movement.</b> Routines take host arrays; Aparapi copies each array a kernel reads
 * to the device and each array it writes back, whole, on every launch (views are offsets into
 * those arrays). A call therefore costs O(size of the arrays) transfer on a discrete GPU plus a
 * launch latency, which is why the backend pays off only for large products.
 *
 * <p><b>Kernels.</b> One kernel instance per kernel class per backend, created at open (the
 * double ones only on an fp64 device: Aparapi would refuse to build them anyway).
 *
 * <p>Thread-safe: launches of one kernel instance are serialised on that instance; different
 * routines run concurrently.
 */
final class OpenClBackend implements Backend {
  /**
   * Default GEMM tile edge: a 16×16 block of C per work-group of 16×4 work-items (sdsyrk: 16×16 =
   * 256), within every GPU's work-group limit. See docs/performance.md for the tile measurements.
   */
  static final int DEFAULT_TILE = 16;
  /** Default work-group size of the vector kernels. */
  static final int DEFAULT_WORK_GROUP = 64;

  private final OpenClDevices.Info info;
  private final int ts;
  private final int wg;
  private final OpenClLauncher launcher;
  private final OpenClGemm gemm;
  private final OpenClGram gram;
  private final OpenClGemv gemv;
  private final OpenClLevel1 level1;
  private final OpenClElementwise elementwise;
  private final OpenClPairwiseKernel pairwiseKernel;

  OpenClBackend(OpenClDevices.Info info) {
    this(info, DEFAULT_TILE, DEFAULT_WORK_GROUP);
  }

  /**
   * @param tile GEMM tile edge, rounded down to a power of two ≥ 4, and reduced until tile² fits
   *     the device's work-group limit and two tiles fit its local memory
   * @param workGroup vector-kernel work-group size, a power of two (reduced likewise)
   */
  OpenClBackend(OpenClDevices.Info info, int tile, int workGroup) {
    this.info = info;
    this.ts = tileFor(info, tile);
    this.wg = workGroupFor(info, workGroup);
    this.launcher = new OpenClLauncher(info);
    this.gemm = new OpenClGemm(launcher, ts);
    this.gemv = new OpenClGemv(launcher, wg);
    this.level1 = new OpenClLevel1(launcher, wg);
    this.elementwise = new OpenClElementwise(launcher, wg);
    this.pairwiseKernel = new OpenClPairwiseKernel(launcher, wg);
    this.gram = new OpenClGram(launcher, gemm, ts);
  }

  private static int tileFor(OpenClDevices.Info info, int tile) {
    int maxWg = Math.max(1, info.maxWorkGroupSize());
    // The GEMM kernels need a multiple of 4 (four rows per work-item); sdsyrk uses ts×ts
    // work-groups, so ts² must fit the work-group limit too.
    int t = Math.max(4, Integer.highestOneBit(Math.max(4, tile)));
    while (t > 4 && ((long) t * t > maxWg || 2L * t * t * Double.BYTES > info.localMemBytes())) {
      t /= 2;
    }
    return t;
  }

  private static int workGroupFor(OpenClDevices.Info info, int workGroup) {
    int maxWg = Math.max(1, info.maxWorkGroupSize());
    int w = Integer.highestOneBit(Math.max(1, workGroup));
    while (w > 1 && w > maxWg) {
      w /= 2;
    }
    return w;
  }

  @Override
  public String id() {
    return "opencl";
  }

  @Override
  public String describe() {
    return "OpenCL device [" + info.index() + "] " + info.name() + " (" + info.type() + ", " + info.computeUnits()
        + " compute units, fp64 " + (info.fp64() ? "yes" : "no") + "), " + info.platformVersion() + "; GEMM tile " + ts
        + "x" + ts + ", work-group " + wg;
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return Optional.of(gemm);
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return Optional.of(gemv);
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.of(gemm);
  }

  @Override
  public Optional<GramRoutine> gram() {
    return Optional.of(gram);
  }

  @Override
  public Optional<Level1Routine> level1() {
    return Optional.of(level1);
  }

  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return Optional.of(elementwise);
  }

  @Override
  public Optional<PairwiseKernelRoutine> pairwiseKernel() {
    return Optional.of(pairwiseKernel);
  }

  /** Every family in F32; F64 only on a device with fp64, and never for the F32-only elementwise family. */
  @Override
  public boolean supports(RoutineFamily family, DType dtype) {
    return switch (family) {
      case ELEMENTWISE -> dtype == DType.F32;
      case GEMM, GEMV, BATCHED_GEMM, GRAM, LEVEL1, PAIRWISE_KERNEL -> dtype == DType.F32 || info.fp64();
    };
  }

  /** Refuses further calls and releases every kernel; idempotent. */
  @Override
  public void close() {
    launcher.close();
  }

  /** The launcher every routine goes through (tests). */
  OpenClLauncher launcher() {
    return launcher;
  }

  /** The pinned device (tests). */
  OpenCLDevice device() {
    return launcher.device();
  }

  /** Kernel launches that completed on the pinned OpenCL device (tests, diagnostics). */
  long launches() {
    return launcher.launches();
  }

  /** GEMM tile edge in use. */
  int tile() {
    return ts;
  }

  /** The kernel instances of this backend. */
  List<PinnedKernel> kernels() {
    return launcher.kernels();
  }
}
