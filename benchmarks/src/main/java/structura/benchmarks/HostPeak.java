package structura.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The theoretical floating-point peak of this host, so that a GEMM rate can be read as a
 * percentage of it: {@code peak = FMA units × lanes × 2 flops × clock × threads}, where
 * <ul>
 *   <li>lanes are those of the preferred species ({@code FloatVector.SPECIES_PREFERRED}: 8 F32
 *       on AVX2, 16 on AVX-512);</li>
 *   <li>the clock is measured: a chain of dependent 64-bit integer multiplies, 3 cycles each
 *       on every x86 core since Nehalem and Zen 1 (a KVM guest's {@code /proc/cpuinfo} shows the
 *       nominal TSC rate, not the boost clock the cores run at);</li>
 *   <li>the FMA units (full-width vector FMAs retired per cycle) are measured too: ten
 *       independent FMA chains in registers, rounded to a whole number of units, unless given.
 *       A Zen 1 core executes a 256-bit FMA as two 128-bit halves on its two FMA pipes, so it
 *       counts as one 256-bit unit; Zen 2 and later and Haswell and later have two.</li>
 * </ul>
 * Both probes run on the calling thread for about a second and report the best of several
 * repetitions in thread CPU time, so that other processes on a shared machine lower neither.
 *
 * @param clockGhz measured core clock
 * @param nominalMhz {@code cpu MHz} of {@code /proc/cpuinfo} (NaN when absent)
 * @param f32FlopsPerCycle measured F32 flops per cycle of one core
 * @param f64FlopsPerCycle measured F64 flops per cycle of one core
 * @param fmaUnits full-width FMA units per core, measured (rounded) or given
 * @param f32Lanes lanes of the preferred float species
 * @param bits width of the preferred species in bits
 */
