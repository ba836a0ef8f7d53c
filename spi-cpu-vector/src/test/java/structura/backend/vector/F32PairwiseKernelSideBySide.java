package structura.backend.vector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;

/**
 * Side-by-side timing, in one JVM and interleaved (tiled, difference, dot, tiled, …), of the F32
 * kernel product K(X, X)·V through the three Gaussian paths of {@link F32PairwiseKernel.GaussianPath}:
 * the tiled SVML path that every kind took before the fused Gaussian blocks, the fused difference
 * form ({@link F32GaussianBlock}) and today's default (the dot-product form {@link
 * F32GaussianDotBlock} where accurate), N points uniform in the unit cube divided by the
 * lengthscale 0.2 (as {@code KernelMvmBenchmark}), d = 3. One thread: the calling thread's CPU
 * time; two threads: wall time. Best of {@code reps} after a warm-up; entries/s = N²/time. Also
 * the reference backend ({@code java}, a dense per-entry loop) once at the first N, k = 1, and
 * the largest differences of the fused outputs from the tiled one, relative to the largest
 * output. A main, not a test (it takes minutes); writes a Markdown table to stdout and to
 * {@code target/pairwise-kernel-side-by-side.md}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp api/target/classes:spi-cpu-vector/target/classes:spi-cpu-vector/target/test-classes \
 *     structura.backend.vector.F32PairwiseKernelSideBySide [kind=GAUSSIAN] [n=20000,50000] [k=1,4,16] [threads=1,2] [reps=5] \
 *     [path=symmetric|general] [reference=true]
 * </pre>
 */
public final class F32PairwiseKernelSideBySide {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean ALLOCATION = (com.sun.management.ThreadMXBean) CPU;

  private F32PairwiseKernelSideBySide() {}

