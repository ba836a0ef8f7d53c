package structura.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Availability;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendRegistry;
import structura.api.backend.BackendSelection;
import structura.api.backend.BackendUnavailableException;
import structura.api.backend.Compute;
import structura.api.backend.ConfigKeys;
import structura.api.backend.ProviderReport;
import structura.api.backend.RadialKernel;
import structura.api.backend.RoutineFamily;
import structura.api.backend.Transpose;
import structura.backend.opencl.kernels.PinnedKernel;
import structura.backend.opencl.kernels.UntranslatableKernel;
import structura.testkit.BackendSuite;

/**
 * Proof that the routines run on OpenCL (and on the device asked for), that the probe reports
 * what it found, and that every way of not running on OpenCL is an exception, never a silent
 * Java fallback.
 */
class OpenClBackendTest {

  private static OpenClBackend openCpu() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    BackendSuite.requireAvailable(p);
    return (OpenClBackend) p.open(BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build());
  }

  private static Matrix random(DType dtype, int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  private static void assertClose(Matrix want, Matrix got, double tol) {
    for (int i = 0; i < want.rows(); i++) {
      for (int j = 0; j < want.cols(); j++) {
        assertEquals(want.get(i, j), got.get(i, j), tol, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void routinesRunOnTheOpenClCpuDeviceNotOnAparapisThreadPool() {
    OpenClBackend backend = openCpu();
    try (Compute compute = Compute.of(backend, true)) {
      OpenCLDevice device = backend.device();
      assertEquals(Device.TYPE.CPU, device.getType(), "structura.opencl.device=cpu must pin a CPU device");
      for (DType dtype : DType.values()) {
        Matrix a = random(dtype, 37, 29, 1);
        Matrix b = random(dtype, 29, 41, 2);
        Matrix c = compute.multiply(Transpose.N, a, Transpose.N, b);
        assertClose(Compute.reference().multiply(Transpose.N, a, Transpose.N, b), c, dtype == DType.F32 ? 1e-4 : 1e-12);
        Matrix x = random(dtype, 29, 1, 3);
        Matrix y = Matrix.zeros(dtype, 37, 1);
        compute.gemv(Transpose.N, 1.0, a, x, 0.0, y);
        Matrix g = Matrix.zeros(dtype, 29, 29);
        compute.gram(Transpose.T, 1.0, a, 0.0, g);
        compute.dot(x, x);
        compute.axpy(0.5, x, x);
        compute.scale(2.0, x);
        // kernel products: the 37 rows of a as targets against 23 sources in d = 29
        Matrix sources = random(dtype, 23, 29, 9);
        Matrix vectors = random(dtype, 23, 6, 10);
        RadialKernel matern = RadialKernel.of(RadialKernel.Kind.MATERN_52, 1.5);
        Matrix products = Matrix.zeros(dtype, 37, 6);
        compute.kernelMultiply(matern, a, sources, vectors, 0.0, products);
        Matrix wantProducts = Matrix.zeros(dtype, 37, 6);
        Compute.reference().kernelMultiply(matern, a, sources, vectors, 0.0, wantProducts);
        assertClose(wantProducts, products, dtype == DType.F32 ? 1e-5 : 1e-13);
      }
      // the elementwise family (F32 only): each call one launch, each result checked
      Matrix z = random(DType.F32, 7, 90, 4);
      Matrix mask = random(DType.F32, 1, 90, 5);
      mask.set(0, 3, -Float.MAX_VALUE);
      Matrix gamma = random(DType.F32, 1, 90, 6);
      Matrix beta = random(DType.F32, 1, 90, 7);
      Matrix up = random(DType.F32, 7, 90, 8);
      List<java.util.function.BiConsumer<Compute, Matrix>> ops = List.of(
          (cp, v) -> cp.softmaxRows(0.5, v, mask), (cp, v) -> cp.gelu(v), (cp, v) -> cp.silu(v),
          (cp, v) -> cp.swiglu(v, up), (cp, v) -> cp.layerNorm(v, gamma, beta, 1e-5), (cp, v) -> cp.rmsNorm(v, gamma, 1e-5));
      for (java.util.function.BiConsumer<Compute, Matrix> op : ops) {
        Matrix got = z.copy();
        Matrix want = z.copy();
        op.accept(compute, got);
        op.accept(Compute.reference(), want);
        assertClose(want, got, 1e-5);
      }
      assertEquals(14 + ops.size(), backend.launches(), "every routine call is one verified OpenCL launch");
      // Aparapi's profiles are per kernel class and process: every device any instance of the
      // class ever ran on. The classes used above must list the pinned device, and no class may
      // list a non-OpenCL device (the Java thread pool).
      List<String> usedAbove = List.of("F32GemmKernel", "F32GemvKernel", "F32DotKernel", "F32AxpyKernel", "F32ScalKernel",
          "F64GemmKernel", "F64GemvKernel", "F64DotKernel", "F64AxpyKernel", "F64ScalKernel", "F32SoftmaxKernel", "F32NormKernel",
          "F32ActivationKernel", "F32PairwiseKernel", "F64PairwiseKernel");
      for (PinnedKernel k : backend.kernels()) {
        String name = k.getClass().getSimpleName();
        Collection<Device> ran = KernelManager.instance().getProfile(k.getClass()).getDevices();
        for (Device d : ran) {
          assertInstanceOf(OpenCLDevice.class, d, name + " ran on " + d.getShortDescription());
        }
        if (usedAbove.contains(name)) {
          assertTrue(ran.contains(device), name + " never ran on the pinned device");
          assertTrue(k.isRunningCL(), name + " is not targeting OpenCL");
          assertEquals(device, k.getTargetDevice());
        }
      }
    }
  }

  @Test
  void softmaxOfFullyMaskedRowsIsUniformAndActivationsSaturateWithoutNaN() {
    OpenClBackend backend = openCpu();
    try (Compute compute = Compute.of(backend, true)) {
      int n = 70;
      Matrix x = random(DType.F32, 3, n, 31);
      Matrix mask = Matrix.zeros(DType.F32, 3, n);
      for (int j = 0; j < n; j++) {
        mask.set(0, j, -Float.MAX_VALUE);  // row 0: every key masked, z ≈ −3.4e38, finite
        mask.set(1, j, -Float.MAX_VALUE);  // row 1: masked and x = −1e38, so z overflows to −∞
        x.set(1, j, -1e38);
        mask.set(2, j, j == 5 ? 0 : -Float.MAX_VALUE);  // row 2: one key left
      }
      compute.softmaxRows(1.0, x, mask);
      for (int j = 0; j < n; j++) {
        assertEquals(1.0 / n, x.get(0, j), 1e-7, "row 0, " + j);
        assertEquals(1.0 / n, x.get(1, j), 1e-7, "row 1, " + j);
        assertEquals(j == 5 ? 1.0 : 0.0, x.get(2, j), 0.0, "row 2, " + j);
      }
      double[] extremes = {-1e30, -1e4, -100, -20, -6, -1e-30, 0, 1e-30, 6, 20, 100, 1e4, 1e30};
      Matrix a = Matrix.zeros(DType.F32, 1, extremes.length);
      for (int j = 0; j < extremes.length; j++) {
        a.set(0, j, extremes[j]);
      }
      for (boolean gelu : new boolean[] {true, false}) {
        Matrix got = a.copy();
        Matrix want = a.copy();
        if (gelu) {
          compute.gelu(got);
          Compute.reference().gelu(want);
        } else {
          compute.silu(got);
          Compute.reference().silu(want);
        }
        for (int j = 0; j < extremes.length; j++) {
          double w = want.get(0, j);
          assertEquals(w, got.get(0, j), 1e-6 * Math.max(1, Math.abs(w)), (gelu ? "gelu(" : "silu(") + extremes[j] + ")");
        }
      }
    }
  }

  @Test
  void probeNamesPlatformDeviceVersionAndFp64AndListsDevicesWithIndices() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    BackendSuite.requireAvailable(p);
    String detail = p.probe().summary();
    assertTrue(detail.contains("[0] "), detail);
    assertTrue(detail.contains("OpenCL "), detail);
    assertTrue(detail.contains("fp64 yes") || detail.contains("fp64 no"), detail);
    assertTrue(detail.contains("platform '"), detail);
    List<OpenClDevices.Info> devices = OpenClDevices.list();
    for (OpenClDevices.Info d : devices) {
      assertTrue(detail.contains("[" + d.index() + "] " + d.name()), detail);
    }
  }

  @Test
  void priorityIsAcceleratorOnlyForGpuDevices() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    assertEquals(BackendPriority.EXPLICIT_ONLY, p.priority(), "before probing, never win auto");
    BackendSuite.requireAvailable(p);
    List<OpenClDevices.Info> devices = OpenClDevices.list();
    boolean accelerator = devices.stream().anyMatch(OpenClDevices.Info::accelerator);
    assertEquals(accelerator ? BackendPriority.ACCELERATOR : BackendPriority.EXPLICIT_ONLY, p.priority());
    for (OpenClDevices.Info d : devices) {
      assertEquals(d.type().equals("CPU") ? BackendPriority.EXPLICIT_ONLY : BackendPriority.ACCELERATOR, d.priority(),
          d.line());
    }
    assertTrue(BackendPriority.EXPLICIT_ONLY < BackendPriority.REFERENCE, "a CPU device must lose to java in auto");
  }

  @Test
  void autoSelectionSkipsACpuDeviceButANamedRequestOpensIt() {
    BackendSuite.requireAvailable(new OpenClBackendProvider());
    BackendRegistry registry = BackendRegistry.discover();
    ProviderReport report = registry.find("opencl").orElseThrow();
    assertTrue(report.available(), report.brief());
    // This test's module graph holds the java and opencl backends only.
    boolean accelerator = OpenClDevices.list().stream().anyMatch(OpenClDevices.Info::accelerator);
    // auto logs its choice at INFO; keep the test output clean
    Logger structura = Logger.getLogger("structura.backend");
    Level before = structura.getLevel();
    structura.setLevel(Level.WARNING);
    BackendSelection auto;
    try {
      auto = registry.select(BackendConfig.builder().backend("auto").build());
    } finally {
      structura.setLevel(before);
    }
    assertEquals(accelerator ? "opencl" : "java", auto.chosen().id(), auto.explanation());
    assertTrue(auto.explanation().contains("opencl"), "the log line says why opencl was skipped: " + auto.explanation());
    BackendSelection named = registry.select(
        BackendConfig.builder().backend("opencl").property(ConfigKeys.OPENCL_DEVICE, "cpu").build());
    assertEquals("opencl", named.chosen().id());
    try (Compute compute = named.open()) {
      Matrix a = random(DType.F32, 5, 3, 21);
      Matrix b = random(DType.F32, 3, 4, 22);
      assertClose(Compute.reference().multiply(Transpose.N, a, Transpose.N, b),
          compute.multiply(Transpose.N, a, Transpose.N, b), 1e-5);
    }
  }

  @Test
  void f64IsSupportedExactlyWhenTheDeviceHasFp64() {
    OpenClBackend backend = openCpu();
    try {
      boolean fp64 = OpenClDevices.list().get(0).fp64();
      for (RoutineFamily f : RoutineFamily.values()) {
        assertTrue(backend.supports(f, DType.F32));
        // the elementwise family is F32 only in the SPI, whatever the device
        assertEquals(fp64 && f != RoutineFamily.ELEMENTWISE, backend.supports(f, DType.F64), f.name());
      }
    } finally {
      backend.close();
    }
  }

  @Test
  void aDeviceWithoutFp64RefusesF64SoComputeFallsBackOrFailsInStrictMode() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    BackendSuite.requireAvailable(p);
    OpenClDevices.Info real = OpenClDevices.list().get(0);
    // The same device, described as lacking fp64: what a consumer GPU without doubles looks like.
    OpenClDevices.Info noFp64 = new OpenClDevices.Info(real.index(), real.platform(), real.platformVersion(), real.name(),
        real.type(), real.computeUnits(), real.maxWorkGroupSize(), real.localMemBytes(), real.globalMemBytes(), false,
        real.device());
    Matrix a = random(DType.F64, 9, 7, 11);
    Matrix b = random(DType.F64, 7, 5, 12);
    try (Compute strict = Compute.of(new OpenClBackend(noFp64), true)) {
      assertFalse(strict.backend().supports(RoutineFamily.GEMM, DType.F64));
      assertTrue(strict.backend().supports(RoutineFamily.GEMM, DType.F32));
      StructuraException e = assertThrows(StructuraException.class,
          () -> strict.multiply(Transpose.N, a, Transpose.N, b));
      assertEquals(ErrorCode.ROUTINE_MISSING_STRICT, e.code());
      Matrix x = random(DType.F32, 13, 6, 13);
      Matrix g = Matrix.zeros(DType.F64, 6, 6);
      StructuraException f = assertThrows(StructuraException.class, () -> strict.gram(Transpose.T, 1.0, x, 0.0, g));
      assertEquals(ErrorCode.ROUTINE_MISSING_STRICT, f.code(), "sdsyrk accumulates in F64");
    }
    // The lenient path logs its one-time fallback warnings; keep the test output clean.
    Logger structura = Logger.getLogger("structura.backend");
    Level before = structura.getLevel();
    structura.setLevel(Level.OFF);
    try (Compute lenient = Compute.of(new OpenClBackend(noFp64), false)) {
      assertClose(Compute.reference().multiply(Transpose.N, a, Transpose.N, b), lenient.multiply(Transpose.N, a, Transpose.N, b),
          1e-12);
      Matrix x = random(DType.F32, 13, 6, 13);
      Matrix g = Matrix.zeros(DType.F64, 6, 6);
      Matrix gRef = Matrix.zeros(DType.F64, 6, 6);
      lenient.gram(Transpose.T, 1.0, x, 0.0, g);
      Compute.reference().gram(Transpose.T, 1.0, x, 0.0, gRef);
      assertClose(gRef, g, 1e-12);
    } finally {
      structura.setLevel(before);
    }
  }

  @Test
  void aDeviceIndexThatDoesNotExistIsAClearErrorNotAFallback() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    BackendSuite.requireAvailable(p);
    BackendConfig config = BackendConfig.builder().property(ConfigKeys.OPENCL_DEVICE, "99").build();
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> p.open(config));
    assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("index 99"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("[0] "), "the message lists the devices: " + e.getMessage());
    assertTrue(e.getMessage().contains("pocl-opencl-icd"), "the remedy says what to install: " + e.getMessage());
  }

  @Test
  void aDeviceValueThatIsNoDeviceIsAConfigurationError() {
    OpenClBackendProvider p = new OpenClBackendProvider();
    BackendSuite.requireAvailable(p);
    BackendConfig config = BackendConfig.builder().property(ConfigKeys.OPENCL_DEVICE, "tpu").build();
    StructuraException e = assertThrows(StructuraException.class, () -> p.open(config));
    assertEquals(ErrorCode.INVALID_CONFIGURATION, e.code());
    assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
  }

  @Test
  void noOpenClRuntimeMeansUnavailableWithReasonAndRemedy() {
    // Without an OpenCL runtime the probe must say so; with one, selection must not crash on
    // an empty device list either. Both use the same code path as probe().
    String[] why = new String[1];
    assertTrue(OpenClDevices.select(List.of(), "auto", "test", why).isEmpty());
    assertTrue(why[0].contains("no OpenCL device"), why[0]);
    OpenClBackendProvider p = new OpenClBackendProvider();
    Availability a = p.probe();
    if (a instanceof Availability.Unavailable u) {
      assertFalse(u.reason().isBlank());
      assertTrue(u.remedies().stream().anyMatch(r -> r.contains("pocl-opencl-icd")), u.remedies().toString());
    } else {
      assertTrue(OpenClDevices.runtimeLoaded());
    }
  }

  @Test
  void aKernelAparapiCannotTranslateFailsInsteadOfRunningInJava() {
    OpenClBackend backend = openCpu();
    Logger aparapi = Logger.getLogger("com.aparapi.logLevel");  // Aparapi logs under its property name
    Level before = aparapi.getLevel();
    // Aparapi prints a warning and a stack trace on fallback; keep the test output clean.
    aparapi.setLevel(Level.OFF);
    try {
      OpenCLDevice device = backend.device();
      // Through the backend: the compile-only step refuses the kernel up front.
      UntranslatableKernel viaBackend = new UntranslatableKernel(device);
      StructuraException e = assertThrows(StructuraException.class,
          () -> backend.launcher().launch(viaBackend, Range.create(device, 8, 8), "test"));
      assertEquals(ErrorCode.BACKEND_FAILED, e.code());
      assertTrue(e.getMessage().contains("UntranslatableKernel"), e.getMessage());

      // Straight through Aparapi with a range that names no device: Aparapi quietly runs the
      // kernel on its Java thread pool (the values appear), and the backend's check catches it.
      UntranslatableKernel direct = new UntranslatableKernel(device);
      direct.execute(Range.create(8, 8));
      assertEquals(8f, direct.out[7], "Aparapi computed the result in Java");
      StructuraException f = assertThrows(StructuraException.class, () -> backend.launcher().verifyRanOnDevice(direct, "test"));
      assertEquals(ErrorCode.BACKEND_FAILED, f.code());
      assertTrue(f.getMessage().contains("did not run on OpenCL"), f.getMessage());
      direct.dispose();
    } finally {
      aparapi.setLevel(before);
      backend.close();
    }
  }

  @Test
  void routinesAreThreadSafe() throws Exception {
    OpenClBackend backend = openCpu();
    try (Compute compute = Compute.of(backend, true)) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int seed = t;
          futures.add(pool.submit(() -> {
            for (int round = 0; round < 5; round++) {
              // two threads share each dtype, so launches of one kernel instance interleave
              DType dtype = seed % 2 == 0 ? DType.F32 : DType.F64;
              Matrix a = random(dtype, 23 + seed, 17, 100L * seed + round);
              Matrix b = random(dtype, 17, 19 + round, 100L * seed + round + 50);
              Matrix c = compute.multiply(Transpose.N, a, Transpose.N, b);
              assertClose(Compute.reference().multiply(Transpose.N, a, Transpose.N, b), c,
                  dtype == DType.F32 ? 1e-4 : 1e-12);
              Matrix x = random(dtype, 17, 1, seed + round);
              Matrix y = Matrix.zeros(dtype, 23 + seed, 1);
              Matrix yRef = Matrix.zeros(dtype, 23 + seed, 1);
              compute.gemv(Transpose.N, 1.0, a, x, 0.0, y);
              Compute.reference().gemv(Transpose.N, 1.0, a, x, 0.0, yRef);
              assertClose(yRef, y, dtype == DType.F32 ? 1e-4 : 1e-12);
            }
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
          f.get();  // rethrows an assertion failure from a worker
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(40, backend.launches());
    }
  }

  @Test
  void aparapisChangeToRootHandlerLevelsIsUndone() {
    java.util.logging.Handler handler = new java.util.logging.StreamHandler();
    handler.setLevel(Level.INFO);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    try {
      // What Aparapi's Config initialiser does to every root handler.
      String r = OpenClDevices.preservingRootHandlerLevels(() -> {
        handler.setLevel(Level.WARNING);
        return "done";
      });
      assertEquals("done", r);
      assertEquals(Level.INFO, handler.getLevel());
    } finally {
      root.removeHandler(handler);
    }
  }

  @Test
  void closeIsIdempotentAndAClosedBackendRefusesWork() {
    OpenClBackend backend = openCpu();
    assertFalse(backend.describe().isBlank());
    assertNotNull(backend.device());
    backend.close();
    backend.close();
    float[] x = {1f, 2f};
    StructuraException e = assertThrows(StructuraException.class, () -> backend.level1().orElseThrow().sscal(2, 2f, x, 0, 1));
    assertEquals(ErrorCode.BACKEND_FAILED, e.code());
  }
}