record HostPeak(double clockGhz, double nominalMhz, double f32FlopsPerCycle, double f64FlopsPerCycle, int fmaUnits,
    int f32Lanes, int bits) {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** Measures this host; {@code fmaUnits} ≤ 0 means measure them too. */
  static HostPeak measure(int fmaUnits) {
    double ghz = 0;
    double f32 = 0;
    double f64 = 0;
    long n = 20_000_000;
    for (int rep = 0; rep < 6; rep++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      long x = multiplyChain(3 * n, rep | 1);
      long t1 = CPU.getCurrentThreadCpuTime();
      float s = floatFmas(n, rep);
      long t2 = CPU.getCurrentThreadCpuTime();
      double d = doubleFmas(n, rep);
      long t3 = CPU.getCurrentThreadCpuTime();
      sink += x + s + d;
      ghz = Math.max(ghz, 3.0 * 3 * n / (t1 - t0));
      f32 = Math.max(f32, 10.0 * n * 2 * FS.length() / (t2 - t1));
      f64 = Math.max(f64, 10.0 * n * 2 * DS.length() / (t3 - t2));
    }
    double f32PerCycle = f32 / ghz;
    double f64PerCycle = f64 / ghz;
    int units = fmaUnits > 0 ? fmaUnits : (int) Math.max(1, Math.round(f32PerCycle / (2 * FS.length())));
    return new HostPeak(ghz, cpuinfoMhz().orElse(Double.NaN), f32PerCycle, f64PerCycle, units, FS.length(), FS.vectorBitSize());
  }

  /** Keeps the probes' results alive. */
  static volatile double sink;

  /** Theoretical peak in GFLOP/s on {@code threads} cores. */
  double peakGflops(boolean f32, int threads) {
    int lanes = f32 ? f32Lanes : f32Lanes / 2;
    return fmaUnits * lanes * 2.0 * clockGhz * threads;
  }

  /** One Markdown bullet list describing the host and its peak. */
  String describe(int threads) {
    return String.format(Locale.ROOT,
        "- vector width: %d bits (FloatVector.SPECIES_PREFERRED: %d F32 / %d F64 lanes)%n"
        + "- clock: %.2f GHz measured (dependent imul chain, 3 cycles each); /proc/cpuinfo cpu MHz: %.0f%n"
        + "- FMA: %.1f F32 / %.1f F64 flops per cycle measured (10 independent FMA chains) => %d full-width FMA unit%s per core assumed%n"
        + "- theoretical peak, %d thread%s: F32 %.1f GFLOP/s, F64 %.1f GFLOP/s (units × lanes × 2 × clock × threads)",
        bits, f32Lanes, f32Lanes / 2, clockGhz, nominalMhz, f32FlopsPerCycle, f64FlopsPerCycle, fmaUnits,
        fmaUnits == 1 ? "" : "s", threads, threads == 1 ? "" : "s", peakGflops(true, threads), peakGflops(false, threads));
  }

  /**
   * {@code x ← x·x} n times: one 3-cycle imul per step, nothing to overlap. (A product by a
   * constant would not do: C2 folds the unrolled {@code x·K·K} into {@code x·K²}.)
   */
  private static long multiplyChain(long n, long x) {
    for (long i = 0; i < n; i++) {
      x *= x;
    }
    return x;
  }

  /**
   * Ten independent chains {@code v ← m·a + v}: enough to cover a 5-cycle FMA latency on two
   * pipes. The chain runs through the addend, the operand FMA units forward fastest.
   */
  private static float floatFmas(long n, int seed) {
    FloatVector m = FloatVector.broadcast(FS, 1e-7f * seed);
    FloatVector a = FloatVector.broadcast(FS, 1e-7f);
    FloatVector v0 = FloatVector.broadcast(FS, 0f);
    FloatVector v1 = FloatVector.broadcast(FS, 1f);
    FloatVector v2 = FloatVector.broadcast(FS, 2f);
    FloatVector v3 = FloatVector.broadcast(FS, 3f);
    FloatVector v4 = FloatVector.broadcast(FS, 4f);
    FloatVector v5 = FloatVector.broadcast(FS, 5f);
    FloatVector v6 = FloatVector.broadcast(FS, 6f);
    FloatVector v7 = FloatVector.broadcast(FS, 7f);
    FloatVector v8 = FloatVector.broadcast(FS, 8f);
    FloatVector v9 = FloatVector.broadcast(FS, 9f);
    for (long i = 0; i < n; i++) {
      v0 = m.fma(a, v0);
      v1 = m.fma(a, v1);
      v2 = m.fma(a, v2);
      v3 = m.fma(a, v3);
      v4 = m.fma(a, v4);
      v5 = m.fma(a, v5);
      v6 = m.fma(a, v6);
      v7 = m.fma(a, v7);
      v8 = m.fma(a, v8);
      v9 = m.fma(a, v9);
    }
    return v0.add(v1).add(v2).add(v3).add(v4).add(v5).add(v6).add(v7).add(v8).add(v9).lane(0);
  }

  /** {@link #floatFmas} in double precision. */
  private static double doubleFmas(long n, int seed) {
    DoubleVector m = DoubleVector.broadcast(DS, 1e-7 * seed);
    DoubleVector a = DoubleVector.broadcast(DS, 1e-7);
    DoubleVector v0 = DoubleVector.broadcast(DS, 0);
    DoubleVector v1 = DoubleVector.broadcast(DS, 1);
    DoubleVector v2 = DoubleVector.broadcast(DS, 2);
    DoubleVector v3 = DoubleVector.broadcast(DS, 3);
    DoubleVector v4 = DoubleVector.broadcast(DS, 4);
    DoubleVector v5 = DoubleVector.broadcast(DS, 5);
    DoubleVector v6 = DoubleVector.broadcast(DS, 6);
    DoubleVector v7 = DoubleVector.broadcast(DS, 7);
    DoubleVector v8 = DoubleVector.broadcast(DS, 8);
    DoubleVector v9 = DoubleVector.broadcast(DS, 9);
    for (long i = 0; i < n; i++) {
      v0 = m.fma(a, v0);
      v1 = m.fma(a, v1);
      v2 = m.fma(a, v2);
      v3 = m.fma(a, v3);
      v4 = m.fma(a, v4);
      v5 = m.fma(a, v5);
      v6 = m.fma(a, v6);
      v7 = m.fma(a, v7);
      v8 = m.fma(a, v8);
      v9 = m.fma(a, v9);
    }
    return v0.add(v1).add(v2).add(v3).add(v4).add(v5).add(v6).add(v7).add(v8).add(v9).lane(0);
  }

  private static Optional<Double> cpuinfoMhz() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("cpu MHz"))
          .map(l -> Double.parseDouble(l.substring(l.indexOf(':') + 1).trim())).findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
