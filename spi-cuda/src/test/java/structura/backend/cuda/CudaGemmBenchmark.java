package structura.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.backend.Availability;
import structura.api.backend.BackendConfig;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.GemmRoutine;
import structura.api.backend.ResidentRoutines;

/**
 * Our call overhead against cuBLAS: square {@code C = A·B} in F32 and F64 at n = 64 … 4096,
 * (a) through the host-array routine (pinned staging, copies both ways, synchronous), (b) through
 * {@link CudaResident#gemm} on device buffers, (c) cuBLAS called directly through the raw bindings
 * on device buffers. Each cell is the median of several timed runs after warm-up, each run ending
 * with a stream synchronisation; the three results are compared (max |x − y| / max |y|), so a
 * wrong path cannot report a fast number. Prints the device, versions and a Markdown table.
 *
 * <p>A plain main (not a test): {@code java --enable-native-access=ALL-UNNAMED -cp ... 
 * structura.backend.cuda.CudaGemmBenchmark [sizes, default 64,128,256,512,1024,2048,4096]}.
 */
public final class CudaGemmBenchmark {
  private CudaGemmBenchmark() {}

  public static void main(String[] args) {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "64,128,256,512,1024,2048,4096").split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.probe();
    if (a instanceof Availability.Unavailable u) {
      System.out.println("cuda unavailable: " + u.reason() + " Remedy: " + String.join(" ", u.remedies()));
      System.exit(2);
    }
    CudaDiscovery.Result raw = CudaDiscovery.discover(null, null);
    try (CudaBackend backend = (CudaBackend) provider.open(BackendConfig.builder().strict(true).build());
        CudaContext direct = new CudaContext(raw.driver(), raw.blas(), raw.device())) {
      System.out.println("Backend: " + backend.describe());
      System.out.println("JVM: " + Runtime.version());
      System.out.println();
      System.out.println("| dtype | n | (a) host path GFLOP/s | (b) resident GFLOP/s | (c) cuBLAS direct GFLOP/s "
          + "| (a)/(c) | (b)/(c) | (a) ms | (c) ms | max rel diff a–c, b–c |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
      for (DType dtype : DType.values()) {
        for (int n : sizes) {
          System.out.println(row(backend, direct, dtype, n));
          System.out.flush();
        }
      }
    }
  }

  private static String row(CudaBackend backend, CudaContext direct, DType dtype, int n) {
    boolean f64 = dtype == DType.F64;
    int len = n * n;
    SplittableRandom rnd = new SplittableRandom(n * 31L + dtype.ordinal());
    double[] ad = new double[len];
    double[] bd = new double[len];
    for (int i = 0; i < len; i++) {
      ad[i] = rnd.nextDouble(-1, 1);
      bd[i] = rnd.nextDouble(-1, 1);
    }
    int reps = n >= 2048 ? 5 : n >= 512 ? 9 : 21;
    int warm = 3;
    GemmRoutine gemm = backend.gemm().orElseThrow();
    ResidentRoutines res = backend.resident().orElseThrow();

    // (a) host path
    double[] hostC;
    long[] ta = new long[reps];
    if (f64) {
      double[] c = new double[len];
      for (int r = -warm; r < reps; r++) {
        long t0 = System.nanoTime();
        gemm.dgemm(false, false, n, n, n, 1, ad, 0, n, bd, 0, n, 0, c, 0, n);
        if (r >= 0) {
          ta[r] = System.nanoTime() - t0;
        }
      }
      hostC = c;
    } else {
      float[] af = toFloat(ad);
      float[] bf = toFloat(bd);
      float[] c = new float[len];
      for (int r = -warm; r < reps; r++) {
        long t0 = System.nanoTime();
        gemm.sgemm(false, false, n, n, n, 1, af, 0, n, bf, 0, n, 0, c, 0, n);
        if (r >= 0) {
          ta[r] = System.nanoTime() - t0;
        }
      }
      hostC = toDouble(c);
    }

    // (b) resident
    long[] tb = new long[reps];
    double[] residentC;
    try (DeviceBuffer da = res.allocate(dtype, len); DeviceBuffer db = res.allocate(dtype, len);
        DeviceBuffer dc = res.allocate(dtype, len)) {
      if (f64) {
        res.upload(ad, 0, da, 0, len);
        res.upload(bd, 0, db, 0, len);
      } else {
        res.upload(toFloat(ad), 0, da, 0, len);
        res.upload(toFloat(bd), 0, db, 0, len);
      }
      res.synchronize();
      for (int r = -warm; r < reps; r++) {
        long t0 = System.nanoTime();
        res.gemm(false, false, n, n, n, 1, da, 0, n, db, 0, n, 0, dc, 0, n);
        res.synchronize();
        if (r >= 0) {
          tb[r] = System.nanoTime() - t0;
        }
      }
      residentC = new double[len];
      if (f64) {
        res.download(dc, 0, residentC, 0, len);
      } else {
        float[] c = new float[len];
        res.download(dc, 0, c, 0, len);
        residentC = toDouble(c);
      }
    }

    // (c) cuBLAS directly: the same row-major product as column-major Cᵀ = Bᵀ·Aᵀ
    long[] tc = new long[reps];
    double[] directC = direct.locked(() -> {
      long bytes = (long) len * dtype.bytes();
      CudaDriver d = direct.driver;
      long pa = d.memAlloc(bytes);
      long pb = d.memAlloc(bytes);
      long pc = d.memAlloc(bytes);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment host = arena.allocate(bytes, 8);
        fill(host, ad, f64);
        d.memcpyHtoDAsync(pa, host, bytes, direct.stream);
        direct.synchronize();
        fill(host, bd, f64);
        d.memcpyHtoDAsync(pb, host, bytes, direct.stream);
        direct.synchronize();
        for (int r = -warm; r < reps; r++) {
          long t0 = System.nanoTime();
          direct.blas.gemm(f64, direct.blasHandle, direct.scalars, CuBlas.OP_N, CuBlas.OP_N, n, n, n, 1, pb, n, pa, n, 0,
              pc, n);
          direct.synchronize();
          if (r >= 0) {
            tc[r] = System.nanoTime() - t0;
          }
        }
        d.memcpyDtoHAsync(host, pc, bytes, direct.stream);
        direct.synchronize();
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
          out[i] = f64 ? host.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : host.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        return out;
      } finally {
        d.memFree(pa);
        d.memFree(pb);
        d.memFree(pc);
      }
    });

    double flops = 2.0 * n * n * n;
    double ma = median(ta);
    double mb = median(tb);
    double mc = median(tc);
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.3f | %.3f | %.1e, %.1e |",
        dtype, n, flops / ma, flops / mb, flops / mc, mc / ma, mc / mb, ma / 1e6, mc / 1e6,
        relDiff(hostC, directC), relDiff(residentC, directC));
  }

  private static void fill(MemorySegment host, double[] v, boolean f64) {
    for (int i = 0; i < v.length; i++) {
      if (f64) {
        host.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v[i]);
      } else {
        host.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
      }
    }
  }

  private static double median(long[] t) {
    long[] s = t.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double relDiff(double[] x, double[] y) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      num = Math.max(num, Math.abs(x[i] - y[i]));
      den = Math.max(den, Math.abs(y[i]));
    }
    return den == 0 ? num : num / den;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
