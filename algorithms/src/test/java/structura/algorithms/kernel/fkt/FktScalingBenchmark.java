package structura.algorithms.kernel.fkt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendRegistry;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;
import structura.api.backend.Transpose;

/**
 * Issue 15's MVM scaling benchmark (a main, not a test): the kernel matrix of N points times one
 * vector at d = 3 for the dense matrix (N ≤ denseMax), the lazy tiled operator (N ≤ lazyMax) and
 * the FKT, side by side; the FKT's factorisation time apart from its product; the relative
 * error of each against exact double-precision products on sampled rows; the fitted exponent of
 * time ∝ N^a over the FKT sizes. Prints a Markdown table.
 *
 * <p>Arguments (all optional, in order): sizes (comma-separated, default
 * 10000,30000,100000,300000,1000000), distribution (uniform or mixture), d (3), kernel (rbf),
 * lengthscale (0.2 of the unit cube), p (6), θ (0.5), leaf size (256), threads (2), backend of the
 * direct blocks and the lazy product (vector, else java), lazyMax (50000), denseMax (20000),
 * sampled rows (200), q (0: treecode), FMM tolerance (0: fixed orders).
 */
public final class FktScalingBenchmark {
  private FktScalingBenchmark() {}

  public static void main(String[] args) {
    String[] sizeArgs = arg(args, 0, "10000,30000,100000,300000,1000000").split(",");
    String distribution = arg(args, 1, "uniform");
    int d = Integer.parseInt(arg(args, 2, "3"));
    Kind kind = KernelFunction.kindNamed(arg(args, 3, "rbf"));
    double lengthscale = Double.parseDouble(arg(args, 4, "0.2"));
    int p = Integer.parseInt(arg(args, 5, "6"));
    double theta = Double.parseDouble(arg(args, 6, "0.5"));
    int leaf = Integer.parseInt(arg(args, 7, "256"));
    int threads = Integer.parseInt(arg(args, 8, "2"));
    String backend = arg(args, 9, "vector");
    int lazyMax = Integer.parseInt(arg(args, 10, "50000"));
    int denseMax = Integer.parseInt(arg(args, 11, "20000"));
    int sample = Integer.parseInt(arg(args, 12, "200"));
    int q = Integer.parseInt(arg(args, 13, "0"));
    double tolerance = Double.parseDouble(arg(args, 14, "0"));
    KernelFunction kernel = KernelFunction.isotropic(kind, lengthscale, 1);
    FktOptions options = new FktOptions(p, theta, leaf, threads, 0, q, tolerance);
    System.out.printf(Locale.ROOT, "# FKT scaling: %s, d = %d, %s, p = %d, theta = %.2f, q = %d, tolerance %.1e (%s), leaf %d, %d threads, backend %s, %s%n",
        distribution, d, kernel, p, theta, q, tolerance, q > 0 && d <= FastKernelTransform.FMM_MAX_DIMENSION ? "FMM path" : "treecode path", leaf,
        threads, backend, Runtime.version());
    System.out.println("| N | method | factor s (wall) | MVM s (wall) | MVM s (process CPU) | rel. error (sampled rows) | expanded pairs "
        + "| direct entries | nodes | depth | load avg |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    List<double[]> fktTimes = new ArrayList<>();
    try (Compute single = open(backend, 1); Compute all = open(backend, threads)) {
      for (String s : sizeArgs) {
        int n = Integer.parseInt(s.trim());
        Matrix x = FastKernelTransformTest.points(distribution, n, d, 17);
        Matrix v = FastKernelTransformTest.vectors(n, 1, 18);
        int[] rows = sampleRows(n, Math.min(sample, n));
        Matrix exactRows = exactRows(kernel, x, v, rows, all);
        if (n <= denseMax) {
          long t0 = System.nanoTime();
          Matrix kk = KernelOperator.symmetric(kernel, x, all).toDense();
          long c1 = cpuNanos();
          long t1 = System.nanoTime();
          Matrix y = all.multiply(Transpose.N, kk, Transpose.N, v);
          long t2 = System.nanoTime();
          row(n, "dense", (t1 - t0) * 1e-9, (t2 - t1) * 1e-9, (cpuNanos() - c1) * 1e-9, error(exactRows, y, rows), "", "", "", "");
        }
        if (n <= lazyMax) {
          KernelOperator lazy = KernelOperator.symmetric(kernel, x, all);
          long c0 = cpuNanos();
          long t0 = System.nanoTime();
          Matrix y = lazy.apply(v);
          long t1 = System.nanoTime();
          row(n, "lazy", 0, (t1 - t0) * 1e-9, (cpuNanos() - c0) * 1e-9, error(exactRows, y, rows), "", "", "", "");
        }
        FastKernelTransform fkt = FastKernelTransform.factor(kernel, x, options, single);
        if (n <= 100_000) {
          fkt.apply(v);  // warm-up (JIT); larger sizes run after smaller ones have warmed it
        }
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        Matrix y = fkt.apply(v);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        double cpu = (cpuNanos() - c0) * 1e-9;
        fktTimes.add(new double[] {n, seconds, cpu});
        row(n, "fkt", fkt.factorSeconds(), seconds, cpu, error(exactRows, y, rows), String.valueOf(fkt.expandedPairs()),
            String.valueOf(fkt.directEntries()), String.valueOf(fkt.nodeCount()), String.valueOf(fkt.depth()));
        if (!fkt.levelOrders().isEmpty()) {
          System.out.println("  p/q per level: " + fkt.levelOrders() + "; phases (s, wall): " + fkt.phaseTimes());
        }
      }
    }
    System.out.printf(Locale.ROOT, "fitted FKT MVM exponent (time ∝ N^a, least squares over %d sizes): a = %.3f (wall), %.3f (CPU)%n",
        fktTimes.size(), slope(fktTimes, 1), slope(fktTimes, 2));
  }

  private static void row(int n, String method, double factor, double mvm, double cpu, double error, String pairs, String direct,
      String nodes, String depth) {
    System.out.printf(Locale.ROOT, "| %,d | %s | %s | %.3f | %.3f | %.2e | %s | %s | %s | %s | %.1f |%n", n, method,
        method.equals("lazy") ? "–" : String.format(Locale.ROOT, "%.3f", factor), mvm, cpu, error, pairs, direct, nodes, depth,
        loadAverage());
    System.out.flush();
  }

  /** CPU time of this process, all threads (the load on the shared host makes wall time noisy). */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** The 1-minute load average from /proc/loadavg, NaN where there is none. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String arg(String[] args, int i, String fallback) {
    return args.length > i ? args[i] : fallback;
  }

  private static int[] sampleRows(int n, int count) {
    SplittableRandom rnd = new SplittableRandom(99);
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = count == n ? i : rnd.nextInt(n);
    }
    return rows;
  }

