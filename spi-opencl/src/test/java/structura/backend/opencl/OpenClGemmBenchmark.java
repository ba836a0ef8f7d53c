package structura.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendRegistry;
import structura.api.backend.Compute;
import structura.api.backend.ConfigKeys;
import structura.api.backend.ProviderReport;
import structura.api.backend.Transpose;
import structura.testkit.BackendSuite;

/**
 * Side-by-side GEMM timing: the {@code opencl} backend on the CPU device (POCL) against the
 * reference backend {@code java} and the SIMD backend {@code vector}, square C = A·B in F32 and
 * F64: the measurement behind "auto ranks a CPU OpenCL device below the CPU backends". Not part
 * of the normal build; run with
 * <pre>./mvnw -B -pl api,testkit,spi-cpu-vector,spi-opencl test -Dtest=OpenClGemmBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dstructura.bench=true</pre>
 * {@code -Dstructura.bench=true} also activates the {@code bench} profile of this module's POM,
 * which adds the vector backend as a test dependency; it is found through
 * {@link BackendRegistry} by id (no compile-time dependency) and opened strict, so a routine it
 * lacks fails instead of timing the reference. {@code -Dstructura.bench.sizes=64,256} picks the
 * sizes (default 64, 256, 1024).
 *
 * <p>It writes a Markdown table to {@code spi-opencl/target/opencl-gemm-benchmark.md} (tests
 * print nothing). Each cell is the median of several runs after warm-up runs; the OpenCL time
 * includes what a caller pays: argument copies to and from the device and the launch. All
 * results are compared with the reference, so a wrong kernel cannot produce a fast number. Then
 * the latency of two small calls, and the GEMM tile edge at n = 512.
 */
@EnabledIfSystemProperty(named = "structura.bench", matches = "true")
class OpenClGemmBenchmark {
  private static final String DEFAULT_SIZES = "64,256,1024";
  /** Consumes the dot products, so that C2 cannot drop a call whose result is unused. */
  private static volatile double sink;