  public static void main(String[] args) throws Exception {
    RadialKernel.Kind kind = RadialKernel.Kind.valueOf(arg(args, "kind", "GAUSSIAN"));
    int[] ns = ints(arg(args, "n", "20000,50000"));
    int[] ks = ints(arg(args, "k", "1,4,16"));
    int[] threadCounts = ints(arg(args, "threads", "1,2"));
    int reps = Integer.parseInt(arg(args, "reps", "5"));
    boolean reference = Boolean.parseBoolean(arg(args, "reference", "true"));
    // symmetric: K(X, X)·V with Y the same array as X (the path KernelOperator takes); general:
    // Y a copy, so every entry is evaluated (the path of K(X, Y) and of the FKT's near field)
    boolean symmetric = !"general".equals(arg(args, "path", "symmetric"));
    int d = 3;
    RadialKernel kernel = RadialKernel.of(kind, 1.0);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "kind %s, d = %d, %s path, best of %d (interleaved), loadavg at start: %s%n%n", kind, d,
        symmetric ? "symmetric (Y = X)" : "general (Y a copy of X)", reps,
        Files.readString(Path.of("/proc/loadavg")).trim()));
    out.append("| N | k | threads | tiled (s) | difference (s) | dot (s) | tiled entries/s | difference entries/s | dot entries/s"
        + " | dot/difference speed | dot/tiled speed | max rel diff difference, dot vs tiled | dot: bytes allocated per call (calling thread) | loadavg |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    warmUp(kernel, d);
    for (int n : ns) {
      for (int threads : threadCounts) {
        try (Parallel parallel = new Parallel(threads)) {
          F32PairwiseKernel tiled = new F32PairwiseKernel(parallel, F32PairwiseKernel.GaussianPath.TILED);
          F32PairwiseKernel difference = new F32PairwiseKernel(parallel, F32PairwiseKernel.GaussianPath.DIFFERENCE);
          F32PairwiseKernel dot = new F32PairwiseKernel(parallel);
          for (int k : ks) {
            float[] x = points(n, d);
            float[] y = symmetric ? x : x.clone();
            float[] v = vectors(n, k);
            float[] oTiled = new float[n * k];
            float[] oDifference = new float[n * k];
            float[] oDot = new float[n * k];
            double bestTiled = Double.POSITIVE_INFINITY;
            double bestDifference = Double.POSITIVE_INFINITY;
            double bestDot = Double.POSITIVE_INFINITY;
            for (int r = 0; r < reps; r++) {
              bestTiled = Math.min(bestTiled, time(threads, () -> tiled.multiply(kernel, n, n, d, k, x, 0, d, y, 0, d, v, 0, k, 0f, oTiled, 0, k)));
              bestDifference = Math.min(bestDifference,
                  time(threads, () -> difference.multiply(kernel, n, n, d, k, x, 0, d, y, 0, d, v, 0, k, 0f, oDifference, 0, k)));
              bestDot = Math.min(bestDot, time(threads, () -> dot.multiply(kernel, n, n, d, k, x, 0, d, y, 0, d, v, 0, k, 0f, oDot, 0, k)));
            }
            long a0 = ALLOCATION.getCurrentThreadAllocatedBytes();
            dot.multiply(kernel, n, n, d, k, x, 0, d, y, 0, d, v, 0, k, 0f, oDot, 0, k);
            long allocated = ALLOCATION.getCurrentThreadAllocatedBytes() - a0;
            double entries = (double) n * n;
            String row = String.format(Locale.ROOT, "| %,d | %d | %d (%s) | %.3f | %.3f | %.3f | %.2e | %.2e | %.2e | %.2f | %.2f | %.1e, %.1e | %,d | %s |%n",
                n, k, threads, threads == 1 ? "CPU time" : "wall", bestTiled, bestDifference, bestDot, entries / bestTiled,
                entries / bestDifference, entries / bestDot, bestDifference / bestDot, bestTiled / bestDot,
                maxRelativeDifference(oTiled, oDifference), maxRelativeDifference(oTiled, oDot), allocated, loadAverage());
            out.append(row);
            System.out.print(row);
          }
        }
      }
    }
    if (reference) {
      int n = ns[0];
      float[] x = points(n, d);
      float[] v = vectors(n, 1);
      Matrix xm = Matrix.wrap(x, 0, n, d, d);
      Matrix vm = Matrix.wrap(v, 0, n, 1, 1);
      Matrix om = Matrix.zeros(DType.F32, n, 1);
      Compute java = Compute.reference();
      java.kernelMultiply(kernel, xm, xm, vm, 0, Matrix.zeros(DType.F32, n, 1));  // warm-up
      double t = time(1, () -> java.kernelMultiply(kernel, xm, xm, vm, 0, om));
      out.append(String.format(Locale.ROOT, "%nreference backend `java` (dense per-entry loop), N = %,d, k = 1, 1 thread (CPU time),"
          + " one run after one warm-up: %.2f s, %.2e entries/s; loadavg %s%n", n, t, (double) n * n / t, loadAverage()));
    }
    System.out.println();
    System.out.println(out);
    Path report = Path.of("spi-cpu-vector/target/pairwise-kernel-side-by-side.md");
    if (Files.isDirectory(report.getParent())) {
      Files.writeString(report, out);
    }
  }

  private static void warmUp(RadialKernel kernel, int d) {
    try (Parallel parallel = new Parallel(1)) {
      F32PairwiseKernel[] all = {new F32PairwiseKernel(parallel, F32PairwiseKernel.GaussianPath.TILED),
          new F32PairwiseKernel(parallel, F32PairwiseKernel.GaussianPath.DIFFERENCE), new F32PairwiseKernel(parallel)};
      for (int k : new int[] {1, 2}) {
        int n = 3000;
        float[] x = points(n, d);
        float[] v = vectors(n, k);
        float[] o = new float[n * k];
        for (int r = 0; r < 6; r++) {
          for (F32PairwiseKernel routine : all) {
            routine.multiply(kernel, n, n, d, k, x, 0, d, x, 0, d, v, 0, k, 0f, o, 0, k);
            // the general (non-symmetric) path too: distinct target array
            float[] t = x.clone();
            routine.multiply(kernel, n, n, d, k, t, 0, d, x, 0, d, v, 0, k, 0f, o, 0, k);
          }
        }
      }
    }
  }

  /** Seconds: the calling thread's CPU time for one thread, wall time otherwise. */
  private static double time(int threads, Runnable call) {
    long c0 = CPU.getCurrentThreadCpuTime();
    long w0 = System.nanoTime();
    call.run();
    long c1 = CPU.getCurrentThreadCpuTime();
    long w1 = System.nanoTime();
    return (threads == 1 ? c1 - c0 : w1 - w0) * 1e-9;
  }

  private static float[] points(int n, int d) {
    SplittableRandom rnd = new SplittableRandom(7);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextDouble() / 0.2);
    }
    return x;
  }

  private static float[] vectors(int n, int k) {
    SplittableRandom rnd = new SplittableRandom(8);
    float[] v = new float[n * k];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  private static double maxRelativeDifference(float[] a, float[] b) {
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst / scale;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return fallback;
  }

  private static int[] ints(String csv) {
    String[] parts = csv.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i].trim());
    }
    return out;
  }
}
