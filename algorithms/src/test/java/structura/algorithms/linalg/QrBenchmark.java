package structura.algorithms.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.netlib.util.intW;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/**
 * Side-by-side timing of our dense QRs against LAPACK over OpenBLAS, interleaved: in every
 * repetition each contender runs once, in a fixed order (ours QR, ours QR with the look-ahead
 * panel, xGEQRF, ours pivoted QR, HQRRP, xGEQP3), each after a 0.3 s pause ({@code settle}), so
 * a slow spell of the shared host hits all of them alike. Per thread count
 * the backend is opened with that many threads and OpenBLAS is set to the same count through
 * {@code openblas_set_num_threads}; the kernel OpenBLAS runs ({@code openblas_get_corename}) is
 * printed. Each routine is timed from the row-major input to its factorization (our column-major
 * copy included; LAPACK gets its column-major copy outside the timer, as in LinalgBenchmark).
 *
 * <p>The peer is checked: |R(i,i)| of our unpivoted QR against xGEQRF's, and of our pivoted QR
 * against xGEQP3's, as a maximum relative difference (printed; both are the same factorization
 * up to rounding, so a large value means one of them is wrong or the pivots differ at a tie).
 *
 * <p>Not a unit test; run it through {@code benchmarks/run-qr.sh}. Arguments: m, n, repetitions
 * (default 7), thread counts (default "1,2"), dtypes (default "F64,F32").
 */
public final class QrBenchmark {
  private QrBenchmark() {}

