package structura.backend.opencl;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.RoutineFamily;
import structura.backend.opencl.kernels.DaxpyKernel;
import structura.backend.opencl.kernels.DdotKernel;
import structura.backend.opencl.kernels.DgemmKernel;
import structura.backend.opencl.kernels.DgemvKernel;
import structura.backend.opencl.kernels.DgemvtKernel;
import structura.backend.opencl.kernels.DscalKernel;
import structura.backend.opencl.kernels.PinnedKernel;
import structura.backend.opencl.kernels.SactivationKernel;
import structura.backend.opencl.kernels.SaxpyKernel;
import structura.backend.opencl.kernels.SdotKernel;
import structura.backend.opencl.kernels.SdsyrkKernel;
import structura.backend.opencl.kernels.SgemmKernel;
import structura.backend.opencl.kernels.SgemvKernel;
import structura.backend.opencl.kernels.SgemvtKernel;
import structura.backend.opencl.kernels.SnormKernel;
import structura.backend.opencl.kernels.SsoftmaxKernel;
import structura.backend.opencl.kernels.SscalKernel;

/**
 * The {@code opencl} backend: every routine family as Aparapi kernels pinned to one OpenCL
 * device, in F32 and F64 (the elementwise family is F32 only, as the SPI defines it). F64 (and
 * the F64 accumulation of {@code sdsyrk}, which {@code Compute} files under GRAM/F64) needs a
 * device with cl_khr_fp64; without it {@link #supports} answers false for F64, so
 * {@code Compute} runs the reference routine (or fails in strict mode) instead of pretending.
 *
 * <p><b>Data movement.</b> Routines take host arrays; Aparapi copies each array a kernel reads
 * to the device and each array it writes back, whole, on every launch (views are offsets into
 * those arrays). A call therefore costs O(size of the arrays) transfer on a discrete GPU plus a
 * launch latency, which is why the backend pays off only for large products.
 *
 * <p><b>Compilation.</b> One kernel instance per kernel class per backend, created at open;
 * Aparapi translates and builds it on first use and keeps the program, and its binary cache is
 * keyed by kernel class and device, so a second backend on the same device does not recompile.
 *
 * <p><b>No silent fallback.</b> Every launch is checked afterwards: if Aparapi marked the device
 * failed or the kernel's target is no longer the pinned OpenCL device (Aparapi moved it to its
 * Java thread pool), the call throws {@code STRUCTURA-B004} even though Aparapi produced a result.
 *
 * <p>Thread-safe: launches of one kernel instance are serialised on that instance; different
 * routines run concurrently.
 */
