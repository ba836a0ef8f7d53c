package structura.algorithms.iterative;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import java.util.Locale;
import org.netlib.util.intW;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;
import structura.algorithms.iterative.KernelBenchmarkSetup.Timed;

/**
 * Side by side in one run: (K + σ²I)·x = b for an RBF kernel matrix K of n = 20,000 points,
 * solved (1) by {@link ConjugateGradient} with a rank-r {@link PivotedCholeskyPreconditioner} on
 * the lazy F64 {@link KernelOperator} (products on the {@code vector} backend, K never formed; the
 * preconditioner reads its r columns of K directly, {@link KernelOperator#column}), and (2) densely: K + σ²I formed in F64, then
 * LAPACK {@code dpotrf} + {@code dpotrs} through dev.ludovic.netlib (native OpenBLAS when
 * liblapack.so.3 resolves to it; the first line says which library and core loaded).
 *
 * <p>Data: {@link KernelBenchmarkSetup#gaussianMixture} (seed 42), RBF kernel with lengthscale ℓ
 * and variance 1, noise σ², b standard normal (seed 43). Errors: ‖x − x_dense‖/‖x_dense‖ and the
 * relative residual ‖b − (K + σ²I)x‖/‖b‖ with the product through the lazy F64 operator (the same
 * for every row, including the dense one). Every time is a single run on a warmed-up JVM.
 *
 * <p>Not a unit test; a plain main (docs/performance.md, "Krylov methods against LAPACK"):
 * <pre>
 * ./mvnw -q -pl api,algorithms,spi-cpu-vector -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx12g \
 *   -cp algorithms/target/test-classes:algorithms/target/classes:api/target/classes:spi-cpu-vector/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.iterative.CgKernelLapackBenchmark 20000 0.2 0.01 500 1e-8 2
 * </pre>
 * Arguments: n, ℓ, σ², rank r, CG tolerance, backend threads (defaults as shown).
 */
public final class CgKernelLapackBenchmark {
  private CgKernelLapackBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    double lengthscale = args.length > 1 ? Double.parseDouble(args[1]) : 0.2;
    double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0.01;
    int rank = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    double tolerance = args.length > 4 ? Double.parseDouble(args[4]) : 1e-8;
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    LAPACK lapack = LAPACK.getInstance();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), KernelBenchmarkSetup.describeLapack(lapack));
    System.out.printf(Locale.ROOT, "n = %d, 3-D Gaussian mixture (12 components, sd 0.08, seed 42), RBF l = %g, "
        + "variance 1, noise %g, rank %d, CG tolerance %g, vector backend %d threads%n",
        n, lengthscale, noise, rank, tolerance, threads);

    Matrix points = KernelBenchmarkSetup.gaussianMixture(n, 42);
    Matrix b = KernelBenchmarkSetup.gaussian(n, 1, 43);
    KernelFunction kernel = KernelFunction.isotropic(RadialKernel.Kind.GAUSSIAN, lengthscale, 1.0);
    double[] noiseDiagonal = new double[n];
    Arrays.fill(noiseDiagonal, noise);
    try (Compute vector = KernelBenchmarkSetup.vectorBackend(threads)) {
      KernelOperator k64 = KernelOperator.symmetric(kernel, points, vector);
      LinearOperator a64 = withNoise(k64, noise);
      a64.apply(b);  // warm-up: JIT of the backend's kernel loop
      Timed<Matrix> product = KernelBenchmarkSetup.time(() -> a64.apply(b));
      System.out.printf(Locale.ROOT, "one product (K + s2 I)v: %.3f s%n", product.seconds());

      Timed<PivotedCholeskyPreconditioner> pre = KernelBenchmarkSetup.time(() -> PivotedCholeskyPreconditioner.ofColumns(
          n, k64::column, k64.diagonal(), noiseDiagonal, PivotedCholeskyOptions.ofRank(rank)));
      ConjugateGradientOptions options = ConjugateGradientOptions.defaults().withTolerance(tolerance)
          .withPreconditioner(pre.value());
      Timed<SolveResult> cg64 = KernelBenchmarkSetup.time(() -> ConjugateGradient.solve(a64, b, options));

      Timed<double[]> dense = KernelBenchmarkSetup.time(() -> KernelBenchmarkSetup.denseKernel(kernel, points, noise));
      double[] x = b.f64().clone();
      Timed<Integer> potrf = KernelBenchmarkSetup.time(() -> {
        intW info = new intW(0);
        lapack.dpotrf("L", n, dense.value(), n, info);
        return info.val;
      });
      if (potrf.value() != 0) {
        throw new IllegalStateException("dpotrf info = " + potrf.value());
      }
      Timed<Integer> potrs = KernelBenchmarkSetup.time(() -> {
        intW info = new intW(0);
        lapack.dpotrs("L", n, 1, dense.value(), n, x, n, info);
        return info.val;
      });

      System.out.printf(Locale.ROOT, "%-44s %10s %10s %6s %9s %12s %12s%n", "route", "setup_s", "solve_s", "iters",
          "products", "rel_err", "rel_resid");
      double denseSolve = potrf.seconds() + potrs.seconds();
      row("dense: form K (F64) + dpotrf + dpotrs", dense.seconds(), denseSolve, 0, 0, 0, residual(a64, x, b));
      row("CG + pivoted Cholesky r=" + rank + ", F64 products", pre.seconds(), cg64.seconds(), cg64.value(), x, a64, b);
      System.out.printf(Locale.ROOT, "dense total %.2f s (form %.2f, dpotrf %.2f, dpotrs %.3f); CG F64 total %.2f s: "
          + "%.1fx faster%n", dense.seconds() + denseSolve, dense.seconds(), potrf.seconds(), potrs.seconds(),
          pre.seconds() + cg64.seconds(), (dense.seconds() + denseSolve) / (pre.seconds() + cg64.seconds()));
    }
  }

  private static LinearOperator withNoise(KernelOperator k, double noise) {
    double[] d = new double[k.rows()];
    Arrays.fill(d, noise);
    return Operators.tagged(Operators.sum(k, Operators.diagonal(k.dtype(), d)), Structure.SYMMETRIC, Structure.PSD);
  }

  private static void row(String name, double setup, double solve, SolveResult r, double[] dense, LinearOperator a64,
      Matrix b) {
    double[] x = r.solution().toDType(DType.F64).copy().f64();
    if (!r.converged()) {
      name += " NOT CONVERGED (" + r.reason() + ")";
    }
    row(name, setup, solve, r.iterations(), r.matrixVectorProducts(), KernelBenchmarkSetup.relativeError(x, dense),
        residual(a64, x, b));
  }

  private static void row(String name, double setup, double solve, int iterations, long products, double error,
      double residual) {
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f %6d %9d %12.2e %12.2e%n", name, setup, solve, iterations,
        products, error, residual);
  }

  /** ‖b − A·x‖/‖b‖ with A applied lazily in F64. */
  private static double residual(LinearOperator a64, double[] x, Matrix b) {
    Matrix ax = a64.apply(Matrix.wrap(x, x.length, 1));
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      double r = b.get(i, 0) - ax.get(i, 0);
      num += r * r;
      den += b.get(i, 0) * b.get(i, 0);
    }
    return Math.sqrt(num / den);
  }
}