  /** K(x_rows, X)·v in F64 on the backend: the exact sampled rows. */
  private static Matrix exactRows(KernelFunction kernel, Matrix x, Matrix v, int[] rows, Compute compute) {
    Matrix xs = Matrix.zeros(DType.F64, rows.length, x.cols());
    for (int i = 0; i < rows.length; i++) {
      for (int t = 0; t < x.cols(); t++) {
        xs.set(i, t, x.get(rows[i], t));
      }
    }
    return KernelOperator.cross(kernel, xs, x, compute).apply(v);
  }

  private static double error(Matrix exactRows, Matrix y, int[] rows) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < rows.length; i++) {
      double e = y.get(rows[i], 0) - exactRows.get(i, 0);
      num += e * e;
      den += exactRows.get(i, 0) * exactRows.get(i, 0);
    }
    return Math.sqrt(num / den);
  }

  private static double slope(List<double[]> points, int column) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int m = points.size();
    for (double[] q : points) {
      double lx = Math.log(q[0]);
      double ly = Math.log(q[column]);
      sx += lx;
      sy += ly;
      sxx += lx * lx;
      sxy += lx * ly;
    }
    return (m * sxy - sx * sy) / (m * sxx - sx * sx);
  }

  private static Compute open(String id, int threads) {
    BackendProvider provider = BackendRegistry.discover().find(id).orElseThrow().provider().orElseThrow();
    if (!provider.probe().isAvailable()) {
      throw new IllegalStateException("backend " + id + " unavailable: " + provider.probe().summary());
    }
    return Compute.of(provider.open(BackendConfig.builder().backend(id).strict(true).threads(threads).build()), true);
  }
}