final class OpenClBackend
    implements Backend, GemmRoutine, GemvRoutine, BatchedGemmRoutine, GramRoutine, Level1Routine, ElementwiseRoutine {
  /**
   * Default GEMM tile edge: a 16×16 block of C per work-group of 16×4 work-items (sdsyrk: 16×16 =
   * 256), within every GPU's work-group limit. See docs/performance.md for the tile measurements.
   */
  static final int DEFAULT_TILE = 16;
  /** Default work-group size of the vector kernels. */
  static final int DEFAULT_WORK_GROUP = 64;
  /** At most this many work-groups in the first stage of dot; the host adds their partial sums. */
  static final int DOT_GROUPS = 64;

  private final OpenClDevices.Info info;
  private final OpenCLDevice device;
  private final boolean fp64;
  private final int ts;
  private final int wg;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong launches = new AtomicLong();
  private final Set<PinnedKernel> compiled = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private final SgemmKernel sgemm;
  private final SgemvKernel sgemv;
  private final SgemvtKernel sgemvt;
  private final SdotKernel sdot;
  private final SaxpyKernel saxpy;
  private final SscalKernel sscal;
  private final DgemmKernel dgemm;
  private final DgemvKernel dgemv;
  private final DgemvtKernel dgemvt;
  private final DdotKernel ddot;
  private final DaxpyKernel daxpy;
  private final DscalKernel dscal;
  private final SdsyrkKernel sdsyrk;
  private final SsoftmaxKernel ssoftmax;
  private final SnormKernel snorm;
  private final SactivationKernel sactivation;
  /**
   * Stands in for an absent optional operand (mask, beta, up): Aparapi binds every array field
   * of a kernel on each launch, and a kernel only reads it when its flag says so. Never written.
   */
  private final float[] absent = new float[1];

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
    this.device = info.device();
    this.fp64 = info.fp64();
    int maxWg = Math.max(1, info.maxWorkGroupSize());
    // The GEMM kernels need a multiple of 4 (four rows per work-item); sdsyrk uses ts×ts
    // work-groups, so ts² must fit the work-group limit too.
    int t = Math.max(4, Integer.highestOneBit(Math.max(4, tile)));
    while (t > 4 && ((long) t * t > maxWg || 2L * t * t * Double.BYTES > info.localMemBytes())) {
      t /= 2;
    }
    this.ts = t;
    int w = Integer.highestOneBit(Math.max(1, workGroup));
    while (w > 1 && w > maxWg) {
      w /= 2;
    }
    this.wg = w;
    sgemm = new SgemmKernel(device, ts);
    sgemv = new SgemvKernel(device, wg);
    sgemvt = new SgemvtKernel(device, wg);
    sdot = new SdotKernel(device, wg);
    saxpy = new SaxpyKernel(device);
    sscal = new SscalKernel(device);
    ssoftmax = new SsoftmaxKernel(device, wg);
    snorm = new SnormKernel(device, wg);
    sactivation = new SactivationKernel(device);
    // Double kernels exist only on fp64 devices: Aparapi would refuse to build them anyway.
    dgemm = fp64 ? new DgemmKernel(device, ts) : null;
    dgemv = fp64 ? new DgemvKernel(device, wg) : null;
    dgemvt = fp64 ? new DgemvtKernel(device, wg) : null;
    ddot = fp64 ? new DdotKernel(device, wg) : null;
    daxpy = fp64 ? new DaxpyKernel(device) : null;
    dscal = fp64 ? new DscalKernel(device) : null;
    sdsyrk = fp64 ? new SdsyrkKernel(device, ts) : null;
  }

  @Override
  public String id() {
    return "opencl";
  }

  @Override
  public String describe() {
    return "OpenCL device [" + info.index() + "] " + info.name() + " (" + info.type() + ", " + info.computeUnits()
        + " compute units, fp64 " + (fp64 ? "yes" : "no") + "), " + info.platformVersion() + "; GEMM tile " + ts + "x" + ts
        + ", work-group " + wg;
  }

  @Override
  public Optional<GemmRoutine> gemm() {
    return Optional.of(this);
  }

  @Override
  public Optional<GemvRoutine> gemv() {
    return Optional.of(this);
  }

  @Override
  public Optional<BatchedGemmRoutine> batchedGemm() {
    return Optional.of(this);
  }

  @Override
  public Optional<GramRoutine> gram() {
    return Optional.of(this);
  }

  @Override
  public Optional<Level1Routine> level1() {
    return Optional.of(this);
  }

  @Override
  public Optional<ElementwiseRoutine> elementwise() {
    return Optional.of(this);
  }

  /** Every family in F32; F64 only on a device with fp64, and never for the F32-only elementwise family. */
  @Override
  public boolean supports(RoutineFamily family, DType dtype) {
    return switch (family) {
      case ELEMENTWISE -> dtype == DType.F32;
      case GEMM, GEMV, BATCHED_GEMM, GRAM, LEVEL1 -> dtype == DType.F32 || fp64;
    };
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (PinnedKernel k : kernels()) {
        synchronized (k) {
          k.dispose();
        }
      }
    }
  }

  /** The pinned device (tests). */
  OpenCLDevice device() {
    return device;
  }

  /** Kernel launches that completed on the pinned OpenCL device (tests, diagnostics). */
  long launches() {
    return launches.get();
  }

  /** GEMM tile edge in use. */
  int tile() {
    return ts;
  }

  /** The kernel instances of this backend. */
  List<PinnedKernel> kernels() {
    List<PinnedKernel> all = new ArrayList<>(List.of(sgemm, sgemv, sgemvt, sdot, saxpy, sscal, ssoftmax, snorm, sactivation));
    if (fp64) {
      all.addAll(List.of(dgemm, dgemv, dgemvt, ddot, daxpy, dscal, sdsyrk));
    }
    return all;
  }

  // ---------------------------------------------------------------- launching

  private static int roundUp(int x, int to) {
    return (x + to - 1) / to * to;
  }

  /**
   * Runs {@code kernel} over {@code range} on the pinned device and verifies it really ran
   * there. The caller holds the kernel's monitor (its fields are this launch's operands).
   */
  void launch(PinnedKernel kernel, Range range, String routine) {
    if (closed.get()) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "opencl: " + routine + " called on a closed backend.",
          "Open the backend again.");
    }
    if (!compiled.contains(kernel)) {
      try {
        // Compile-only never falls back: a kernel Aparapi cannot translate, or a device that
        // cannot build it, fails here with the reason instead of running on the thread pool.
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

  private StructuraException failed(String routine, String what, Throwable cause) {
    return new StructuraException(ErrorCode.BACKEND_FAILED, "opencl " + routine + ": " + what + ".",
        "Run with -Dcom.aparapi.logLevel=INFO to see Aparapi's log, check the OpenCL driver with 'clinfo', "
            + "or use another backend (--backend java).", cause);
  }

  private Range range3(int gx, int gy, int gz, int lx, int ly) {
    return Range.create3D(device, gx, gy, gz, lx, ly, 1);
  }

  private Range range1(int n, int local) {
    return Range.create(device, roundUp(n, local), local);
  }

  private void requireFp64(String routine) {
    if (!fp64) {
      // supports(F64) is false, so Compute never sends F64 work here; reaching this is a bug.
      throw new StructuraException(ErrorCode.BACKEND_FAILED,
          "opencl " + routine + ": device " + info.name() + " has no fp64.", "Use another backend for double precision.");
    }
  }

  // ---------------------------------------------------------------- GEMM, batched GEMM

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    sgemmStridedBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    dgemmStridedBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
    SgemmKernel g = sgemm;
    synchronized (g) {
      g.a = a;
      g.b = b;
      g.c = c;
      g.alpha = alpha;
      g.beta = beta;
      g.transA = transA ? 1 : 0;
      g.transB = transB ? 1 : 0;
      g.symmetric = 0;
      g.m = m;
      g.n = n;
      g.k = k;
      g.aOff = aOff;
      g.lda = lda;
      g.strideA = strideA;
      g.bOff = bOff;
      g.ldb = ldb;
      g.strideB = strideB;
      g.cOff = cOff;
      g.ldc = ldc;
      g.strideC = strideC;
      launch(g, range3(roundUp(n, ts), roundUp(m, ts) / 4, batch, ts, ts / 4), "sgemm");
      clear(g);
    }
  }

  @Override
  public void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch) {
    requireFp64("dgemm");
    DgemmKernel g = dgemm;
    synchronized (g) {
      g.a = a;
      g.b = b;
      g.c = c;
      g.alpha = alpha;
      g.beta = beta;
      g.transA = transA ? 1 : 0;
      g.transB = transB ? 1 : 0;
      g.symmetric = 0;
      g.m = m;
      g.n = n;
      g.k = k;
      g.aOff = aOff;
      g.lda = lda;
      g.strideA = strideA;
      g.bOff = bOff;
      g.ldb = ldb;
      g.strideB = strideB;
      g.cOff = cOff;
      g.ldc = ldc;
      g.strideC = strideC;
      launch(g, range3(roundUp(n, ts), roundUp(m, ts) / 4, batch, ts, ts / 4), "dgemm");
      clear(g);
    }
  }

  /** Drops references to caller arrays so a kernel does not keep them alive between calls. */
  private static void clear(SgemmKernel g) {
    g.a = null;
    g.b = null;
    g.c = null;
  }

  private static void clear(DgemmKernel g) {
    g.a = null;
    g.b = null;
    g.c = null;
  }

  // ---------------------------------------------------------------- Gram

  @Override
  public void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc) {
    SgemmKernel g = sgemm;
    synchronized (g) {
      // C = op(A)·op(A)ᵀ: op(A) = Aᵀ when trans, and the second factor is its transpose.
      g.a = a;
      g.b = a;
      g.c = c;
      g.alpha = alpha;
      g.beta = beta;
      g.transA = trans ? 1 : 0;
      g.transB = trans ? 0 : 1;
      g.symmetric = 1;
      g.m = n;
      g.n = n;
      g.k = k;
      g.aOff = aOff;
      g.lda = lda;
      g.strideA = 0;
      g.bOff = aOff;
      g.ldb = lda;
      g.strideB = 0;
      g.cOff = cOff;
      g.ldc = ldc;
      g.strideC = 0;
      launch(g, range3(roundUp(n, ts), roundUp(n, ts) / 4, 1, ts, ts / 4), "ssyrk");
      clear(g);
    }
  }

  @Override
  public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    requireFp64("dsyrk");
    DgemmKernel g = dgemm;
    synchronized (g) {
      g.a = a;
      g.b = a;
      g.c = c;
      g.alpha = alpha;
      g.beta = beta;
      g.transA = trans ? 1 : 0;
      g.transB = trans ? 0 : 1;
      g.symmetric = 1;
      g.m = n;
      g.n = n;
      g.k = k;
      g.aOff = aOff;
      g.lda = lda;
      g.strideA = 0;
      g.bOff = aOff;
      g.ldb = lda;
      g.strideB = 0;
      g.cOff = cOff;
      g.ldc = ldc;
      g.strideC = 0;
      launch(g, range3(roundUp(n, ts), roundUp(n, ts) / 4, 1, ts, ts / 4), "dsyrk");
      clear(g);
    }
  }

  @Override
  public void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    // Compute sends sdsyrk only where supports(GRAM, F64) holds: the accumulation is in double.
    requireFp64("sdsyrk");
    SdsyrkKernel g = sdsyrk;
    synchronized (g) {
      g.a = a;
      g.c = c;
      g.alpha = alpha;
      g.beta = beta;
      g.trans = trans ? 1 : 0;
      g.n = n;
      g.k = k;
      g.aOff = aOff;
      g.lda = lda;
      g.cOff = cOff;
      g.ldc = ldc;
      launch(g, range3(roundUp(n, ts), roundUp(n, ts), 1, ts, ts), "sdsyrk");
      g.a = null;
      g.c = null;
    }
  }

  // ---------------------------------------------------------------- GEMV

  @Override
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
    if (transA) {
      SgemvtKernel g = sgemvt;
      synchronized (g) {
        g.a = a;
        g.x = x;
        g.y = y;
        g.alpha = alpha;
        g.beta = beta;
        g.m = m;
        g.n = n;
        g.aOff = aOff;
        g.lda = lda;
        g.xOff = xOff;
        g.incX = incX;
        g.yOff = yOff;
        g.incY = incY;
        launch(g, range1(n, wg), "sgemv");  // one work-item per column
        g.a = null;
        g.x = null;
        g.y = null;
      }
      return;
    }
    SgemvKernel g = sgemv;
    synchronized (g) {
      g.a = a;
      g.x = x;
      g.y = y;
      g.alpha = alpha;
      g.beta = beta;
      g.m = m;
      g.n = n;
      g.aOff = aOff;
      g.lda = lda;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      // one work-group per row; rows in chunks so that the global size m·wg fits an int
      int chunk = Integer.MAX_VALUE / wg;
      for (int r0 = 0; r0 < m; r0 += chunk) {
        int rows = Math.min(chunk, m - r0);
        g.aOff = aOff + r0 * lda;
        g.yOff = yOff + r0 * incY;
        launch(g, Range.create(device, rows * wg, wg), "sgemv");
      }
      g.a = null;
      g.x = null;
      g.y = null;
    }
  }

  @Override
  public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY) {
    requireFp64("dgemv");
    if (transA) {
      DgemvtKernel g = dgemvt;
      synchronized (g) {
        g.a = a;
        g.x = x;
        g.y = y;
        g.alpha = alpha;
        g.beta = beta;
        g.m = m;
        g.n = n;
        g.aOff = aOff;
        g.lda = lda;
        g.xOff = xOff;
        g.incX = incX;
        g.yOff = yOff;
        g.incY = incY;
        launch(g, range1(n, wg), "dgemv");  // one work-item per column
        g.a = null;
        g.x = null;
        g.y = null;
      }
      return;
    }
    DgemvKernel g = dgemv;
    synchronized (g) {
      g.a = a;
      g.x = x;
      g.y = y;
      g.alpha = alpha;
      g.beta = beta;
      g.m = m;
      g.n = n;
      g.aOff = aOff;
      g.lda = lda;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      // one work-group per row; rows in chunks so that the global size m·wg fits an int
      int chunk = Integer.MAX_VALUE / wg;
      for (int r0 = 0; r0 < m; r0 += chunk) {
        int rows = Math.min(chunk, m - r0);
        g.aOff = aOff + r0 * lda;
        g.yOff = yOff + r0 * incY;
        launch(g, Range.create(device, rows * wg, wg), "dgemv");
      }
      g.a = null;
      g.x = null;
      g.y = null;
    }
  }

  // ---------------------------------------------------------------- level 1

  private int dotGroups(int n) {
    return Math.max(1, Math.min(DOT_GROUPS, (n + wg - 1) / wg));
  }

  @Override
  public float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    SdotKernel g = sdot;
    int groups = dotGroups(n);
    float[] partial = new float[groups];
    synchronized (g) {
      g.x = x;
      g.y = y;
      g.partial = partial;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      launch(g, Range.create(device, groups * wg, wg), "sdot");
      g.x = null;
      g.y = null;
      g.partial = null;
    }
    float sum = 0f;
    for (float p : partial) {
      sum += p;
    }
    return sum;
  }

  @Override
  public double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    requireFp64("ddot");
    DdotKernel g = ddot;
    int groups = dotGroups(n);
    double[] partial = new double[groups];
    synchronized (g) {
      g.x = x;
      g.y = y;
      g.partial = partial;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      launch(g, Range.create(device, groups * wg, wg), "ddot");
      g.x = null;
      g.y = null;
      g.partial = null;
    }
    double sum = 0;
    for (double p : partial) {
      sum += p;
    }
    return sum;
  }

  @Override
  public void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    SaxpyKernel g = saxpy;
    synchronized (g) {
      g.x = x;
      g.y = y;
      g.alpha = alpha;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      launch(g, range1(n, wg), "saxpy");
      g.x = null;
      g.y = null;
    }
  }

  @Override
  public void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    requireFp64("daxpy");
    DaxpyKernel g = daxpy;
    synchronized (g) {
      g.x = x;
      g.y = y;
      g.alpha = alpha;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      g.yOff = yOff;
      g.incY = incY;
      launch(g, range1(n, wg), "daxpy");
      g.x = null;
      g.y = null;
    }
  }

  @Override
  public void sscal(int n, float alpha, float[] x, int xOff, int incX) {
    SscalKernel g = sscal;
    synchronized (g) {
      g.x = x;
      g.alpha = alpha;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      launch(g, range1(n, wg), "sscal");
      g.x = null;
    }
  }

  @Override
  public void dscal(int n, double alpha, double[] x, int xOff, int incX) {
    requireFp64("dscal");
    DscalKernel g = dscal;
    synchronized (g) {
      g.x = x;
      g.alpha = alpha;
      g.n = n;
      g.xOff = xOff;
      g.incX = incX;
      launch(g, range1(n, wg), "dscal");
      g.x = null;
    }
  }

  // ---------------------------------------------------------------- elementwise (F32)

  /**
   * Rows per launch of the one-work-group-per-row kernels, so that the global size rows·wg fits
   * an int (the same chunking as GEMV).
   */
  private int rowChunk() {
    return Integer.MAX_VALUE / wg;
  }

  @Override
  public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    SsoftmaxKernel g = ssoftmax;
    synchronized (g) {
      g.x = x;
      g.mask = mask == null ? absent : mask;
      g.hasMask = mask == null ? 0 : 1;
      g.alpha = alpha;
      g.n = n;
      g.ld = ld;
      g.ldMask = ldMask;
      int chunk = rowChunk();
      for (int r0 = 0; r0 < m; r0 += chunk) {
        int rows = Math.min(chunk, m - r0);
        g.off = off + r0 * ld;
        g.maskOff = mask == null ? 0 : maskOff + r0 * ldMask;
        launch(g, Range.create(device, rows * wg, wg), "softmaxRows");
      }
      g.x = null;
      g.mask = null;
    }
  }

  @Override
  public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta, int betaOff,
      float eps) {
    norm(0, m, n, x, off, ld, gamma, gammaOff, beta, betaOff, eps, "layerNorm");
  }

  @Override
  public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps) {
    norm(1, m, n, x, off, ld, gamma, gammaOff, absent, 0, eps, "rmsNorm");
  }

  private void norm(int rms, int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta,
      int betaOff, float eps, String routine) {
    SnormKernel g = snorm;
    synchronized (g) {
      g.x = x;
      g.gamma = gamma;
      g.beta = beta;
      g.rms = rms;
      g.eps = eps;
      g.n = n;
      g.ld = ld;
      g.gammaOff = gammaOff;
      g.betaOff = betaOff;
      int chunk = rowChunk();
      for (int r0 = 0; r0 < m; r0 += chunk) {
        int rows = Math.min(chunk, m - r0);
        g.off = off + r0 * ld;
        launch(g, Range.create(device, rows * wg, wg), routine);
      }
      g.x = null;
      g.gamma = null;
      g.beta = null;
    }
  }

  @Override
  public void sgelu(int m, int n, float[] x, int off, int ld) {
    activation(SactivationKernel.GELU, m, n, x, off, ld, absent, 0, 0, "gelu");
  }

  @Override
  public void ssilu(int m, int n, float[] x, int off, int ld) {
    activation(SactivationKernel.SILU, m, n, x, off, ld, absent, 0, 0, "silu");
  }

  @Override
  public void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp) {
    activation(SactivationKernel.SWIGLU, m, n, gate, gateOff, ldGate, up, upOff, ldUp, "swiglu");
  }

  private void activation(int op, int m, int n, float[] x, int off, int ld, float[] up, int upOff, int ldUp,
      String routine) {
    SactivationKernel g = sactivation;
    synchronized (g) {
      g.x = x;
      g.up = up;
      g.op = op;
      g.m = m;
      g.n = n;
      g.off = off;
      g.ld = ld;
      g.upOff = upOff;
      g.ldUp = ldUp;
      // 2D: columns in work-groups of wg along dimension 0, one row per index of dimension 1,
      // so m·n may exceed an int while each dimension fits.
      launch(g, Range.create2D(device, roundUp(n, wg), m, wg, 1), routine);
      g.x = null;
      g.up = null;
    }
  }
}
