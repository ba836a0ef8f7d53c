package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

class SvdTest {
  static Matrix usv(SvdResult r) {
    Matrix u = r.u().toDType(DType.F64);
    double[] s = r.singularValues();
    for (int i = 0; i < u.rows(); i++) {
      for (int j = 0; j < s.length; j++) {
        u.set(i, j, u.get(i, j) * s[j]);
      }
    }
    return Norms.times(u, r.vt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lowrank_noise_f64", "graded_f64", "wide_f64", "lowrank_noise_f32"})
  void denseSingularValuesMatchNumpy(String name) {
    Fixture fx = Fixture.load(name);
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = fx.matrix("A", dtype);
    double[] want = fx.vector("sv");
    SvdResult r = new TruncatedSvd(0).decompose(a);
    double[] got = r.singularValues();
    assertEquals(want.length, got.length);
    double tol = (dtype == DType.F64 ? 1e-12 : 1e-5) * want[0];
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol, name + ": sigma_" + i + " vs numpy.linalg.svd");
    }
    double rel = Norms.frobenius(Norms.minus(a, usv(r))) / Norms.frobenius(a);
    assertTrue(rel < 100 * dtype.unitRoundoff() * Math.max(a.rows(), a.cols()), "reconstruction " + rel);
    assertTrue(Norms.orthogonalityError(r.u()) < 100 * dtype.unitRoundoff() * a.rows());
    assertArrayEquals(got, TruncatedSvd.singularValues(a), 1e-12 * want[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lowrank_noise_f64", "graded_f64", "wide_f64", "lowrank_noise_f32"})
  void randomizedSvdIsNearOptimal(String name) {
    Fixture fx = Fixture.load(name);
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = fx.matrix("A", dtype);
    double[] sv = fx.vector("sv");
    int k = 8;
    SvdResult r = new RandomizedSvd(Compute.reference(), RandomizedSvdOptions.ofRank(k)).decompose(a);
    assertEquals(k, r.rank());
    double err = Norms.spectral(Norms.minus(a, usv(r)));
    // Eckart–Young optimum is sigma_{k+1}; with p = 10 and q = 2 the randomized error is within a small factor.
    double floor = 100 * dtype.unitRoundoff() * sv[0];
    assertTrue(err <= 1.5 * sv[k] + floor, name + ": randomized SVD error " + err + " vs sigma_{k+1} = " + sv[k]);
    double[] s = r.singularValues();
    for (int i = 0; i < k; i++) {
      assertEquals(sv[i], s[i], 0.05 * sv[i] + floor, name + ": sigma_" + i);
    }
    assertTrue(Norms.orthogonalityError(r.u()) < 100 * dtype.unitRoundoff() * a.rows());
    assertArrayEquals(s, new RandomizedSvd(Compute.reference(), RandomizedSvdOptions.ofRank(k)).decompose(a).singularValues(),
        0.0, "same seed, same result");
  }

  /**
   * CholeskyQR2 is used only where it certifies itself: on Y = U·diag(σ)·Vᵀ with κ = σ₁/σₗ it
   * returns orthonormal Q with Q·Qᵀ·Y = Y for moderate κ, and null (Householder fallback) for
   * κ = 10¹², where one Cholesky pass of YᵀY (κ² = 10²⁴) cannot be trusted.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(doubles = {1.0, 1e3, 1e5, 1e12})
  void choleskyQr2CertifiesItselfOrDeclines(double kappa) {
    int m = 400;
    int l = 20;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    Matrix g1 = Matrix.zeros(DType.F64, m, l);
    Matrix g2 = Matrix.zeros(DType.F64, l, l);
    for (int i = 0; i < m * l; i++) {
      g1.f64()[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < l * l; i++) {
      g2.f64()[i] = rnd.nextGaussian();
    }
    Matrix u = new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(g1).q();
    Matrix v = new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(g2).q();
    Matrix us = u.copy();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < l; j++) {
        us.set(i, j, u.get(i, j) * Math.pow(kappa, -(double) j / (l - 1)));
      }
    }
    Matrix y = Norms.times(us, Norms.transpose(v));
    Matrix q = RandomizedSvd.choleskyQr2(Compute.reference(), y);
    if (kappa >= 1e12) {
      assertTrue(q == null, "kappa " + kappa + ": CholeskyQR2 must decline");
      return;
    }
    assertTrue(q != null, "kappa " + kappa + ": CholeskyQR2 declined");
    double u0 = DType.F64.unitRoundoff();
    assertTrue(Norms.orthogonalityError(q) < 20 * u0 * m, "kappa " + kappa + ": Q not orthonormal");
    // Same column space: the part of Y outside span(Q) is rounding (relative to the smallest σ·κ-scaled bound).
    Matrix residual = Norms.minus(y, Norms.times(q, Norms.times(Norms.transpose(q), y)));
    assertTrue(Norms.frobenius(residual) < 1e3 * u0 * kappa * Norms.frobenius(y),
        "kappa " + kappa + ": Y outside span(Q) " + Norms.frobenius(residual));
  }

  @Test
  void symmetricEigenMatchesNumpyEigvalsh() {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix k = fx.matrix("K", DType.F64);
    double[] want = fx.vector("eig");
    SymmetricEigen e = SymmetricEigen.decompose(k);
    double[] got = e.values();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-12 * want[0], "lambda_" + i);
    }
    Matrix v = e.vectors();
    assertTrue(Norms.orthogonalityError(v) < 1e-12);
    Matrix kv = Norms.times(k, v.column(0));
    for (int i = 0; i < k.rows(); i++) {
      assertEquals(got[0] * v.get(i, 0), kv.get(i, 0), 1e-10);
    }
  }

  @Test
  void rejectsRankAboveMinDimension() {
    Matrix a = Fixture.load("wide_f64").matrix("A", DType.F64);
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(InvalidArgumentException.class,
        () -> new RandomizedSvd(Compute.reference(), RandomizedSvdOptions.ofRank(31)).decompose(a)).code());
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(InvalidArgumentException.class,
        () -> new TruncatedSvd(31).decompose(a)).code());
  }
}
