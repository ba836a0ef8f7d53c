package structura.algorithms.iterative;

import dev.ludovic.netlib.lapack.LAPACK;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.netlib.util.intW;
import structura.algorithms.iterative.KernelBenchmarkSetup.CpuTimed;
import structura.algorithms.iterative.KernelBenchmarkSetup.Timed;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;

/**
 * Side by side in one run: K^{-1/2}·b for a Matérn-5/2 kernel matrix plus noise, K = K_ν + σ²I of
 * n = 10,000 points, by {@link ContourIntegralQuadrature} and densely (K formed in F64, LAPACK
 * {@code dsyevd} through dev.ludovic.netlib over OpenBLAS, then V·Λ^{-1/2}·Vᵀ·b).
 *
 * <p>CIQ routes, each with its time, the time inside products, the Krylov products and
 * ‖x − x_dense‖/‖x_dense‖:
 * <ul>
 *   <li>(a) on the lazy {@link KernelOperator} (the {@code vector} backend's tiled product; F64 points
 *       take its symmetric path, F32 points the F32 kernel), never forming K;
 *   <li>(b) on the materialised K: the same F64 array the dense route forms (formation timed once and
 *       reported separately, since both routes pay it), copied before {@code dsyevd} overwrites it,
 *       products by the backend's GEMV (one column) or GEMM (the end check); also K rounded to F32.
 * </ul>
 * F32 products run with an inner MINRES tolerance of 1e-4 (the F32 operator's rounding floor sits
 * near 1e-5) and their shifted solutions are then checked against the F64 operator: the column
 * "f64_res" is the largest ‖b − (K + σ_q I)x_q‖/‖b‖ over the shifts with K in F64.
 *
 * <p>Data: {@link KernelBenchmarkSetup#gaussianMixture} (seed 42), Matérn-5/2 with lengthscale ℓ
 * and variance 1, noise σ², b standard normal (seed 44). Single runs on a warmed-up JVM; the
 * one-product times are interleaved, best of three.
 *
 * <p>Not a unit test; a plain main (docs/performance.md, "Krylov methods against LAPACK"):
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx12g \
 *   -cp algorithms/target/test-classes:algorithms/target/classes:api/target/classes:spi-cpu-vector/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.iterative.CiqLapackBenchmark 10000 0.1 0.1 2
 * </pre>
 * Arguments: n, ℓ, σ², backend threads (defaults as shown), then optionally {@code nodense} (CIQ
 * rows only, no error column), {@code denseonly FILE} (the dense route alone, its answer written to
 * FILE, one value a line), {@code densefrom FILE} (CIQ rows checked against such a file: for a
 * machine too loaded to run {@code dsyevd} twice; the dense times are then those of that run) or
 * {@code lazyfrom FILE} (the same, route (a) rows only), {@code target} (only the F64 rows at the
 * issue's 1e-4 accuracy, then the dense route), or {@code bound} (route (b) F64 at MINRES
 * 1e-5 and 1e-8 with an a-posteriori error bound that needs no dense answer).
 */
