package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

class HouseholderQrTest {
  static Stream<Arguments> cases() {
    return Stream.of("lowrank_noise_f64", "graded_f64", "rankdef_f64", "wide_f64", "lowrank_noise_f32", "graded_f32")
        .flatMap(name -> Stream.of(1, 5, 32).map(nb -> Arguments.of(name, nb)));
  }

  /** Both paths of norm2 (plain sum of squares, scaled fallback) against a Math.hypot fold. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(doubles = {1.0, 1e200, 1e-200, 1e-160, 1e155, 0.0})
  void norm2IsAccurateAtEveryScale(double scale) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int n : new int[] {1, 3, 7, 1000}) {
      double[] x = new double[n + 2];
      double ref = 0;
      for (int i = 1; i <= n; i++) {
        x[i] = scale * rnd.nextDouble(-1, 1);
        ref = Math.hypot(ref, x[i]);
      }
      x[0] = Double.NaN;  // outside the range: must not be read
      x[n + 1] = Double.NaN;
      assertEquals(ref, Householder.norm2(x, 1, n), 4 * n * Math.ulp(ref) + Double.MIN_VALUE,
          "n = " + n + ", scale " + scale);
    }
  }

  /**
   * The recursive panel's joined T factor equals dlarft's T computed from the finished reflectors
   * (and so I − V·T·Vᵀ = H(0)…H(jb−1)), for panel widths that recurse unevenly.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 8, 9, 23, 32, 48})
  void recursivePanelTMatchesLarft(int jb) {
    Matrix a = Fixture.load("lowrank_noise_f64").matrix("A", DType.F64);  // 120×48
    int m = a.rows();
    double[] w = Householder.toColumnMajor(a);
    double[] tau = new double[a.cols()];
    int j0 = 48 - jb;
    Matrix t = Householder.panelQr(Compute.reference(), w, m, j0, jb, tau);
    Matrix ref = Householder.larft(Compute.reference(), Householder.explicitVt(w, m, m, j0, jb), tau, j0, jb);
    double scale = 0;
    for (int i = 0; i < jb; i++) {
      scale = Math.max(scale, Math.abs(ref.get(i, i)));
    }
    for (int i = 0; i < jb; i++) {
      for (int j = 0; j < jb; j++) {
        assertEquals(ref.get(i, j), t.get(i, j), 1e-13 * scale, "T(" + i + "," + j + ") for jb = " + jb);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void factorsReconstructWithOrthonormalQ(String name, int blockSize) {
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = Fixture.load(name).matrix("A", dtype);
    QrFactorization f = new HouseholderQr(Compute.reference(), new HouseholderQrOptions(blockSize)).factor(a);
    Matrix q = f.q();
    Matrix r = f.r();
    int k = Math.min(a.rows(), a.cols());
    assertEquals(a.rows(), q.rows());
    assertEquals(k, q.cols());
    assertEquals(k, r.rows());
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < Math.min(i, a.cols()); j++) {
        assertEquals(0.0, r.get(i, j), name + ": R below the diagonal at (" + i + "," + j + ")");
      }
    }
    double u = dtype.unitRoundoff();
    double rel = Norms.frobenius(Norms.minus(a, Norms.times(q, r))) / Norms.frobenius(a);
    assertTrue(rel < 20 * u * Math.max(a.rows(), a.cols()), name + ": ||A - QR||/||A|| = " + rel);
    double orth = Norms.orthogonalityError(q);
    assertTrue(orth < 20 * u * a.rows(), name + ": ||Q^T Q - I|| = " + orth);
  }

  @Test
  void leastSquaresMatchesNumpyLstsq() {
    Fixture fx = Fixture.load("lstsq_f64");
    Matrix a = fx.matrix("A", DType.F64);
    Matrix x = new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(a).solve(fx.matrix("B", DType.F64));
    Matrix want = fx.matrix("X", DType.F64);
    double err = Norms.maxAbs(Norms.minus(x, want)) / Norms.maxAbs(want);
    assertTrue(err < 1e-12, "relative difference to numpy.linalg.lstsq: " + err);
  }

  @Test
  void rejectsNonFiniteAndEmptyInput() {
    Matrix a = Matrix.of(DType.F64, 2, 2, 1, 2, Double.NaN, 4);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(a));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("(1, 0)"), e.getMessage());
    Matrix inf = Matrix.of(DType.F32, 1, 2, 1, Double.POSITIVE_INFINITY);
    assertEquals(ErrorCode.INVALID_INPUT,
        assertThrows(InvalidArgumentException.class, () -> new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(inf)).code());
    assertEquals(ErrorCode.INVALID_INPUT,
        assertThrows(InvalidArgumentException.class, () -> new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(Matrix.zeros(DType.F64, 0, 3))).code());
  }
}
