package structura.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import structura.api.backend.BackendRegistry;
import structura.api.backend.Compute;
import structura.api.backend.ConfigKeys;
import structura.api.backend.ProviderReport;
import structura.api.backend.RadialKernel;
import structura.testkit.BackendSuite;

/**
 * Side-by-side kernel-product timing, {@code O = K(X, X)·V} with the Gaussian kernel, d = 3,
 * k = 1 and 4, N = m = n points: the {@code opencl} backend on the CPU device (POCL) against the
 * reference backend {@code java} and the SIMD backend {@code vector}, in kernel entries per
 * second (m·n / time). Not part of the normal build; run with
 * <pre>./mvnw -B -pl api,testkit,spi-cpu-vector,spi-opencl test -Dtest=OpenClPairwiseKernelBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dstructura.bench=true</pre>
 * ({@code -Dstructura.bench=true} adds the vector backend as a test dependency, see
 * {@link OpenClGemmBenchmark}); {@code -Dstructura.bench.sizes=2000,8000} picks N. It writes a
 * Markdown table to {@code spi-opencl/target/opencl-pairwise-kernel-benchmark.md}. Each cell is
 * the median of three runs after one warm-up run; the OpenCL time includes the argument copies
 * and the launch. Every result is compared with the reference, so a wrong kernel cannot produce
 * a fast number.
 */
@EnabledIfSystemProperty(named = "structura.bench", matches = "true")
class OpenClPairwiseKernelBenchmark {
  private static final String DEFAULT_SIZES = "2000,8000";

  @Test
  void gaussianProductsOnPoclVersusVectorAndReference() throws IOException {
    OpenClBackendProvider provider = new OpenClBackendProvider();
    BackendSuite.requireAvailable(provider);
    int[] sizes = Arrays.stream(System.getProperty("structura.bench.sizes", DEFAULT_SIZES).split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    BackendRegistry registry = BackendRegistry.discover();
    ProviderReport vectorReport = registry.find("vector").orElseThrow(() -> new AssertionError(
        "the vector backend is not in the module graph; run with -pl api,testkit,spi-cpu-vector,spi-opencl "
            + "-Dstructura.bench=true (see the class comment)"));
    assertTrue(vectorReport.available(), vectorReport.brief());
    RadialKernel gaussian = RadialKernel.of(RadialKernel.Kind.GAUSSIAN, 1.0);
    StringBuilder out = new StringBuilder();
    java.util.logging.Logger selection = java.util.logging.Logger.getLogger("structura.backend");
    java.util.logging.Level before = selection.getLevel();
    selection.setLevel(java.util.logging.Level.WARNING);  // tests print nothing
    try (Compute cl = Compute.of(provider.open(
        BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build()), true);
        Compute vec = registry.select(BackendConfig.builder().backend("vector").strict(true).build()).open()) {
      selection.setLevel(before);
      out.append("Device: ").append(cl.backend().describe()).append("\n");
      out.append("Vector: ").append(vec.backend().describe()).append("\n");
      out.append("JVM: ").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
          .append(" processors\n\n");
      out.append("| dtype | N | k | java (ms) | vector (ms) | opencl POCL (ms) | vector entries/s | opencl entries/s "
          + "| opencl / vector time |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (DType dtype : DType.values()) {
        for (int n : sizes) {
          for (int k : new int[] {1, 4}) {
            Matrix x = points(dtype, n, 3, 1);
            Matrix v = points(dtype, n, k, 2);
            Matrix oRef = Matrix.zeros(dtype, n, k);
            Matrix oVec = Matrix.zeros(dtype, n, k);
            Matrix oCl = Matrix.zeros(dtype, n, k);
            double tRef = median(() -> Compute.reference().kernelMultiply(gaussian, x, x, v, 0.0, oRef));
            double tVec = median(() -> vec.kernelMultiply(gaussian, x, x, v, 0.0, oVec));
            double tCl = median(() -> cl.kernelMultiply(gaussian, x, x, v, 0.0, oCl));
            // |K_ij·v_jc| ≤ 1: a sum's rounding error is below n²·u in the worst case and about
            // √n·u·Σ|K_ij·v_jc| ≤ n^1.5·u typically; 10·n·u sits between the two
            double tol = (dtype == DType.F32 ? 6e-8 : 1.2e-16) * 10 * n;
            for (int i = 0; i < n; i += 13) {
              for (int c = 0; c < k; c++) {
                assertEquals(oRef.get(i, c), oCl.get(i, c), tol, "opencl " + dtype + " N=" + n + " (" + i + ", " + c + ")");
                assertEquals(oRef.get(i, c), oVec.get(i, c), tol, "vector " + dtype + " N=" + n + " (" + i + ", " + c + ")");
              }
            }
            double entries = (double) n * n;
            out.append(String.format("| %s | %d | %d | %.1f | %.1f | %.1f | %.3g | %.3g | %.2f |%n", dtype, n, k, tRef * 1e3,
                tVec * 1e3, tCl * 1e3, entries / tVec, entries / tCl, tCl / tVec));
          }
        }
      }
    } finally {
      selection.setLevel(before);
    }
    Path file = Path.of("target", "opencl-pairwise-kernel-benchmark.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  private static Matrix points(DType dtype, int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  /** Median seconds of three runs after one warm-up run. */
  private static double median(Runnable r) {
    r.run();
    double[] t = new double[3];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) * 1e-9;
    }
    Arrays.sort(t);
    return t[1];
  }
}