  public static void main(String[] args) throws Exception {
    int m = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int[] threadCounts = Arrays.stream((args.length > 3 ? args[3] : "1,2").split(","))
        .mapToInt(Integer::parseInt).toArray();
    String[] dtypes = (args.length > 4 ? args[4] : "F64,F32").split(",");
    LAPACK lapack = LAPACK.getInstance();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK %s, OpenBLAS core %s, loadavg %s%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), lapack.getClass().getSimpleName(),
        openBlasCoreName(), loadAverage());
    for (String dt : dtypes) {
      DType dtype = DType.valueOf(dt);
      for (int t : threadCounts) {
        try (Compute c = vectorBesideOpenBlas(t)) {
          System.out.printf(Locale.ROOT, "%n%s %dx%d, %d thread(s) (OpenBLAS reports %d), backend %s%n", dtype, m, n,
              t, t, c.backend().describe());
          run(m / 4, n / 4, 2, dtype, lapack, c, false);
          run(m, n, reps, dtype, lapack, c, true);
          if (dtype == DType.F64) {
            trailingUpdateGemms(m, n, reps, c);
          }
          System.out.printf(Locale.ROOT, "loadavg after: %s%n", loadAverage());
        }
      }
    }
  }

  private static void run(int m, int n, int reps, DType dtype, LAPACK lapack, Compute c, boolean print) {
    Matrix a = LinalgBenchmark.testMatrix(m, n).toDType(dtype);
    boolean f32 = dtype == DType.F32;
    double[] colMajor = Householder.toColumnMajor(a);
    float[] colMajorF = new float[colMajor.length];
    for (int i = 0; i < colMajor.length; i++) {
      colMajorF[i] = (float) colMajor[i];
    }
    String p = f32 ? "s" : "d";
    Map<String, Supplier<double[]>> contenders = new LinkedHashMap<>();
    contenders.put("ours HouseholderQr", () -> diagonal(new HouseholderQr(c, HouseholderQrOptions.defaults())
        .factor(a).r()));
    contenders.put("ours QR look-ahead", () -> diagonal(new HouseholderQr(c, new HouseholderQrOptions(64, true))
        .factor(a).r()));
    contenders.put("LAPACK " + p + "geqrf", () -> f32 ? lapackQrF(lapack, m, n, colMajorF.clone())
        : lapackQr(lapack, m, n, colMajor.clone()));
    contenders.put("ours PivotedQr", () -> diagonal(new PivotedQr(c, PivotedQrOptions.defaults()).factor(a).r()));
    contenders.put("ours HQRRP", () -> diagonal(new RandomizedPivotedQr(c, RandomizedPivotedQrOptions.defaults())
        .factor(a).r()));
    contenders.put("LAPACK " + p + "geqp3", () -> f32 ? lapackQp3F(lapack, m, n, colMajorF.clone())
        : lapackQp3(lapack, m, n, colMajor.clone()));
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, double[]> diag = new LinkedHashMap<>();
    for (String name : contenders.keySet()) {
      times.put(name, new ArrayList<>());
    }
    for (int r = 0; r < reps; r++) {
      for (Map.Entry<String, Supplier<double[]>> e : contenders.entrySet()) {
        settle();
        long t0 = System.nanoTime();
        double[] d = e.getValue().get();
        times.get(e.getKey()).add((System.nanoTime() - t0) / 1e9);
        diag.put(e.getKey(), d);
      }
    }
    if (!print) {
      return;
    }
    double flops = 2.0 * m * (double) n * n - 2.0 * n * (double) n * n / 3;
    String qrf = "LAPACK " + p + "geqrf";
    String qp3 = "LAPACK " + p + "geqp3";
    System.out.printf(Locale.ROOT, "%-22s %9s %9s %8s %s%n", "routine", "median s", "best s", "GFLOP/s",
        "median ratio (peer time / ours: > 1 means ours is faster)");
    for (String name : contenders.keySet()) {
      double med = median(times.get(name));
      double best = times.get(name).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      String ratio = "";
      if (name.startsWith("ours")) {
        String peer = name.startsWith("ours HouseholderQr") || name.startsWith("ours QR") ? qrf : qp3;
        ratio = String.format(Locale.ROOT, "%s / ours = %.2f", peer, median(times.get(peer)) / med);
      }
      System.out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %8.1f %s%n", name, med, best, flops / med / 1e9, ratio);
    }
    System.out.printf(Locale.ROOT, "peer check, max relative difference of |R(i,i)|: QR vs %sgeqrf %.1e, "
        + "PivotedQr vs %sgeqp3 %.1e%n", p, relativeDifference(diag.get("ours HouseholderQr"), diag.get(qrf)), p,
        relativeDifference(diag.get("ours PivotedQr"), diag.get(qp3)));
  }

  /**
   * Where the QR's time goes: the two GEMMs of one compact-WY trailing update (block 64, at the
   * middle panel: len = m − n/2 rows, nc = n/2 trailing columns), ours through {@link Compute} on
   * the QR's own layout (column-major work array, padded leading dimension, as
   * {@link Householder#applyBlock} calls them) against OpenBLAS dgemm on LAPACK's (column-major,
   * lda = m, as dlarfb calls it), interleaved. W = CᵀV is the nc×64 product of depth len;
   * C −= V·Wᵀ the rank-64 update of the len×nc block.
   */
  private static void trailingUpdateGemms(int m, int n, int reps, Compute c) {
    int kb = 64;
    int nc = n / 2;
    int len = m - n / 2;
    int lda = Householder.paddedLeadingDimension(m);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    double[] work = new double[lda * n];
    double[] lapackWork = new double[m * n];
    for (int i = 0; i < work.length; i++) {
      work[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < lapackWork.length; i++) {
      lapackWork[i] = rnd.nextGaussian();
    }
    Matrix vt = Matrix.zeros(DType.F64, kb, len);
    for (int i = 0; i < kb * len; i++) {
      vt.f64()[i] = rnd.nextGaussian();
    }
    Matrix v = vt.transposeCopy();
    double[] vCol = v.transposeCopy().f64();  // column-major len×kb for dgemm: the row-major data of Vᵀ
    Matrix w = Matrix.zeros(DType.F64, nc, kb);
    double[] wCol = new double[nc * kb];
    Matrix ct = Householder.tview(work, lda, n / 2, n - nc, len, nc);
    int cOff = (n - nc) * m + n / 2;
    dev.ludovic.netlib.blas.BLAS blas = dev.ludovic.netlib.blas.BLAS.getInstance();
    Map<String, Runnable> gemms = new LinkedHashMap<>();
    gemms.put("ours W = CᵀV", () -> c.gemm(structura.api.backend.Transpose.N, structura.api.backend.Transpose.T, 1.0, ct,
        vt, 0.0, w));
    gemms.put("dgemm W = CᵀV", () -> blas.dgemm("T", "N", nc, kb, len, 1.0, lapackWork, cOff, m, vCol, 0, len, 0.0,
        wCol, 0, nc));
    gemms.put("ours C -= V·Wᵀ", () -> c.gemm(structura.api.backend.Transpose.N, structura.api.backend.Transpose.T,
        -1e-3, w, v, 1.0, ct));
    gemms.put("ours split W = CᵀV", () -> QrShapedGemm.cross(c, ct, vt, w));
    gemms.put("ours split C -= V·Wᵀ", () -> QrShapedGemm.update(c, -1e-3, w, vt, ct));
    gemms.put("dgemm C -= V·Wᵀ", () -> blas.dgemm("N", "T", len, nc, kb, -1e-3, vCol, 0, len, wCol, 0, nc, 1.0,
        lapackWork, cOff, m));
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int r = 0; r < reps + 1; r++) {
      for (Map.Entry<String, Runnable> e : gemms.entrySet()) {
        long t0 = System.nanoTime();
        e.getValue().run();
        if (r > 0) {
          times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
        }
      }
    }
    double flops = 2.0 * nc * kb * len;
    System.out.printf(Locale.ROOT, "trailing-update GEMMs, len %d, nc %d, block %d (%s):%n", len, nc, kb,
        blas.getClass().getSimpleName());
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      double med = median(e.getValue());
      System.out.printf(Locale.ROOT, "  %-22s median %.4f s  %6.1f GFLOP/s%n", e.getKey(), med, flops / med / 1e9);
    }
  }

  /**
   * A pause before each timed call. Why: OpenBLAS's worker threads keep spinning for a while after
   * a call returns (its THREAD_TIMEOUT, 2^28 cycles by default, about 0.1 s here), so on a 2-core
   * host the contender timed right after an OpenBLAS routine lost part of a core: in four 2-thread
   * runs of 2026-12-05 whichever of our QR variants came first after xGEQP3 was the slower one.
   */
  private static void settle() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double[] diagonal(Matrix r) {
    int k = Math.min(r.rows(), r.cols());
    double[] d = new double[k];
    for (int i = 0; i < k; i++) {
      d[i] = Math.abs(r.get(i, i));
    }
    return d;
  }

  private static double[] columnMajorDiagonal(int m, int n, double[] w) {
    double[] d = new double[Math.min(m, n)];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.abs(w[i * m + i]);
    }
    return d;
  }

  private static double[] columnMajorDiagonal(int m, int n, float[] w) {
    double[] d = new double[Math.min(m, n)];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.abs(w[i * m + i]);
    }
    return d;
  }

  private static double relativeDifference(double[] ours, double[] peer) {
    double worst = 0;
    for (int i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs(ours[i] - peer[i]) / peer[i]);
    }
    return worst;
  }

  private static double[] lapackQr(LAPACK lapack, int m, int n, double[] w) {
    double[] tau = new double[Math.min(m, n)];
    LinalgBenchmark.lapackQr(lapack, m, n, w, tau);
    return columnMajorDiagonal(m, n, w);
  }

  private static double[] lapackQp3(LAPACK lapack, int m, int n, double[] w) {
    LinalgBenchmark.lapackQp3(lapack, m, n, w, new int[n], new double[Math.min(m, n)]);
    return columnMajorDiagonal(m, n, w);
  }

  private static double[] lapackQrF(LAPACK lapack, int m, int n, float[] w) {
    float[] tau = new float[Math.min(m, n)];
    float[] q = new float[1];
    intW info = new intW(0);
    lapack.sgeqrf(m, n, w, m, tau, q, -1, info);
    float[] work = new float[(int) q[0]];
    lapack.sgeqrf(m, n, w, m, tau, work, work.length, info);
    return columnMajorDiagonal(m, n, w);
  }

  private static double[] lapackQp3F(LAPACK lapack, int m, int n, float[] w) {
    float[] tau = new float[Math.min(m, n)];
    int[] jpvt = new int[n];
    float[] q = new float[1];
    intW info = new intW(0);
    lapack.sgeqp3(m, n, w, m, jpvt, tau, q, -1, info);
    float[] work = new float[(int) q[0]];
    lapack.sgeqp3(m, n, w, m, jpvt, tau, work, work.length, info);
    return columnMajorDiagonal(m, n, w);
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "n/a";
    }
  }

  static MethodHandle openBlas(String name, FunctionDescriptor descriptor) {
    SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
    return Linker.nativeLinker().downcallHandle(lib.find(name).orElseThrow(), descriptor);
  }

  static String openBlasCoreName() {
    try {
      MemorySegment s = (MemorySegment) openBlas("openblas_get_corename", FunctionDescriptor.of(ValueLayout.ADDRESS))
          .invokeExact();
      return s.reinterpret(256).getString(0);
    } catch (Throwable e) {
      return "unknown (" + e + ")";
    }
  }

  /** Sets OpenBLAS's thread count; returns what it reports afterwards. */
  /**
   * The strict vector backend on {@code threads} threads, with OpenBLAS set to the same count
   * (checked), for one side-by-side row of the linear-algebra benchmarks.
   */
  static Compute vectorBesideOpenBlas(int threads) {
    int set = openBlasThreads(threads);
    if (set != threads) {
      throw new IllegalStateException("OpenBLAS runs " + set + " threads, asked for " + threads);
    }
    return Compute.open(BackendConfig.builder().backend("vector").strict(true).threads(threads).build());
  }

  static int openBlasThreads(int threads) {
    try {
      MethodHandle set = openBlas("openblas_set_num_threads", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
      MethodHandle get = openBlas("openblas_get_num_threads", FunctionDescriptor.of(ValueLayout.JAVA_INT));
      set.invokeExact(threads);
      return (int) get.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot set the OpenBLAS thread count (apt-get install libopenblas-dev): " + e, e);
    }
  }
}
