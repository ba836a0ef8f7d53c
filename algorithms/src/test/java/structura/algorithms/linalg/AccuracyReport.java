package structura.algorithms.linalg;

import java.util.Arrays;
import java.util.Locale;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Prints our ID errors next to SciPy's on the committed fixtures (a plain main, not a test; the
 * tests assert the same comparisons). Run like {@link LinalgBenchmark}:
 * {@code java -cp … structura.algorithms.linalg.AccuracyReport}.
 */
public final class AccuracyReport {
  private AccuracyReport() {}

  public static void main(String[] args) {
    if (args.length == 2) {
      compareWithLapack(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
      return;
    }
    String[][] cases = {{"lowrank_noise_f64", "5,10,15"}, {"graded_f64", "4,8,16"}, {"rankdef_f64", "6,12"},
        {"wide_f64", "4,8,12"}, {"lowrank_noise_f32", "6,12"}, {"graded_f32", "4,8"}};
    System.out.println("| fixture | k | SciPy interp_decomp ‖A−A_J T‖₂ | ours (QR) | ours/SciPy | ours (HQRRP) | ours (Gaussian sketch) | same skeleton |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String[] c : cases) {
      Fixture fx = Fixture.load(c[0]);
      DType dt = c[0].endsWith("f32") ? DType.F32 : DType.F64;
      Matrix a = fx.matrix("A", dt);
      for (String ks : c[1].split(",")) {
        int k = Integer.parseInt(ks);
        InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(k)).columnId(a);
        double ours = err(id, a);
        double scipy = fx.scalar("idErr2_" + k);
        double hq = err(InterpolativeDecomposition.fromPivotedQr(new RandomizedPivotedQr(Compute.reference(),
            new RandomizedPivotedQrOptions(k, 0, 4, 10, 11)).factor(a)), a);
        double sk = err(new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.sketched(k, SketchKind.GAUSSIAN, 10, 7))
            .columnId(a), a);
        int[] j1 = id.skeleton();
        int[] j2 = fx.ints("idJ" + k).clone();
        Arrays.sort(j1);
        Arrays.sort(j2);
        System.out.printf(Locale.ROOT, "| %s | %d | %.4e | %.4e | %.4f | %.4e | %.4e | %s |%n", c[0], k, scipy, ours,
            ours / scipy, hq, sk, Arrays.equals(j1, j2) ? "yes" : "no");
      }
    }
  }

  static double err(InterpolativeDecompositionResult id, Matrix a) {
    return Norms.spectral(Norms.minus(a, id.reconstruct(Compute.reference(), a)));
  }

  /** Pivots and |R(i,i)| of our PivotedQr against LAPACK dgeqp3 on the benchmark matrix. */
  static void compareWithLapack(int m, int n) {
    Matrix a = LinalgBenchmark.testMatrix(m, n);
    double[] w = Householder.toColumnMajor(a);
    int[] jpvt = new int[n];
    double[] tau = new double[Math.min(m, n)];
    dev.ludovic.netlib.lapack.LAPACK lapack = dev.ludovic.netlib.lapack.LAPACK.getInstance();
    LinalgBenchmark.lapackQp3(lapack, m, n, w, jpvt, tau);
    for (QrPreprocessing pre : new QrPreprocessing[] {QrPreprocessing.NEVER, QrPreprocessing.ALWAYS}) {
      PivotedQrFactorization f = new PivotedQr(Compute.reference(), PivotedQrOptions.defaults().withPreprocessing(pre))
          .factor(a);
      report(m, n, lapack, pre, f, jpvt, w);
    }
  }

  private static void report(int m, int n, dev.ludovic.netlib.lapack.LAPACK lapack, QrPreprocessing pre,
      PivotedQrFactorization f, int[] jpvt, double[] w) {
    int[] ours = f.pivots();
    int same = 0;
    while (same < n && ours[same] == jpvt[same] - 1) {
      same++;
    }
    int total = 0;
    for (int i = 0; i < n; i++) {
      total += ours[i] == jpvt[i] - 1 ? 1 : 0;
    }
    double[] d = f.rDiagonalAbs();
    double worst = 0;
    for (int i = 0; i < d.length; i++) {
      worst = Math.max(worst, Math.abs(d[i] - Math.abs(w[i * m + i])) / Math.abs(w[i * m + i]));
    }
    System.out.printf(Locale.ROOT, "%dx%d (%s, preprocessing %s): leading pivots equal to dgeqp3: %d of %d (%d positions"
        + " equal in all); max relative difference of |R(i,i)|: %.3e%n", m, n, lapack.getClass().getSimpleName(), pre, same,
        n, total, worst);
  }
}