public final class CiqLapackBenchmark {
  private CiqLapackBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    double lengthscale = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
    double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    String mode = args.length > 4 ? args[4] : "full";
    Path file = args.length > 5 ? Path.of(args[5]) : null;
    LAPACK lapack = LAPACK.getInstance();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), KernelBenchmarkSetup.describeLapack(lapack));
    System.out.printf(Locale.ROOT, "n = %d, 3-D Gaussian mixture (12 components, sd 0.08, seed 42), Matern-5/2 l = %g, "
        + "variance 1, noise %g, vector backend %d threads, mode %s, load %s%n", n, lengthscale, noise, threads, mode,
        KernelBenchmarkSetup.loadAverage());

    Matrix points = KernelBenchmarkSetup.gaussianMixture(n, 42);
    Matrix b = KernelBenchmarkSetup.gaussian(n, 1, 44);
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.MATERN_52, lengthscale, 1.0);
    CpuTimed<double[]> formed = KernelBenchmarkSetup.timeCpu(() -> KernelBenchmarkSetup.denseKernel(kernel, points, noise));
    System.out.printf(Locale.ROOT, "form K + s2 I densely (F64, both dense routes pay it): %.2f s wall, %.2f s cpu%n",
        formed.seconds(), formed.cpuSeconds());
    if (mode.equals("denseonly")) {
      DenseRoute dense = denseRoute(lapack, formed.value(), b, n);
      dense.print(formed);
      write(file, dense.x());
      return;
    }
    try (Compute vector = KernelBenchmarkSetup.vectorBackend(threads)) {
      TimedOperator lazy64 = new TimedOperator(withNoise(KernelOperator.symmetric(kernel, points, vector), noise));
      TimedOperator lazy32 = new TimedOperator(withNoise(
          KernelOperator.symmetric(kernel, points.toDType(DType.F32), vector), noise));
      double[] k64 = mode.equals("full") || mode.equals("target") ? formed.value().clone() : formed.value();
      Timed<float[]> rounded = KernelBenchmarkSetup.time(() -> toFloat(k64));
      TimedOperator dense64 = new TimedOperator(symmetricDense(Matrix.wrap(k64, n, n), vector));
      TimedOperator dense32 = new TimedOperator(symmetricDense(Matrix.wrap(rounded.value(), n, n), vector));
      System.out.printf(Locale.ROOT, "round K to F32: %.2f s%n", rounded.seconds());
      List<TimedOperator> all = List.of(lazy64, lazy32, dense64, dense32);
      double[] best = new double[all.size()];
      Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int rep = 0; rep < 4; rep++) {  // the first is the JIT warm-up; then A B C D A B C D ...
        for (int op = 0; op < all.size(); op++) {
          TimedOperator a = all.get(op);
          Matrix x = a.dtype() == DType.F32 ? b.toDType(DType.F32) : b;
          double s = KernelBenchmarkSetup.time(() -> a.apply(x)).seconds();
          best[op] = rep == 0 ? best[op] : Math.min(best[op], s);
        }
      }
      System.out.printf(Locale.ROOT, "one product (K + s2 I)v, best of 3 interleaved: lazy F64 %.3f s, lazy F32 %.3f s, "
          + "dense F64 %.3f s, dense F32 %.3f s (load %s)%n", best[0], best[1], best[2], best[3],
          KernelBenchmarkSetup.loadAverage());

      ContourIntegralQuadratureOptions defaults = ContourIntegralQuadratureOptions.defaults();
      ContourIntegralQuadratureOptions loose = defaults.withMinres(defaults.minres().withTolerance(1e-4));
      ContourIntegralQuadratureOptions reorth = defaults.withMinres(defaults.minres().withReorthogonalization(true));
      ContourIntegralQuadratureOptions looseReorth = loose.withMinres(loose.minres().withReorthogonalization(true));
      if (mode.equals("bound")) {
        double lambdaMaxBound = maxAbsRowSum(k64, n);
        for (double tol : new double[] {1e-5, 1e-8}) {
          ContourIntegralQuadratureOptions o = reorth.withMinres(reorth.minres().withTolerance(tol));
          Run r = run("(b) dense K, F64, MINRES " + tol + ", reorth", dense64, b, o, dense64);
          System.out.printf(Locale.ROOT, "certified: ||x - K^-1/2 b||/||K^-1/2 b|| <= %.2e (spectrum in [%g, %.4g])%n",
              errorBound(r.result(), noise, lambdaMaxBound), noise, lambdaMaxBound);
        }
        return;
      }
      // most telling rows first: on a loaded machine a run may have to stop early
      List<Run> runs = new ArrayList<>();
      boolean lazyOnly = mode.equals("lazyfrom");
      // the accuracy (1e-4 relative) with F64 products: MINRES at 1e-4, checked against the dense answer
      if (!lazyOnly) {
        runs.add(run("(b) dense K, F64, MINRES 1e-4, reorth", dense64, b, looseReorth, dense64));
      }
      runs.add(run("(a) lazy, F64, MINRES 1e-4, reorth", lazy64, b, looseReorth, dense64));
      if (!lazyOnly && !mode.equals("target")) {
        runs.add(run("(b) dense K, F64, MINRES 1e-5, reorth", dense64, b, reorth, dense64));
        runs.add(run("(b) dense K, F32, MINRES 1e-4, reorth", dense32, b, looseReorth, dense64));
      }
      if (!mode.equals("target")) {
        runs.add(run("(a) lazy, F32, MINRES 1e-4, reorth", lazy32, b, looseReorth, dense64));
        runs.add(run("(a) lazy, F64, MINRES 1e-5, reorth", lazy64, b, reorth, dense64));
      }
      if (!lazyOnly && !mode.equals("target")) {
        runs.add(run("(b) dense K, F64, MINRES 1e-5", dense64, b, defaults, dense64));
        runs.add(run("(b) dense K, F32, MINRES 1e-4", dense32, b, loose, dense64));
      }
      if (!mode.equals("target")) {
        runs.add(run("(a) lazy, F64, MINRES 1e-5", lazy64, b, defaults, dense64));
      }
      System.out.printf(Locale.ROOT, "CIQ rows done (load %s)%n", KernelBenchmarkSetup.loadAverage());
      if (mode.equals("nodense")) {
        return;
      }
      double[] want;
      double denseTotal;
      double denseCpu;
      if (mode.equals("densefrom") || lazyOnly) {
        want = read(file, n);
        denseTotal = Double.NaN;
        denseCpu = Double.NaN;
        System.out.println("dense answer read from " + file + " (times: that run's log)");
      } else {
        DenseRoute dense = denseRoute(lapack, formed.value(), b, n);
        dense.print(formed);
        want = dense.x();
        denseTotal = formed.seconds() + dense.seconds();
        denseCpu = formed.cpuSeconds() + dense.cpuSeconds();
      }
      header();
      for (Run r : runs) {
        boolean formsK = r.name().startsWith("(b)");
        print(r, want, denseTotal, denseCpu, formsK ? formed.seconds() : 0, formsK ? formed.cpuSeconds() : 0);
      }
    }
  }

  private record DenseRoute(double[] x, double[] values, CpuTimed<Integer> syevd, CpuTimed<double[]> apply) {
    double seconds() {
      return syevd.seconds() + apply.seconds();
    }

    double cpuSeconds() {
      return syevd.cpuSeconds() + apply.cpuSeconds();
    }

    void print(CpuTimed<double[]> form) {
      int n = values.length;
      System.out.printf(Locale.ROOT, "spectrum of K: [%.4g, %.4g], condition %.3g%n", values[0], values[n - 1],
          values[n - 1] / values[0]);
      System.out.printf(Locale.ROOT, "dense route: form %.1f s + dsyevd %.1f s + V.L^-1/2.V'b %.2f s = %.1f s wall; "
          + "cpu %.1f + %.1f + %.2f = %.1f s (load %s)%n", form.seconds(), syevd.seconds(), apply.seconds(),
          form.seconds() + seconds(), form.cpuSeconds(), syevd.cpuSeconds(), apply.cpuSeconds(),
          form.cpuSeconds() + cpuSeconds(), KernelBenchmarkSetup.loadAverage());
    }
  }

  /** dsyevd on {@code k} (overwritten by the eigenvectors), then V·Λ^{-1/2}·Vᵀ·b. */
  private static DenseRoute denseRoute(LAPACK lapack, double[] k, Matrix b, int n) {
    double[] values = new double[n];
    CpuTimed<Integer> syevd = KernelBenchmarkSetup.timeCpu(() -> {
      double[] work = new double[1];
      int[] iwork = new int[1];
      intW info = new intW(0);
      lapack.dsyevd("V", "L", n, k, n, values, work, -1, iwork, -1, info);
      work = new double[(int) work[0]];
      iwork = new int[iwork[0]];
      lapack.dsyevd("V", "L", n, k, n, values, work, work.length, iwork, iwork.length, info);
      return info.val;
    });
    if (syevd.value() != 0) {
      throw new IllegalStateException("dsyevd info = " + syevd.value());
    }
    // column-major V: eigenvector j is k[j*n .. j*n + n)
    CpuTimed<double[]> apply = KernelBenchmarkSetup.timeCpu(() -> {
      double[] c = new double[n];
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += k[j * n + i] * b.get(i, 0);
        }
        c[j] = s / Math.sqrt(values[j]);
      }
      double[] x = new double[n];
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          x[i] += k[j * n + i] * c[j];
        }
      }
      return x;
    });
    return new DenseRoute(apply.value(), values, syevd, apply);
  }

  private record Run(String name, ContourIntegralQuadratureResult result, double seconds, double cpuSeconds,
      double productSeconds, double f64Residual) {}

  /** The first route's answer, the yardstick of the later rows until the dense answer is there. */
  private static double[] first;

  private static Run run(String name, TimedOperator a, Matrix b, ContourIntegralQuadratureOptions options,
      LinearOperator f64) {
    a.reset();
    CpuTimed<ContourIntegralQuadratureResult> t = KernelBenchmarkSetup.timeCpu(
        () -> ContourIntegralQuadrature.inverseSqrt(a, b, options));
    double productSeconds = a.seconds();
    double f64Residual = shiftedResidual(f64, b, t.value());
    Run r = new Run(name, t.value(), t.seconds(), t.cpuSeconds(), productSeconds, f64Residual);
    double[] x = r.result().solution().toDType(DType.F64).copy().f64();
    // xᵀKx = bᵀb holds for x = K^{-1/2}b: a check that needs no dense answer
    double[] kx = f64.apply(Matrix.wrap(x.clone(), x.length, 1)).toDType(DType.F64).copy().f64();
    double xkx = 0;
    double bb = 0;
    for (int i = 0; i < x.length; i++) {
      xkx += x[i] * kx[i];
      bb += b.get(i, 0) * b.get(i, 0);
    }
    System.out.printf(Locale.ROOT, "done (load %s): |x'Kx/b'b - 1| = %.2e%s%n", KernelBenchmarkSetup.loadAverage(),
        Math.abs(xkx / bb - 1), first == null ? "" : String.format(Locale.ROOT, ", ||x - x_first||/||x_first|| = %.2e",
            KernelBenchmarkSetup.relativeError(x, first)));
    if (first == null) {
      first = x;
    }
    header();
    print(r, null, Double.NaN, Double.NaN, 0, 0);
    return r;
  }

  /** max_i Σ_j |K_ij| of the row-major n×n array: a bound on λ_max (Gershgorin). */
  private static double maxAbsRowSum(double[] k, int n) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += Math.abs(k[i * n + j]);
      }
      worst = Math.max(worst, s);
    }
    return worst;
  }

  /**
   * An a-posteriori bound on the relative error of CIQ's K^{-1/2}b that needs no dense answer,
   * for K with spectrum in [lo, hi] (lo = σ², since K_ν is PSD; hi from Gershgorin). With r_q the
   * recomputed shifted residuals, x − rule(K)b = −Σ_q ω_q (K + σ_q I)⁻¹ r_q, so
   * ‖x − rule(K)b‖ ≤ Σ_q |ω_q|·‖r_q‖/(lo + σ_q); ‖K^{-1/2}b‖ ≥ ‖b‖/√hi; and the rule's own error
   * is at most its largest relative error over [lo, hi] (evaluated on 200 points).
   */
  private static double errorBound(ContourIntegralQuadratureResult r, double lo, double hi) {
    double[] w = r.quadrature().weights();
    double[] shifts = r.quadrature().shifts();
    double[][] res = r.minres().residualNorms();
    double sum = 0;
    for (int q = 0; q < w.length; q++) {
      sum += Math.abs(w[q]) * res[q][0] / (lo + shifts[q]);
    }
    return ContourIntegralQuadrature.ruleError(r.quadrature(), lo, hi) + Math.sqrt(hi) * sum;
  }

  /** max_q ‖b − (K + σ_q I)x_q‖/‖b‖ with the F64 operator, one block product over all shifts. */
  private static double shiftedResidual(LinearOperator f64, Matrix b, ContourIntegralQuadratureResult r) {
    List<Matrix> xs = r.minres().solutions();
    double[] shifts = r.quadrature().shifts();
    int n = b.rows();
    Matrix block = Matrix.zeros(DType.F64, n, xs.size());
    for (int q = 0; q < xs.size(); q++) {
      for (int i = 0; i < n; i++) {
        block.set(i, q, xs.get(q).get(i, 0));
      }
    }
    Matrix ax = f64.apply(block);
    double bb = 0;
    for (int i = 0; i < n; i++) {
      bb += b.get(i, 0) * b.get(i, 0);
    }
    double worst = 0;
    for (int q = 0; q < xs.size(); q++) {
      double rr = 0;
      for (int i = 0; i < n; i++) {
        double res = b.get(i, 0) - ax.get(i, q) - shifts[q] * block.get(i, q);
        rr += res * res;
      }
      worst = Math.max(worst, Math.sqrt(rr / bb));
    }
    return worst;
  }

  private static void header() {
    System.out.printf(Locale.ROOT, "%-44s %9s %9s %10s %9s %6s %10s %10s %10s %9s %9s%n", "route", "time_s", "cpu_s",
        "products_s", "products", "iters", "rel_err", "f64_res", "quad_err", "vs_dense", "cpu_vs");
  }

  /**
   * One row; {@code form} (wall) and {@code formCpu} are added to the CIQ times for the ratios when
   * the route needs K formed.
   */
  private static void print(Run r, double[] want, double denseTotal, double denseCpu, double form, double formCpu) {
    double[] got = r.result().solution().toDType(DType.F64).copy().f64();
    String label = r.result().converged() ? r.name() : r.name() + " NOT CONVERGED (" + r.result().reason() + ")";
    System.out.printf(Locale.ROOT, "%-44s %9.2f %9.2f %10.2f %9d %6d %10.2e %10.2e %10.2e %9.1f %9.1f%n", label,
        r.seconds(), r.cpuSeconds(), r.productSeconds(), r.result().krylovProducts(), r.result().minres().iterations(),
        want == null ? Double.NaN : KernelBenchmarkSetup.relativeError(got, want), r.f64Residual(),
        r.result().quadratureError(), denseTotal / (r.seconds() + form), denseCpu / (r.cpuSeconds() + formCpu));
    System.out.flush();
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  private static void write(Path file, double[] x) {
    StringBuilder s = new StringBuilder();
    for (double v : x) {
      s.append(v).append('\n');
    }
    try {
      Files.writeString(file, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The dense answer from {@code file}, waiting for it while another process (mode denseonly) still computes it. */
  private static double[] read(Path file, int n) {
    try {
      while (!Files.exists(file)) {
        Thread.sleep(10_000);
      }
      Thread.sleep(2_000);  // let the writer finish
      double[] x = Files.readAllLines(file).stream().mapToDouble(Double::parseDouble).toArray();
      if (x.length != n) {
        throw new IllegalStateException(file + " has " + x.length + " values, not " + n);
      }
      return x;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + file, e);
    }
  }

  private static LinearOperator withNoise(KernelOperator k, double noise) {
    double[] d = new double[k.rows()];
    Arrays.fill(d, noise);
    return Operators.tagged(Operators.sum(k, Operators.diagonal(k.dtype(), d)), Structure.SYMMETRIC, Structure.PSD);
  }

  /** The formed K as an SPD operator: one right-hand side goes through GEMV (DenseOperator). */
  private static LinearOperator symmetricDense(Matrix k, Compute compute) {
    return Operators.tagged(Operators.dense(k, compute), Structure.SYMMETRIC, Structure.PSD);
  }

  /** A symmetric operator that adds up the wall time spent in its products. */
  private static final class TimedOperator implements LinearOperator {
    private final LinearOperator inner;
    private long nanos;

    TimedOperator(LinearOperator inner) {
      this.inner = inner;
    }

    void reset() {
      nanos = 0;
    }

    double seconds() {
      return nanos * 1e-9;
    }

    @Override
    public int rows() {
      return inner.rows();
    }

    @Override
    public int cols() {
      return inner.cols();
    }

    @Override
    public DType dtype() {
      return inner.dtype();
    }

    @Override
    public Matrix apply(Matrix x) {
      long start = System.nanoTime();
      Matrix y = inner.apply(x);
      nanos += System.nanoTime() - start;
      return y;
    }

    @Override
    public Matrix applyTranspose(Matrix y) {
      return apply(y);
    }

    @Override
    public Set<Structure> structure() {
      return inner.structure();
    }
  }
}
