package structura.algorithms.structured;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.netlib.util.intW;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Side by side in one run: structured {@link Linalg} against dense LAPACK through
 * dev.ludovic.netlib (dposv, dpotrf, dsyevd; native OpenBLAS when {@code liblapack.so.3} resolves
 * to it, else the Java F2J port, printed in the first line) and EJML (Cholesky solve, Cholesky
 * determinant, symmetric QR eigensolver), on the cases of {@link StructuredBenchmark}: A⊗B with
 * √n×√n SPD factors, 64 SPD blocks, and diagonal + rank 64 at order 4n.
 *
 * <p>Not a unit test; run it as a plain main (docs/performance.md):
 * <pre>
 * ./mvnw -q -pl api,algorithms -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xmx8g -cp algorithms/target/test-classes:algorithms/target/classes:api/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.structured.StructuredLapackBenchmark 4096 1024 4096
 * </pre>
 * Arguments: n (default 4096); the largest order at which EJML's eigensolver runs (default 1024:
 * larger orders are timed there and scaled by (n/n₀)³, as it takes minutes at 4096); the largest
 * order of the dense Woodbury comparison (default 4096, scaled the same way; 16384² doubles are
 * 2 GiB). Structured times are the best of up to ten runs (within about 2 s), dense ones a single
 * run. Relative errors compare
 * the structured result with LAPACK's at the same order.
 */
