package structura.algorithms.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRColPivDecompositionHouseholderColumn_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.netlib.util.intW;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/**
 * Side-by-side timing of QR, column-pivoted QR and ID on one m×n F64 matrix (default 8192×1024):
 * ours on a chosen backend (default {@link Compute#reference()}), LAPACK dgeqrf/dgeqp3 through dev.ludovic.netlib (native
 * OpenBLAS when {@code liblapack.so.3} resolves to it, else the Java F2J port), and EJML.
 *
 * <p>Not a unit test (no {@code @Test}); run it as a plain main, see docs/performance.md:
 * <pre>
 * ./mvnw -q -pl api,algorithms test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp algorithms/target/test-classes:algorithms/target/classes:api/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.linalg.LinalgBenchmark 8192 1024 256
 * </pre>
 * Arguments: m, n, rank k of the truncated runs, repetitions (default 1) after a warm-up at 1/8 size,
 * backend id (default {@code java}, the reference; {@code vector} needs spi-cpu-vector's classes on
 * the class path and {@code --add-modules jdk.incubator.vector}), thread count of that backend
 * (default 2). The backend is opened strict, so a routine it lacks fails instead of falling back.
 */
public final class LinalgBenchmark {
  private LinalgBenchmark() {}

  public static void main(String[] args) {
    int m = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String backend = args.length > 4 ? args[4] : "java";
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    LAPACK lapack = LAPACK.getInstance();
    try (Compute c = backend.equals("java") ? Compute.reference()
        : Compute.open(BackendConfig.builder().backend(backend).strict(true).threads(threads).build())) {
      System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK impl %s, backend %s%n", Runtime.version(),
          Runtime.getRuntime().availableProcessors(), lapack.getClass().getSimpleName(), c.backend().describe());
      run(m / 8, n / 8, k / 8, 1, lapack, c, false);
      run(m, n, k, reps, lapack, c, true);
    }
  }

  /** Which path {@link QrPreprocessing#AUTO} takes at this shape and rank (0 = full). */
  private static String pre(int m, int n, int k) {
    return PivotedQr.reducesFirst(QrPreprocessing.AUTO, k, m, n) ? "QR, then dlaqps on R" : "direct dlaqps";
  }

  private static void run(int m, int n, int k, int reps, LAPACK lapack, Compute c, boolean print) {
    Matrix a = testMatrix(m, n);
    time(print, "ours HouseholderQr (blocked, nb=" + HouseholderQrOptions.defaults().blockSize() + ")", m, n, reps,
        () -> new HouseholderQr(c, HouseholderQrOptions.defaults()).factor(a));
    time(print, "ours PivotedQr full (default: " + pre(m, n, 0) + ")", m, n, reps,
        () -> new PivotedQr(c, PivotedQrOptions.defaults()).factor(a));
    time(print, "ours PivotedQr full, direct dlaqps", m, n, reps,
        () -> new PivotedQr(c, PivotedQrOptions.defaults().withPreprocessing(QrPreprocessing.NEVER)).factor(a));
    time(print, "ours PivotedQr rank " + k + " (default: " + pre(m, n, k) + ")", m, n, reps,
        () -> new PivotedQr(c, PivotedQrOptions.ofRank(k)).factor(a));
    time(print, "ours PivotedQr rank " + k + ", other path", m, n, reps,
        () -> new PivotedQr(c, PivotedQrOptions.ofRank(k).withPreprocessing(
            PivotedQr.reducesFirst(QrPreprocessing.AUTO, k, m, n) ? QrPreprocessing.NEVER : QrPreprocessing.ALWAYS))
            .factor(a));
    time(print, "ours InterpolativeDecomposition rank " + k, m, n, reps,
        () -> new InterpolativeDecomposition(c, InterpolativeDecompositionOptions.ofRank(k)).columnId(a));
    time(print, "ours RandomizedPivotedQr (HQRRP) full", m, n, reps,
        () -> new RandomizedPivotedQr(c, RandomizedPivotedQrOptions.defaults()).factor(a));
    time(print, "ours ID rank " + k + " Gaussian sketch", m, n, reps, () -> new InterpolativeDecomposition(c,
        InterpolativeDecompositionOptions.sketched(k, SketchKind.GAUSSIAN, 10, 1)).columnId(a));
    // LAPACK is column-major: the row-major data of Aᵀ is A in column-major order.
    double[] colMajor = Householder.toColumnMajor(a);
    time(print, "LAPACK dgeqrf", m, n, reps, () -> {
      double[] w = colMajor.clone();
      double[] tau = new double[n];
      lapackQr(lapack, m, n, w, tau);
    });
    time(print, "LAPACK dgeqp3", m, n, reps, () -> {
      double[] w = colMajor.clone();
      int[] jpvt = new int[n];
      double[] tau = new double[n];
      lapackQp3(lapack, m, n, w, jpvt, tau);
    });
    time(print, "EJML QR (householder, ddense)", m, n, reps, () -> {
      QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m, n);
      qr.decompose(DMatrixRMaj.wrap(m, n, a.f64().clone()));
    });
    time(print, "EJML QRColPiv (householder column)", m, n, reps, () -> {
      QRColPivDecompositionHouseholderColumn_DDRM qr = new QRColPivDecompositionHouseholderColumn_DDRM();
      qr.decompose(DMatrixRMaj.wrap(m, n, a.f64().clone()));
    });
  }

  static void lapackQr(LAPACK lapack, int m, int n, double[] w, double[] tau) {
    double[] q = new double[1];
    intW info = new intW(0);
    lapack.dgeqrf(m, n, w, m, tau, q, -1, info);
    double[] work = new double[(int) q[0]];
    lapack.dgeqrf(m, n, w, m, tau, work, work.length, info);
  }

  static void lapackQp3(LAPACK lapack, int m, int n, double[] w, int[] jpvt, double[] tau) {
    double[] q = new double[1];
    intW info = new intW(0);
    lapack.dgeqp3(m, n, w, m, jpvt, tau, q, -1, info);
    double[] work = new double[(int) q[0]];
    lapack.dgeqp3(m, n, w, m, jpvt, tau, work, work.length, info);
  }

  /** Gaussian m×n with geometrically graded columns (well separated pivots), seeded. */
  static Matrix testMatrix(int m, int n) {
    SplittableRandom rng = new SplittableRandom(42);
    Matrix a = Matrix.zeros(DType.F64, m, n);
    double[] d = a.f64();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        d[i * n + j] = rng.nextGaussian() * Math.pow(0.995, j);
      }
    }
    return a;
  }

  private static void time(boolean print, String label, int m, int n, int reps, Runnable r) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    if (print) {
      System.out.printf(Locale.ROOT, "%-52s %5dx%-5d %9.3f s%n", label, m, n, best);
    }
  }
}
