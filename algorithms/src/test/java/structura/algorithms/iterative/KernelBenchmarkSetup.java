package structura.algorithms.iterative;

import dev.ludovic.netlib.lapack.LAPACK;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import structura.algorithms.kernel.KernelFunction;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/**
 * What the two Krylov-against-LAPACK mains share ({@link CgKernelLapackBenchmark},
 * {@link CiqLapackBenchmark}): the seeded point set, the {@code vector} backend, the dense kernel
 * matrix for LAPACK, a description of the LAPACK library in use, and timing. Not a test.
 */
final class KernelBenchmarkSetup {
  private KernelBenchmarkSetup() {}

  /**
   * n points in 3-D from a seeded Gaussian mixture: 12 components, centres uniform in the unit
   * cube, isotropic standard deviation 0.08 each, equal weights. Clustered like real spatial
   * data (the bunny of {@code scripts/fetch-bunny.sh} has only 1,839 points), so the kernel
   * matrix has both near-duplicate rows and weakly coupled clusters.
   */
  static Matrix gaussianMixture(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int components = 12;
    double[][] centres = new double[components][3];
    for (double[] c : centres) {
      for (int t = 0; t < 3; t++) {
        c[t] = rnd.nextDouble();
      }
    }
    Matrix x = Matrix.zeros(DType.F64, n, 3);
    for (int i = 0; i < n; i++) {
      double[] c = centres[rnd.nextInt(components)];
      for (int t = 0; t < 3; t++) {
        x.set(i, t, c[t] + 0.08 * rnd.nextGaussian());
      }
    }
    return x;
  }

  static Matrix gaussian(int n, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix b = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        b.set(i, j, rnd.nextGaussian());
      }
    }
    return b;
  }

  /** The {@code vector} backend, strict, with {@code threads} workers (needs {@code --add-modules jdk.incubator.vector}). */
  static Compute vectorBackend(int threads) {
    return Compute.open(BackendConfig.builder().backend("vector").strict(true).threads(threads).build());
  }

  /**
   * K + σ²I as a dense n×n F64 array, each entry k(x_i, x_j) in double as the library's F64
   * formula ({@code RadialKernel.ofSquaredDistance}); symmetric, so row- and column-major agree.
   * Rows in parallel on the common pool.
   */
  static double[] denseKernel(KernelFunction kernel, Matrix points, double noise) {
    int n = points.rows();
    Matrix s = kernel.scale(points).toDType(DType.F64);
    double[] p = s.copy().f64();
    double[] a = new double[Math.multiplyExact(n, n)];
    IntStream.range(0, n).parallel().forEach(i -> {
      double xi = p[3 * i];
      double yi = p[3 * i + 1];
      double zi = p[3 * i + 2];
      long row = (long) i * n;
      for (int j = 0; j < n; j++) {
        double dx = xi - p[3 * j];
        double dy = yi - p[3 * j + 1];
        double dz = zi - p[3 * j + 2];
        a[(int) (row + j)] = kernel.radial().ofSquaredDistance(dx * dx + dy * dy + dz * dz);
      }
      a[(int) (row + i)] += noise;
    });
    return a;
  }

  /**
   * The LAPACK implementation class dev.ludovic.netlib picked and, when it is native OpenBLAS,
   * {@code openblas_get_corename()}, {@code openblas_get_config()} and the thread count.
   */
  static String describeLapack(LAPACK lapack) {
    String impl = lapack.getClass().getSimpleName();
    try {
      SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
      Linker linker = Linker.nativeLinker();
      MethodHandle core = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS));
      MethodHandle config = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS));
      MethodHandle threads = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT));
      String coreName = ((MemorySegment) core.invokeExact()).reinterpret(256).getString(0);
      String configName = ((MemorySegment) config.invokeExact()).reinterpret(256).getString(0);
      return impl + " over OpenBLAS (core " + coreName + ", config '" + configName.trim() + "', "
          + (int) threads.invokeExact() + " threads)";
    } catch (Throwable notOpenBlas) {
      return impl + " (libopenblas.so.0 not found: " + notOpenBlas.getMessage() + ")";
    }
  }

  /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "?" where there is none. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  /** ‖a − b‖/‖b‖ over all entries. */
  static double relativeError(double[] a, double[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  record Timed<T>(T value, double seconds) {}

  /** A result with its wall time and the CPU time of the whole process (every thread, native ones included). */
  record CpuTimed<T>(T value, double seconds, double cpuSeconds) {}

  /**
   * Times {@code work} by the wall clock and by process CPU time. On a machine shared with other
   * jobs the CPU time is the steadier measure of the work itself: it does not count the time the
   * process waited for a core (it does count cycles slowed by a busy SMT sibling or cache).
   */
  static <T> CpuTimed<T> timeCpu(Supplier<T> work) {
    double cpu0 = processCpuSeconds();
    long start = System.nanoTime();
    T value = work.get();
    double wall = (System.nanoTime() - start) * 1e-9;
    return new CpuTimed<>(value, wall, processCpuSeconds() - cpu0);
  }

  /**
   * User + system CPU seconds of this process from /proc/self/stat (fields 14 and 15, in clock
   * ticks of 1/100 s, the Linux x86-64 USER_HZ), or NaN where there is no /proc. Read from /proc
   * rather than the management beans so that the module under test needs no extra module.
   */
  static double processCpuSeconds() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      // the command name (field 2) is in parentheses and may hold spaces: count from after it
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static <T> Timed<T> time(Supplier<T> work) {
    long start = System.nanoTime();
    T value = work.get();
    return new Timed<>(value, (System.nanoTime() - start) * 1e-9);
  }
}