  @Test
  void gemmOnPoclVersusReference() throws IOException {
    OpenClBackendProvider provider = new OpenClBackendProvider();
    BackendSuite.requireAvailable(provider);
    int[] sizes = Arrays.stream(System.getProperty("structura.bench.sizes", DEFAULT_SIZES).split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    BackendRegistry registry = BackendRegistry.discover();
    ProviderReport vectorReport = registry.find("vector").orElseThrow(() -> new AssertionError(
        "the vector backend is not in the module graph; run with -pl api,testkit,spi-cpu-vector,spi-opencl "
            + "-Dstructura.bench=true (see the class comment)"));
    assertTrue(vectorReport.available(), vectorReport.brief());
    StringBuilder out = new StringBuilder();
    try (Compute cl = Compute.of(provider.open(
        BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build()), true);
        Compute vec = quietly(() -> registry.select(BackendConfig.builder().backend("vector").strict(true).build()).open())) {
      out.append("Device: ").append(cl.backend().describe()).append("\n");
      out.append("Vector: ").append(vec.backend().describe()).append("\n");
      out.append("JVM: ").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
          .append(" processors\n\n");
      out.append("| dtype | n | java (ms) | vector (ms) | opencl POCL (ms) | vector GFLOP/s | opencl GFLOP/s "
          + "| opencl / vector time | opencl / java time |\n");
      out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      // The vector backend's kernels need a few hundred calls before C2 has compiled them (the
      // first 64×64 calls took 0.2–15 ms instead of 0.06 ms); warm every backend up on n = 256
      // first, so that the per-cell warm-up only has to settle caches.
      for (DType dtype : DType.values()) {
        Matrix a = random(dtype, 256, 1);
        Matrix b = random(dtype, 256, 2);
        Matrix c = Matrix.zeros(dtype, 256, 256);
        for (Compute backend : List.of(Compute.reference(), vec, cl)) {
          long end = System.nanoTime() + 2_000_000_000L;
          do {
            backend.gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, c);
          } while (System.nanoTime() < end);
        }
      }
      for (DType dtype : DType.values()) {
        for (int n : sizes) {
          Matrix a = random(dtype, n, 1);
          Matrix b = random(dtype, n, 2);
          Matrix cRef = Matrix.zeros(dtype, n, n);
          Matrix cVec = Matrix.zeros(dtype, n, n);
          Matrix cCl = Matrix.zeros(dtype, n, n);
          double tRef = median(() -> Compute.reference().gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, cRef), n);
          double tVec = median(() -> vec.gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, cVec), n);
          double tCl = median(() -> cl.gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, cCl), n);
          double tol = (dtype == DType.F32 ? 1e-6 : 1e-14) * 4 * n;
          for (int i = 0; i < n; i += 7) {
            for (int j = 0; j < n; j += 5) {
              assertEquals(cRef.get(i, j), cCl.get(i, j), tol, "opencl " + dtype + " n=" + n + " (" + i + ", " + j + ")");
              assertEquals(cRef.get(i, j), cVec.get(i, j), tol, "vector " + dtype + " n=" + n + " (" + i + ", " + j + ")");
            }
          }
          double flops = 2.0 * n * n * n;
          out.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", dtype, n, tRef * 1e3,
              tVec * 1e3, tCl * 1e3, flops / tVec / 1e9, flops / tCl / 1e9, tCl / tVec, tCl / tRef));
        }
      }
    }
    out.append("\nLatency of small calls (the per-call cost: JNI, argument copies, launch):\n\n");
    out.append("| call | java (µs) | vector (µs) | opencl POCL (µs) |\n|---|---:|---:|---:|\n");
    try (Compute cl = Compute.of(provider.open(
        BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build()), true);
        Compute vec = quietly(() -> registry.select(BackendConfig.builder().backend("vector").strict(true).build()).open())) {
      Matrix x = random(DType.F32, 1, 1000, 3);
      Matrix a = random(DType.F32, 256, 4);
      Matrix v = random(DType.F32, 256, 1, 5);
      Matrix y = Matrix.zeros(DType.F32, 256, 1);
      out.append(String.format("| F32 dot, n = 1000 | %.1f | %.1f | %.1f |%n",
          median(() -> sink += Compute.reference().dot(x, x), 64) * 1e6, median(() -> sink += vec.dot(x, x), 64) * 1e6,
          median(() -> sink += cl.dot(x, x), 64) * 1e6));
      out.append(String.format("| F32 gemv, 256×256 | %.1f | %.1f | %.1f |%n",
          median(() -> Compute.reference().gemv(Transpose.N, 1.0, a, v, 0.0, y), 64) * 1e6,
          median(() -> vec.gemv(Transpose.N, 1.0, a, v, 0.0, y), 64) * 1e6,
          median(() -> cl.gemv(Transpose.N, 1.0, a, v, 0.0, y), 64) * 1e6));
    }
    out.append("\nGEMM tile edge (F32, n = 512, opencl POCL):\n\n| tile | ms | GFLOP/s |\n|---:|---:|---:|\n");
    OpenClDevices.Info cpu = OpenClDevices.list().stream().filter(d -> d.type().equals("CPU")).findFirst().orElseThrow();
    for (int tile : new int[] {8, 16, 32}) {
      try (Compute cl = Compute.of(new OpenClBackend(cpu, tile, OpenClBackend.DEFAULT_WORK_GROUP), true)) {
        Matrix a = random(DType.F32, 512, 1);
        Matrix b = random(DType.F32, 512, 2);
        Matrix c = Matrix.zeros(DType.F32, 512, 512);
        double t = median(() -> cl.gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, c), 512);
        out.append(String.format("| %d | %.1f | %.2f |%n", tile, t * 1e3, 2.0 * 512 * 512 * 512 / t / 1e9));
      }
    }
    Path file = Path.of("target", "opencl-gemm-benchmark.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  /** Runs {@code open} with the backend selection's INFO log line suppressed (tests print nothing). */
  private static Compute quietly(java.util.function.Supplier<Compute> open) {
    java.util.logging.Logger structura = java.util.logging.Logger.getLogger("structura.backend");
    java.util.logging.Level before = structura.getLevel();
    structura.setLevel(java.util.logging.Level.WARNING);
    try {
      return open.get();
    } finally {
      structura.setLevel(before);
    }
  }

  private static Matrix random(DType dtype, int n, long seed) {
    return random(dtype, n, n, seed);
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

  /**
   * Median seconds of a few runs after warm-up; fewer runs for large n. Below n = 1024 the
   * warm-up lasts at least 0.3 s, enough for the small calls of the latency table to be compiled
   * (the GEMM kernels are warmed up before the table).
   */
  private static double median(Runnable r, int n) {
    r.run();
    if (n < 1024) {
      long end = System.nanoTime() + 300_000_000L;
      do {
        r.run();
      } while (System.nanoTime() < end);
    }
    int runs = n >= 1024 ? 3 : n >= 512 ? 5 : 11;
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) * 1e-9;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }
}
