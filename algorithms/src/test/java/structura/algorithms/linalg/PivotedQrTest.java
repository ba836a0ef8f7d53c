package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

class PivotedQrTest {
  static final String[] NAMES = {"lowrank_noise_f64", "graded_f64", "rankdef_f64", "wide_f64", "lowrank_noise_f32", "graded_f32"};

  static Stream<Arguments> cases() {
    // Both paths against the same LAPACK fixtures: pivoting A directly, and after the reduction to R₁.
    return Arrays.stream(NAMES).flatMap(name -> Stream.of(1, 3, 32).flatMap(nb ->
        Stream.of(QrPreprocessing.NEVER, QrPreprocessing.ALWAYS).map(pre -> Arguments.of(name, nb, pre))));
  }

  static DType dtypeOf(String name) {
    return name.endsWith("f32") ? DType.F32 : DType.F64;
  }

  /** Leading steps where LAPACK's choice was not a near tie and the residual is above noise. */
  static int comparablePrefix(Fixture fx) {
    Matrix r = fx.matrix("R", DType.F64);
    int numericalRank = 0;
    double r00 = Math.abs(r.get(0, 0));
    while (numericalRank < Math.min(r.rows(), r.cols()) && Math.abs(r.get(numericalRank, numericalRank)) > 1e-10 * r00) {
      numericalRank++;
    }
    return Math.min((int) fx.scalar("stablePrefix"), numericalRank);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void pivotsAndDiagonalMatchLapackDgeqp3(String name, int blockSize, QrPreprocessing pre) {
    Fixture fx = Fixture.load(name);
    DType dtype = dtypeOf(name);
    Matrix a = fx.matrix("A", dtype);
    PivotedQrFactorization f = new PivotedQr(Compute.reference(), new PivotedQrOptions(0, 0, blockSize, pre)).factor(a);
    int prefix = comparablePrefix(fx);
    // F32 is factored in double here but in single by LAPACK sgeqp3: compare only well separated steps.
    if (dtype == DType.F32) {
      prefix = Math.min(prefix, 8);
    }
    assertTrue(prefix >= 4, name + ": fixture has too short a comparable prefix " + prefix);
    int[] want = Arrays.copyOf(fx.ints("piv"), prefix);
    assertArrayEquals(want, Arrays.copyOf(f.pivots(), prefix), name + " pivots vs scipy.linalg.qr(pivoting=True)");
    Matrix rRef = fx.matrix("R", DType.F64);
    double[] d = f.rDiagonalAbs();
    double tol = dtype == DType.F64 ? 1e-9 : 1e-4;
    for (int i = 0; i < prefix; i++) {
      double ref = Math.abs(rRef.get(i, i));
      assertEquals(ref, d[i], tol * Math.abs(rRef.get(0, 0)) + tol * ref, name + ": |R(" + i + "," + i + ")|");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void fullFactorizationReconstructsPermutedA(String name, int blockSize, QrPreprocessing pre) {
    DType dtype = dtypeOf(name);
    Matrix a = Fixture.load(name).matrix("A", dtype);
    PivotedQrFactorization f = new PivotedQr(Compute.reference(), new PivotedQrOptions(0, 0, blockSize, pre)).factor(a);
    int k = f.rank();
    Matrix q = f.q();
    Matrix r = f.r();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(0.0, r.get(i, j));
      }
    }
    int[] p = f.pivots();
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int j = 0; j < sorted.length; j++) {
      assertEquals(j, sorted[j], "pivots must be a permutation");
    }
    Matrix ap = Norms.columns(a, p);
    double u = dtype.unitRoundoff();
    double res = Norms.frobenius(Norms.minus(ap, Norms.times(q, r))) / Norms.frobenius(a);
    double bound = 50 * u * Math.max(a.rows(), a.cols());
    if (k < Math.min(a.rows(), a.cols())) {
      // Stopped at an exactly zero residual column only.
      bound = Math.max(bound, 1e-12);
    }
    assertTrue(res < bound, name + ": ||A P - Q R|| / ||A|| = " + res);
    assertTrue(Norms.orthogonalityError(q) < 50 * u * a.rows(), name + ": Q not orthonormal");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void truncatedResidualMatchesLapackR22(String name, int blockSize, QrPreprocessing pre) {
    Fixture fx = Fixture.load(name);
    DType dtype = dtypeOf(name);
    Matrix a = fx.matrix("A", dtype);
    Matrix rRef = fx.matrix("R", DType.F64);
    int k = Math.max(2, comparablePrefix(fx) / 2);
    PivotedQrFactorization f = new PivotedQr(Compute.reference(), new PivotedQrOptions(k, 0, blockSize, pre)).factor(a);
    assertEquals(k, f.rank());
    Matrix ap = Norms.columns(a, f.pivots());
    double res = Norms.spectral(Norms.minus(ap, Norms.times(f.q(), f.r())));
    Matrix r22 = rRef.view(k, k, rRef.rows() - k, rRef.cols() - k);
    double ref = Norms.spectral(r22);
    double slack = dtype == DType.F64 ? 1e-8 : 2e-3;
    assertEquals(ref, res, slack * ref + 100 * dtype.unitRoundoff() * Norms.spectral(a),
        name + ": residual at rank " + k + " vs ||R22|| from dgeqp3");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void toleranceStopMatchesRankFromLapackDiagonal(String name, int blockSize, QrPreprocessing pre) {
    Fixture fx = Fixture.load(name);
    if (dtypeOf(name) == DType.F32) {
      return;
    }
    for (int t = 0; t < 2; t++) {
      String key = "tol" + t;
      if (name.startsWith("rankdef") && t > 0) {
        continue;
      }
      double tol = fx.scalar(key);
      int want = (int) fx.scalar("tolRank" + t);
      PivotedQrFactorization f = new PivotedQr(Compute.reference(), new PivotedQrOptions(0, tol, blockSize, pre))
          .factor(fx.matrix("A", DType.F64));
      assertEquals(want, f.rank(), name + ": rank at relative tolerance " + tol);
    }
  }

  @Test
  void autoReducesFirstOnlyForTallMatricesAndLargeRanks() {
    Matrix tall = Fixture.load("lowrank_noise_f64").matrix("A", DType.F64);  // 120×48
    Matrix wide = Fixture.load("wide_f64").matrix("A", DType.F64);  // 30×90
    assertTrue(new PivotedQr(Compute.reference(), PivotedQrOptions.defaults()).factor(tall).preprocessed());
    assertTrue(new PivotedQr(Compute.reference(), PivotedQrOptions.ofRank(12)).factor(tall).preprocessed());
    assertTrue(!new PivotedQr(Compute.reference(), PivotedQrOptions.ofRank(11)).factor(tall).preprocessed());
    assertTrue(!new PivotedQr(Compute.reference(), PivotedQrOptions.defaults()).factor(wide).preprocessed());
    assertTrue(new PivotedQr(Compute.reference(), PivotedQrOptions.defaults().withPreprocessing(QrPreprocessing.ALWAYS))
        .factor(wide).preprocessed());
    assertTrue(!new PivotedQr(Compute.reference(), PivotedQrOptions.defaults().withPreprocessing(QrPreprocessing.NEVER))
        .factor(tall).preprocessed());
  }

  @Test
  void rejectsRankAboveMinDimension() {
    Matrix a = Matrix.zeros(DType.F64, 5, 3);
    a.fill(1);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new PivotedQr(Compute.reference(), PivotedQrOptions.ofRank(4)).factor(a));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("maxRank"), e.getMessage());
  }
}
