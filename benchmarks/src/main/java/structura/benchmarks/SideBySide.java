package structura.benchmarks;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import structura.api.backend.Compute;

/**
 * Plain-main side-by-side comparison (no JMH): for each shape, GFLOP/s of the Structura
 * {@code vector} backend, OpenBLAS, EJML and (small sizes only) the reference backend, and the
 * ratios vector/OpenBLAS and vector/EJML, as Markdown table rows. Run it through
 * {@code benchmarks/run-gemm.sh}, which starts one JVM per thread count with
 * {@code OPENBLAS_NUM_THREADS} set to match.
 *
 * <p>Method: the {@code vector} backend and OpenBLAS are warmed up for at least {@code --warmup}
 * seconds, then called in alternation for about 2 × {@code --measure} seconds (at least four
 * calls each, the pair's order alternating), so that load changes on a shared machine hit both
 * alike and neither always finds the other's inputs in cache; EJML and the reference
 * are timed alone afterwards. The best call is reported, which on a shared machine is the least
 * disturbed one. OpenBLAS's whole C is compared with ours (max_ij |Δ| / max_ij |C|, printed per
 * row, and the run fails above {@code 1e-6·√k} for F32 or {@code 1e-14·√k} for F64), to catch a
 * fast wrong answer on either side.
 *
 * <p>Before the table it prints the host: OpenBLAS's kernel ({@code openblas_get_corename}; the
 * scripts set {@code OPENBLAS_CORETYPE=SkylakeX} on AVX-512 hosts, see
 * {@code benchmarks/openblas-env.sh}), the vector width, the measured clock and FMA units and the
 * theoretical peak ({@link HostPeak}); each row then gives both libraries' rate as a percentage
 * of that peak.
 *
 * <p>Clock: with one thread, the calling thread's CPU time (all four implementations then run on
 * it), so that other processes on a shared machine do not distort the comparison; with more
 * threads, wall time. {@code --clock wall|cpu} overrides.
 *
 * <p>Arguments: {@code --threads T} {@code --shapes 256,512,4096x384x1536} (n or m×k×n)
 * {@code --dtypes F32,F64} {@code --gram-rows R} (0 for none) {@code --gram-n N}
 * {@code --ejml-gram-rows R} (EJML's Gram on fewer rows, default 16384)
 * {@code --warmup S} {@code --measure S} {@code --header} {@code --no-ejml}
 * {@code --fma-units U} (default: measured, see {@link HostPeak}).
 */
public final class SideBySide {
  private SideBySide() {}

