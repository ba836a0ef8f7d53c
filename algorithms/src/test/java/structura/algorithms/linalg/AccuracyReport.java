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
        InterpolativeDecompositionResult id = new InterpolativeDecomposition(InterpolativeDecompositionOptions.ofRank(k)).columnId(a);
        double ours = err(id, a);
        double scipy = fx.scalar("idErr2_" + k);
        double hq = err(InterpolativeDecomposition.fromPivotedQr(new RandomizedPivotedQr(Compute.reference(),
            new RandomizedPivotedQrOptions(k, 0, 4, 10, 11)).factor(a)), a);
        double sk = err(new InterpolativeDecomposition(InterpolativeDecompositionOptions.sketched(k, SketchKind.GAUSSIAN, 10, 7))
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
}
