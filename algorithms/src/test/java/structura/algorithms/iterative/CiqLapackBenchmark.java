package structura.algorithms.iterative;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.netlib.util.intW;
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
 * n = 10,000 points, by {@link ContourIntegralQuadrature} on the lazy {@link KernelOperator}
 * (products on the {@code vector} backend) and densely: K formed in F64, LAPACK {@code dsyevd}
 * (divide and conquer, eigenvectors) through dev.ludovic.netlib, then V·Λ^{-1/2}·Vᵀ·b.
 *
 * <p>CIQ rows: F64 products with the defaults (15 quadrature points, 20 Lanczos steps for the
 * spectrum bounds, MINRES to relative residual 1e-5), and F32 kernel products (the lazy operator
 * on F32 points, F64 Krylov arithmetic, the low-precision lever of linalg.md §5). The number of
 * quadrature points N changes only the O(N·n) vector work per MINRES step, not the products. For each: time, time inside the operator's products,
 * products, and ‖x − x_dense‖/‖x_dense‖.
 *
 * <p>Data: {@link KernelBenchmarkSetup#gaussianMixture} (seed 42), Matérn-5/2 with lengthscale ℓ
 * and variance 1, noise σ², b standard normal (seed 44). Single runs on a warmed-up JVM.
 *
 * <p>Not a unit test; a plain main (docs/performance.md, "Krylov methods against LAPACK"):
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx12g \
 *   -cp algorithms/target/test-classes:algorithms/target/classes:api/target/classes:spi-cpu-vector/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.iterative.CiqLapackBenchmark 10000 0.1 0.1 2
 * </pre>
 * Arguments: n, ℓ, σ², backend threads (defaults as shown), and {@code nodense} to run only the
 * CIQ rows (each is printed as soon as it finishes; the error column then stays empty).
 */
public final class CiqLapackBenchmark {
  private CiqLapackBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    double lengthscale = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
    double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    boolean withDense = !(args.length > 4 && args[4].equals("nodense"));
    LAPACK lapack = LAPACK.getInstance();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), KernelBenchmarkSetup.describeLapack(lapack));
    System.out.printf(Locale.ROOT, "n = %d, 3-D Gaussian mixture (12 components, sd 0.08, seed 42), Matern-5/2 l = %g, "
        + "variance 1, noise %g, vector backend %d threads%n", n, lengthscale, noise, threads);

    Matrix points = KernelBenchmarkSetup.gaussianMixture(n, 42);
    Matrix b = KernelBenchmarkSetup.gaussian(n, 1, 44);
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.MATERN_52, lengthscale, 1.0);
    try (Compute vector = KernelBenchmarkSetup.vectorBackend(threads)) {
      TimedOperator a64 = new TimedOperator(withNoise(KernelOperator.symmetric(kernel, points, vector), noise));
      TimedOperator a32 = new TimedOperator(withNoise(
          KernelOperator.symmetric(kernel, points.toDType(DType.F32), vector), noise));
      a64.apply(b);  // warm-up: JIT of the backend's kernel loop
      a32.apply(b.toDType(DType.F32));
      Timed<Matrix> p64 = KernelBenchmarkSetup.time(() -> a64.apply(b));
      Timed<Matrix> p32 = KernelBenchmarkSetup.time(() -> a32.apply(b.toDType(DType.F32)));
      System.out.printf(Locale.ROOT, "one product (K + s2 I)v: F64 %.3f s, F32 %.3f s%n", p64.seconds(), p32.seconds());

      ContourIntegralQuadratureOptions defaults = ContourIntegralQuadratureOptions.defaults();
      System.out.printf(Locale.ROOT, "%-46s %9s %10s %9s %6s %10s %10s %9s%n", "route", "time_s", "products_s",
          "products", "iters", "rel_err", "quad_err", "vs_dense");
      Run ciq64 = run(a64, b, defaults);
      print("CIQ F64, N=15, bounds from 20 Lanczos steps", ciq64, null, Double.NaN);
      Run ciq32 = run(a32, b, defaults);
      print("CIQ F32 products, N=15", ciq32, null, Double.NaN);
      if (!withDense) {
        return;
      }

      Timed<double[]> dense = KernelBenchmarkSetup.time(() -> KernelBenchmarkSetup.denseKernel(kernel, points, noise));
      double[] values = new double[n];
      Timed<Integer> syevd = KernelBenchmarkSetup.time(() -> {
        double[] work = new double[1];
        int[] iwork = new int[1];
        intW info = new intW(0);
        lapack.dsyevd("V", "L", n, dense.value(), n, values, work, -1, iwork, -1, info);
        work = new double[(int) work[0]];
        iwork = new int[iwork[0]];
        lapack.dsyevd("V", "L", n, dense.value(), n, values, work, work.length, iwork, iwork.length, info);
        return info.val;
      });
      if (syevd.value() != 0) {
        throw new IllegalStateException("dsyevd info = " + syevd.value());
      }
      // column-major V: eigenvector j is dense[j*n .. j*n + n)
      Timed<double[]> apply = KernelBenchmarkSetup.time(() -> {
        double[] v = dense.value();
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += v[j * n + i] * b.get(i, 0);
          }
          c[j] = s / Math.sqrt(values[j]);
        }
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < n; i++) {
            x[i] += v[j * n + i] * c[j];
          }
        }
        return x;
      });
      double[] want = apply.value();
      double denseTotal = dense.seconds() + syevd.seconds() + apply.seconds();

      System.out.printf(Locale.ROOT, "spectrum of K: [%.4g, %.4g], condition %.3g%n", values[0], values[n - 1],
          values[n - 1] / values[0]);
      System.out.printf(Locale.ROOT, "%-46s %9.2f %10s %9s %6s %10s %10s %9s%n",
          String.format(Locale.ROOT, "dense: form %.1f s + dsyevd %.1f s + V.L^-1/2.V'b %.2f s", dense.seconds(),
              syevd.seconds(), apply.seconds()), denseTotal, "", "", "", "0", "", "1.0");
      print("CIQ F64, N=15, bounds from 20 Lanczos steps", ciq64, want, denseTotal);
      print("CIQ F32 products, N=15", ciq32, want, denseTotal);
    }
  }

  private record Run(ContourIntegralQuadratureResult result, double seconds, double productSeconds) {}

  private static Run run(TimedOperator a, Matrix b, ContourIntegralQuadratureOptions options) {
    a.reset();
    Timed<ContourIntegralQuadratureResult> t = KernelBenchmarkSetup.time(
        () -> ContourIntegralQuadrature.inverseSqrt(a, b, options));
    return new Run(t.value(), t.seconds(), a.seconds());
  }

  private static void print(String name, Run r, double[] want, double denseTotal) {
    double[] got = r.result().solution().toDType(DType.F64).copy().f64();
    String label = r.result().converged() ? name : name + " NOT CONVERGED (" + r.result().reason() + ")";
    System.out.printf(Locale.ROOT, "%-46s %9.2f %10.2f %9d %6d %10.2e %10.2e %9.1f%n", label, r.seconds(),
        r.productSeconds(), r.result().krylovProducts(), r.result().minres().iterations(),
        want == null ? Double.NaN : KernelBenchmarkSetup.relativeError(got, want), r.result().quadratureError(),
        denseTotal / r.seconds());
    System.out.flush();
  }

  private static LinearOperator withNoise(KernelOperator k, double noise) {
    double[] d = new double[k.rows()];
    Arrays.fill(d, noise);
    return Operators.tagged(Operators.sum(k, Operators.diagonal(k.dtype(), d)), Structure.SYMMETRIC, Structure.PSD);
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