  public static void main(String[] args) {
    int threads = 1;
    String shapes = "256,512,1024,2048,4096x384x384,4096x384x1536,4096x1536x384";
    String dtypes = "F32,F64";
    int gramRows = 65536;
    int gramN = 1536;
    int ejmlGramRows = 16384;
    double warmup = 1.0;
    double measure = 2.0;
    boolean header = false;
    boolean ejml = true;
    String clock = "auto";
    int referenceMaxN = 512;
    int fmaUnits = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--shapes" -> shapes = args[++i];
        case "--dtypes" -> dtypes = args[++i];
        case "--gram-rows" -> gramRows = Integer.parseInt(args[++i]);
        case "--gram-n" -> gramN = Integer.parseInt(args[++i]);
        case "--ejml-gram-rows" -> ejmlGramRows = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--measure" -> measure = Double.parseDouble(args[++i]);
        case "--reference-max-n" -> referenceMaxN = Integer.parseInt(args[++i]);
        case "--header" -> header = true;
        case "--no-ejml" -> ejml = false;
        case "--clock" -> clock = args[++i];
        case "--fma-units" -> fmaUnits = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    // Thread CPU time measures single-threaded runs (everything then runs on this thread) without
    // the time the OS gives to other processes on a shared machine; multithreaded runs need wall
    // time (a pool's CPU time would leave out idle waits and include busy-waits).
    cpuClock = clock.equals("cpu") || (clock.equals("auto") && threads == 1);
    NativeBLAS blas = Peers.openBlas();
    int blasThreads = Peers.openBlasThreads(threads);
    if (blasThreads != threads) {
      throw new IllegalStateException("OpenBLAS runs " + blasThreads + " threads, not " + threads);
    }
    host = HostPeak.measure(fmaUnits);
    System.out.println();
    System.out.println("- OpenBLAS kernel (openblas_get_corename): " + Peers.openBlasCoreName() + "; OPENBLAS_CORETYPE="
        + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)") + ", OPENBLAS_L2_SIZE="
        + System.getenv().getOrDefault("OPENBLAS_L2_SIZE", "(unset)") + "; config: " + Peers.openBlasConfig());
    System.out.println(host.describe(threads));
    System.out.println("- load average at start: " + loadAverage());
    System.out.println();
    if (header) {
      System.out.println("| op | dtype | m×k×n | threads | vector GFLOP/s | OpenBLAS GFLOP/s | EJML GFLOP/s | reference GFLOP/s | vector/OpenBLAS | vector/EJML | vector % peak | OpenBLAS % peak | max rel. diff |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }
    org.ejml.concurrency.EjmlConcurrency.setMaxThreads(threads);
    int t = threads;
    try (Compute vector = Peers.open("vector", threads); Compute reference = Peers.open("java", 1)) {
      for (String dtype : dtypes.split(",")) {
        boolean f32 = dtype.trim().equalsIgnoreCase("F32");
        for (String s : shapes.split(",")) {
          int[] mkn = parse(s.trim());
          Peers.Gemm g = new Peers.Gemm(f32, mkn[0], mkn[1], mkn[2], 42);
          g.structura(vector);
          double[] ours = g.copyOfC();
          g.openBlas(blas);
          double diff = g.maxRelativeDifference(ours);
          double[] vo = interleaved(g.flops(), () -> g.structura(vector), () -> g.openBlas(blas), warmup, measure);
          double v = vo[0];
          double o = vo[1];
          double e = ejml ? gflops(g.flops(), () -> g.ejml(t), warmup, measure) : Double.NaN;
          double r = Double.NaN;
          boolean small = Math.max(mkn[0], Math.max(mkn[1], mkn[2])) <= referenceMaxN;
          if (small && t == 1) {
            r = gflops(g.flops(), () -> g.structura(reference), 0.2, 0.5);
          }
          check(diff, f32, mkn[1], "gemm " + dtype + " " + s);
          row("gemm", f32, mkn[0] + "×" + mkn[1] + "×" + mkn[2], threads, v, o, e, r, diff);
        }
      }
      if (gramRows > 0) {
        Peers.Gram g = new Peers.Gram(gramRows, gramN, 7);
        g.structura(vector);
        float probe = g.c[(gramN - 1) * gramN + 1];
        g.openBlas(blas);
        double gramDiff = Math.abs(probe - g.c[(gramN - 1) * gramN + 1]) / Math.max(1, Math.abs(g.c[(gramN - 1) * gramN + 1]));
        check(gramDiff, true, gramRows, "gram");
        double[] vo = interleaved(g.flops(), () -> g.structura(vector), () -> g.openBlas(blas), Math.min(warmup, 0.5), measure);
        double v = vo[0];
        double o = vo[1];
        double e = Double.NaN;
        if (ejml) {
          // EJML needs about a minute per 65536-row call; its rate per flop hardly depends on
          // the row count, so it runs on fewer rows (said in the table).
          Peers.Gram small = ejmlGramRows == gramRows ? g : new Peers.Gram(Math.min(ejmlGramRows, gramRows), gramN, 7);
          e = gflops(small.flops(), () -> small.ejml(t), 0, measure);
        }
        String shape = gramRows + "×" + gramN + " (k×n)" + (ejml && ejmlGramRows < gramRows ? ", EJML on " + ejmlGramRows + " rows" : "");
        row("gram XᵀX", true, shape, threads, v, o, e, Double.NaN, gramDiff);
      }
    }
    System.out.println();
    System.out.println("- load average at end: " + loadAverage());
  }

  /** Fails when OpenBLAS's C and ours differ by more than rounding can explain. */
  private static void check(double relativeDifference, boolean f32, int k, String what) {
    double tol = (f32 ? 1e-6 : 1e-14) * Math.sqrt(k);
    if (!(relativeDifference <= tol)) {
      throw new IllegalStateException(what + ": vector and OpenBLAS disagree: max relative difference "
          + relativeDifference + " > " + tol);
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static int[] parse(String s) {
    String[] p = s.split("x");
    if (p.length == 1) {
      int n = Integer.parseInt(p[0]);
      return new int[] {n, n, n};
    }
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
  }

  private static boolean cpuClock;
  private static HostPeak host;
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  private static long now() {
    return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /**
   * Best-call GFLOP/s of two operations timed in alternation, so that a change in the load of a
   * shared machine affects both alike. The pair's order alternates (a b, b a, a b, ...): both
   * operations read the same arrays, so the one called second could find part of them in L3,
   * and with a fixed order that would always be OpenBLAS. Measured on the Zen 1 host
   * (docs/performance.md, "SIMD CPU backend"), each side's best call differed by at most 1–2 %
   * between first and second place, in no consistent direction; alternating rules it out.
   */
  static double[] interleaved(double flops, Runnable a, Runnable b, double warmupSeconds, double measureSeconds) {
    long start = System.nanoTime();
    int calls = 0;
    while (calls < 2 || System.nanoTime() - start < warmupSeconds * 1e9) {
      a.run();
      b.run();
      calls++;
    }
    long bestA = Long.MAX_VALUE;
    long bestB = Long.MAX_VALUE;
    start = System.nanoTime();
    calls = 0;
    while (calls < 4 || System.nanoTime() - start < 2 * measureSeconds * 1e9) {
      boolean aFirst = calls % 2 == 0;
      long t0 = now();
      (aFirst ? a : b).run();
      long t1 = now();
      (aFirst ? b : a).run();
      long t2 = now();
      bestA = Math.min(bestA, aFirst ? t1 - t0 : t2 - t1);
      bestB = Math.min(bestB, aFirst ? t2 - t1 : t1 - t0);
      calls++;
    }
    return new double[] {flops / bestA, flops / bestB};
  }

  /** Best-call GFLOP/s after a warm-up; see the class documentation. */
  static double gflops(double flops, Runnable op, double warmupSeconds, double measureSeconds) {
    long start = System.nanoTime();
    int calls = 0;
    while (calls < 2 || System.nanoTime() - start < warmupSeconds * 1e9) {
      op.run();
      calls++;
      if (warmupSeconds == 0 && calls >= 1) {
        break;
      }
    }
    List<Long> times = new ArrayList<>();
    start = System.nanoTime();
    while (times.size() < 3 || System.nanoTime() - start < measureSeconds * 1e9) {
      long t0 = now();
      op.run();
      times.add(now() - t0);
    }
    long best = times.stream().mapToLong(Long::longValue).min().orElseThrow();
    return flops / best;
  }

  private static void row(String op, boolean f32, String shape, int threads, double v, double o, double e, double r,
      double diff) {
    double peak = host.peakGflops(f32, threads);
    System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %d%s | %.1f | %.1f | %s | %s | %.2f | %s | %.0f %% | %.0f %% | %.1e |",
        op, f32 ? "F32" : "F64", shape, threads, cpuClock ? " (cpu)" : "", v, o, fmt(e), fmt(r), v / o,
        Double.isNaN(e) ? "–" : String.format(Locale.ROOT, "%.1f", v / e), 100 * v / peak, 100 * o / peak, diff));
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.1f", x);
  }
}
