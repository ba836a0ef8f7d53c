package structura.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.ConfigKeys;
import structura.api.backend.Transpose;
import structura.testkit.BackendSuite;

/**
 * Side-by-side GEMM timing: the {@code opencl} backend on the CPU device (POCL) against the
 * reference backend {@code java}, square C = A·B in F32 and F64. Not part of the normal build;
 * run with
 * <pre>./mvnw -B -pl api,testkit,spi-opencl test -Dtest=OpenClGemmBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dstructura.bench=true</pre>
 * It writes a Markdown table to {@code spi-opencl/target/opencl-gemm-benchmark.md} (tests print
 * nothing). Each cell is the median of several runs after warm-up runs; the OpenCL time
 * includes what a caller pays: argument copies to and from the device and the launch. The two
 * results are also compared, so a wrong kernel cannot produce a fast number. Then the latency
 * of two small calls, and the GEMM tile edge at n = 512.
 */
@EnabledIfSystemProperty(named = "structura.bench", matches = "true")
class OpenClGemmBenchmark {
  private static final int[] SIZES = {64, 128, 256, 512, 1024};

  @Test
  void gemmOnPoclVersusReference() throws IOException {
    OpenClBackendProvider provider = new OpenClBackendProvider();
    BackendSuite.requireAvailable(provider);
    StringBuilder out = new StringBuilder();
    try (Compute cl = Compute.of(provider.open(
        BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build()), true)) {
      out.append("Device: ").append(cl.backend().describe()).append("\n");
      out.append("JVM: ").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
          .append(" processors\n\n");
      out.append("| dtype | n | java (ms) | opencl POCL (ms) | java GFLOP/s | opencl GFLOP/s | opencl / java time |\n");
      out.append("|---|---:|---:|---:|---:|---:|---:|\n");
      for (DType dtype : DType.values()) {
        for (int n : SIZES) {
          Matrix a = random(dtype, n, 1);
          Matrix b = random(dtype, n, 2);
          Matrix cRef = Matrix.zeros(dtype, n, n);
          Matrix cCl = Matrix.zeros(dtype, n, n);
          double tRef = median(() -> Compute.reference().gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, cRef), n);
          double tCl = median(() -> cl.gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, cCl), n);
          double tol = (dtype == DType.F32 ? 1e-6 : 1e-14) * 4 * n;
          for (int i = 0; i < n; i += 7) {
            for (int j = 0; j < n; j += 5) {
              assertEquals(cRef.get(i, j), cCl.get(i, j), tol, dtype + " n=" + n + " (" + i + ", " + j + ")");
            }
          }
          double flops = 2.0 * n * n * n;
          out.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", dtype, n, tRef * 1e3, tCl * 1e3,
              flops / tRef / 1e9, flops / tCl / 1e9, tCl / tRef));
        }
      }
    }
    out.append("\nLatency of small calls (the per-call cost: JNI, argument copies, launch):\n\n");
    out.append("| call | java (µs) | opencl POCL (µs) |\n|---|---:|---:|\n");
    try (Compute cl = Compute.of(provider.open(
        BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build()), true)) {
      Matrix x = random(DType.F32, 1, 1000, 3);
      Matrix a = random(DType.F32, 256, 4);
      Matrix v = random(DType.F32, 256, 1, 5);
      Matrix y = Matrix.zeros(DType.F32, 256, 1);
      out.append(String.format("| F32 dot, n = 1000 | %.1f | %.1f |%n",
          median(() -> Compute.reference().dot(x, x), 64) * 1e6, median(() -> cl.dot(x, x), 64) * 1e6));
      out.append(String.format("| F32 gemv, 256×256 | %.1f | %.1f |%n",
          median(() -> Compute.reference().gemv(Transpose.N, 1.0, a, v, 0.0, y), 64) * 1e6,
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

  /** Median seconds of a few runs after two warm-ups; fewer runs for large n. */
  private static double median(Runnable r, int n) {
    r.run();
    if (n < 1024) {
      r.run();
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
