package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

class RandomizedPivotedQrTest {
  @ParameterizedTest
  @CsvSource({"lowrank_noise_f64,10,4", "graded_f64,8,4", "graded_f64,16,8", "wide_f64,8,3", "rankdef_f64,12,5",
      "lowrank_noise_f32,12,4", "graded_f32,8,4"})
  void truncationErrorIsCloseToGreedyPivoting(String name, int k, int blockSize) {
    // On A directly, and on the triangular factor R₁ of A = Q₁R₁.
    for (QrPreprocessing pre : new QrPreprocessing[] {QrPreprocessing.NEVER, QrPreprocessing.ALWAYS}) {
      truncationErrorIsCloseToGreedyPivoting(name, k, blockSize, pre);
    }
  }

  private void truncationErrorIsCloseToGreedyPivoting(String name, int k, int blockSize, QrPreprocessing pre) {
    Fixture fx = Fixture.load(name);
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = fx.matrix("A", dtype);
    RandomizedPivotedQr hqrrp = new RandomizedPivotedQr(Compute.reference(),
        new RandomizedPivotedQrOptions(k, 0, blockSize, 10, 11, pre));
    PivotedQrFactorization f = hqrrp.factor(a);
    assertEquals(pre == QrPreprocessing.ALWAYS, f.preprocessed());
    name = name + " (" + pre + ")";
    assertEquals(k, f.rank());
    int[] sorted = f.pivots();
    Arrays.sort(sorted);
    for (int j = 0; j < sorted.length; j++) {
      assertEquals(j, sorted[j]);
    }
    Matrix ap = Norms.columns(a, f.pivots());
    Matrix qr = Norms.times(f.q(), f.r());
    double res = Norms.spectral(Norms.minus(ap, qr));
    Matrix rRef = fx.matrix("R", DType.F64);
    double greedy = Norms.spectral(rRef.view(k, k, rRef.rows() - k, rRef.cols() - k));
    double floor = 100 * dtype.unitRoundoff() * Norms.spectral(a);
    assertTrue(res <= 3 * greedy + floor, name + ": HQRRP residual " + res + " vs dgeqp3 ||R22|| " + greedy);
    // The leading k columns of A P are reproduced exactly (up to rounding) by Q R.
    double lead = Norms.frobenius(Norms.minus(ap.view(0, 0, a.rows(), k), qr.view(0, 0, a.rows(), k)));
    assertTrue(lead < floor * 10, "leading block " + lead);
    assertTrue(Norms.orthogonalityError(f.q()) < 100 * dtype.unitRoundoff() * a.rows());
    // ID from the randomized QR: within a small factor of SciPy's deterministic ID.
    if (dtype == DType.F64 && !name.startsWith("rankdef")) {
      InterpolativeDecompositionResult id = InterpolativeDecomposition.fromPivotedQr(f);
      double err = Norms.spectral(Norms.minus(a, id.reconstruct(Compute.reference(), a)));
      double scipy = fx.scalar("idErr2_" + k);
      assertTrue(err <= 3 * scipy + floor, name + ": ID from HQRRP " + err + " vs scipy " + scipy);
    }
    assertArrayEquals(f.pivots(), hqrrp.factor(a).pivots(), "same seed, same pivots");
  }

  @ParameterizedTest
  @CsvSource({"lowrank_noise_f64", "graded_f64", "wide_f64"})
  void fullFactorizationReconstructs(String name) {
    Matrix a = Fixture.load(name).matrix("A", DType.F64);
    for (QrPreprocessing pre : QrPreprocessing.values()) {
      PivotedQrFactorization f = new RandomizedPivotedQr(Compute.reference(),
          new RandomizedPivotedQrOptions(0, 0, 7, 5, 3, pre)).factor(a);
      assertEquals(Math.min(a.rows(), a.cols()), f.rank());
      double res = Norms.frobenius(Norms.minus(Norms.columns(a, f.pivots()), Norms.times(f.q(), f.r())));
      assertTrue(res < 1e-13 * Norms.frobenius(a), name + " " + pre + ": " + res);
      assertTrue(Norms.orthogonalityError(f.q()) < 1e-13 * a.rows(), name + " " + pre + ": Q not orthonormal");
    }
  }

  @org.junit.jupiter.api.Test
  void toleranceStopAndBadInput() {
    Fixture fx = Fixture.load("graded_f64");
    Matrix a = fx.matrix("A", DType.F64);
    double tol = fx.scalar("tol0");
    PivotedQrFactorization f = new RandomizedPivotedQr(Compute.reference(),
        new RandomizedPivotedQrOptions(0, tol, 4, 10, 2)).factor(a);
    double[] d = f.rDiagonalAbs();
    for (int i = 1; i < d.length; i++) {
      assertTrue(d[i] > tol * d[0], "diagonal entry " + i + " below the tolerance was kept");
    }
    // Randomized pivots need not stop at exactly dgeqp3's rank, but close to it.
    int lapackRank = (int) fx.scalar("tolRank0");
    assertTrue(Math.abs(f.rank() - lapackRank) <= 2, "rank " + f.rank() + " vs dgeqp3 " + lapackRank);
    Matrix bad = Matrix.zeros(DType.F64, 3, 3);
    bad.set(1, 1, Double.POSITIVE_INFINITY);
    structura.api.InvalidArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        structura.api.InvalidArgumentException.class,
        () -> new RandomizedPivotedQr(Compute.reference(), RandomizedPivotedQrOptions.defaults()).factor(bad));
    assertEquals(structura.api.ErrorCode.INVALID_INPUT, e.code());
    org.junit.jupiter.api.Assertions.assertThrows(structura.api.InvalidArgumentException.class,
        () -> new RandomizedPivotedQr(Compute.reference(), RandomizedPivotedQrOptions.ofRank(4, 0)).factor(Matrix.zeros(DType.F64, 3, 3)));
  }
}