public final class StructuredLapackBenchmark {
  private StructuredLapackBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int ejmlEigMax = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int woodburyMax = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
    LAPACK lapack = LAPACK.getInstance();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK impl %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), lapack.getClass().getSimpleName());
    System.out.printf(Locale.ROOT, "%-34s %-7s %6s %12s %12s %12s %10s %10s %10s%n", "operator", "function", "n",
        "structured_s", "lapack_s", "ejml_s", "vs_lapack", "vs_ejml", "rel_error");
    int f = (int) Math.sqrt(n);
    SplittableRandom rnd = new SplittableRandom(42);
    LinearOperator k = Operators.kronecker(StructuredBenchmark.spd(f, rnd, Compute.reference()),
        StructuredBenchmark.spd(f, rnd, Compute.reference()));
    threeFunctions("kronecker " + f + "x" + f + " (x) " + f + "x" + f, k, lapack, ejmlEigMax, rnd);
    LinearOperator[] blocks = new LinearOperator[64];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = StructuredBenchmark.spd(n / 64, rnd, Compute.reference());
    }
    threeFunctions("blockDiagonal 64 x " + n / 64 + "x" + n / 64, Operators.blockDiagonal(blocks), lapack, ejmlEigMax, rnd);
    woodbury(4 * n, Math.min(4 * n, woodburyMax), lapack, rnd);
  }

  private static void threeFunctions(String name, LinearOperator op, LAPACK lapack, int ejmlEigMax, SplittableRandom rnd) {
    int n = op.rows();
    double[] a = op.toDense().f64(); // symmetric: row- and column-major agree
    Matrix b = StructuredBenchmark.random(n, 1, rnd);

    Timed<Matrix> s = best(() -> Linalg.solve(op, b));
    Timed<double[]> l = once(() -> {
      double[] w = a.clone();
      double[] x = b.f64().clone();
      intW info = new intW(0);
      lapack.dposv("L", n, 1, w, n, x, n, info);
      return x;
    });
    Timed<double[]> e = once(() -> {
      LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n);
      chol.setA(DMatrixRMaj.wrap(n, n, a.clone()));
      DMatrixRMaj x = new DMatrixRMaj(n, 1);
      chol.solve(DMatrixRMaj.wrap(n, 1, b.f64().clone()), x);
      return x.data;
    });
    print(name, "solve", n, s, l, e.seconds(), relative(s.value().f64(), l.value()));

    Timed<LogDeterminant> sd = best(() -> Linalg.logdet(op));
    Timed<Double> ld = once(() -> {
      double[] w = a.clone();
      intW info = new intW(0);
      lapack.dpotrf("L", n, w, n, info);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += Math.log(w[i * n + i]);
      }
      return 2 * sum;
    });
    Timed<Double> ed = once(() -> {
      CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
      chol.decompose(DMatrixRMaj.wrap(n, n, a.clone()));
      DMatrixRMaj t = chol.getT(null);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += Math.log(t.get(i, i));
      }
      return 2 * sum;
    });
    print(name, "logdet", n, sd, ld, ed.seconds(), Math.abs(sd.value().logAbs() - ld.value()) / Math.abs(ld.value()));

    Timed<Eigendecomposition> se = best(() -> Linalg.eigh(op));
    Timed<double[]> le = once(() -> {
      double[] w = a.clone();
      double[] values = new double[n];
      double[] work = new double[1];
      int[] iwork = new int[1];
      intW info = new intW(0);
      lapack.dsyevd("V", "L", n, w, n, values, work, -1, iwork, -1, info);
      work = new double[(int) work[0]];
      iwork = new int[iwork[0]];
      lapack.dsyevd("V", "L", n, w, n, values, work, work.length, iwork, iwork.length, info);
      return values;
    });
    int n0 = Math.min(n, ejmlEigMax);
    double[] a0 = n0 == n ? a : StructuredBenchmark.spd(n0, rnd, Compute.reference()).toDense().f64();
    Timed<Boolean> ee = once(() -> {
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n0, true, true);
      return eig.decompose(DMatrixRMaj.wrap(n0, n0, a0.clone()));
    });
    double[] got = se.value().values();
    double err = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      err = Math.max(err, Math.abs(got[i] - le.value()[i]));
      scale = Math.max(scale, Math.abs(le.value()[i]));
    }
    print(name + (n0 < n ? " (EJML at " + n0 + ", x(n/n0)^3)" : ""), "eigh", n, se, le,
        ee.seconds() * Math.pow((double) n / n0, 3), err / scale);
  }

  private static void woodbury(int n, int n0, LAPACK lapack, SplittableRandom rnd) {
    LinearOperator op = StructuredBenchmark.diagonalPlusLowRank(n, rnd, Compute.reference());
    Matrix b = StructuredBenchmark.random(n, 1, rnd);
    Timed<Matrix> s = best(() -> Linalg.solve(op, b));
    LinearOperator small = n0 == n ? op : StructuredBenchmark.diagonalPlusLowRank(n0, rnd, Compute.reference());
    double[] a = small.toDense().f64();
    Matrix b0 = n0 == n ? b : StructuredBenchmark.random(n0, 1, rnd);
    Timed<double[]> l = once(() -> {
      double[] w = a.clone();
      double[] x = b0.f64().clone();
      intW info = new intW(0);
      lapack.dposv("L", n0, 1, w, n0, x, n0, info);
      return x;
    });
    Timed<Boolean> e = once(() -> {
      LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n0);
      return chol.setA(DMatrixRMaj.wrap(n0, n0, a.clone()));
    });
    double scale = Math.pow((double) n / n0, 3);
    Matrix r = op.apply(s.value());
    double res = 0;
    double nb = 0;
    for (int i = 0; i < n; i++) {
      res += (r.get(i, 0) - b.get(i, 0)) * (r.get(i, 0) - b.get(i, 0));
      nb += b.get(i, 0) * b.get(i, 0);
    }
    double err = n0 == n ? relative(s.value().f64(), l.value()) : Math.sqrt(res / nb);
    print("diagonal + rank 64" + (n0 < n ? " (dense at " + n0 + ", x(n/n0)^3; error = residual)" : ""), "solve", n, s,
        new Timed<>(null, l.seconds() * scale), e.seconds() * scale, err);
  }

  private static double relative(double[] a, double[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  private static void print(String name, String function, int n, Timed<?> s, Timed<?> l, double ejml, double err) {
    System.out.printf(Locale.ROOT, "%-34s %-7s %6d %12.5f %12.3f %12.3f %10.0f %10.0f %10.1e%n", name, function, n,
        s.seconds(), l.seconds(), ejml, l.seconds() / s.seconds(), ejml / s.seconds(), err);
  }

  private record Timed<T>(T value, double seconds) {}

  private static <T> Timed<T> best(java.util.function.Supplier<T> work) {
    // best of up to 10 runs within about 2 s: on a shared machine single runs vary by 10x or more
    Timed<T> best = once(work);
    double spent = best.seconds();
    for (int i = 0; i < 9 && spent < 2; i++) {
      Timed<T> t = once(work);
      spent += t.seconds();
      if (t.seconds() < best.seconds()) {
        best = t;
      }
    }
    return best;
  }

  private static <T> Timed<T> once(java.util.function.Supplier<T> work) {
    long start = System.nanoTime();
    T value = work.get();
    return new Timed<>(value, (System.nanoTime() - start) * 1e-9);
  }
}
