package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

class LanczosTest {
  @Test
  void reorthogonalizedBasisIsOrthonormalAndTridiagonalizes() {
    int n = 200;
    double[] spectrum = Dense.geometricSpectrum(n, 1e4);
    Matrix a = Dense.withSpectrum(spectrum, 41);
    LanczosResult r = Lanczos.decompose(Operators.denseOnReference(a), Dense.gaussian(n, 1, 42),
        LanczosOptions.defaults().withMaxIterations(60));
    Matrix q = r.basis();
    assertEquals(60, q.cols());
    assertEquals(StopReason.MAX_ITERATIONS, r.reasons().get(0));
    Matrix qtq = Dense.multiply(q.transposeCopy(), q);
    assertTrue(Dense.relativeError(qtq, Matrix.identity(DType.F64, 60)) < 1e-12);
    Matrix qtaq = Dense.multiply(q.transposeCopy(), Dense.multiply(a, q));
    assertTrue(Dense.relativeError(qtaq, r.tridiagonal().toDense()) < 1e-10);
    // the extreme Ritz value converges first: the largest eigenvalue, 1.0, to high accuracy
    double[] ritz = r.tridiagonal().eigen().values();
    assertEquals(1.0, ritz[0], 1e-10);
    assertEquals(r.matrixVectorProducts(), 60 + 2);
  }

  @Test
  void fewDistinctEigenvaluesGiveAnInvariantSubspaceAndExactEigenvalues() {
    double[] spectrum = new double[100];
    double[] distinct = {5, 3, 2, 0.5, 0.1};
    for (int i = 0; i < 100; i++) {
      spectrum[i] = distinct[i % 5];
    }
    Matrix a = Dense.withSpectrum(spectrum, 43);
    LanczosResult r = Lanczos.decompose(Operators.denseOnReference(a), Dense.gaussian(100, 2, 44), LanczosOptions.defaults());
    for (int j = 0; j < 2; j++) {
      assertEquals(StopReason.INVARIANT_SUBSPACE, r.reasons().get(j));
      double[] ritz = r.tridiagonals().get(j).eigen().values();
      assertEquals(5, ritz.length);
      for (int t = 0; t < 5; t++) {
        assertEquals(distinct[t], ritz[t], 1e-10);
      }
    }
  }

  @Test
  void kroneckerOperatorExtremeEigenvalue() {
    Matrix a1 = Dense.withSpectrum(new double[] {4, 2, 1, 0.5, 0.25, 0.1}, 45);
    Matrix a2 = Dense.withSpectrum(Dense.geometricSpectrum(30, 100), 46);
    LinearOperator kron = Operators.kronecker(Operators.denseOnReference(a1), Operators.denseOnReference(a2));
    LanczosResult r = Lanczos.decompose(kron, Dense.gaussian(180, 1, 47), LanczosOptions.defaults().withMaxIterations(40));
    double[] exact = Dense.eigenvalues(kron.toDense());
    Arrays.sort(exact);
    assertEquals(exact[exact.length - 1], r.tridiagonal().eigen().values()[0], 1e-9);
  }

  @Test
  void zeroStartIsABreakdownAndAsymmetryIsDetected() {
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(20, 10), 48);
    StructuraException zero = assertThrows(StructuraException.class,
        () -> Lanczos.decompose(Operators.denseOnReference(a), Matrix.zeros(DType.F64, 20, 1), LanczosOptions.defaults()));
    assertEquals(ErrorCode.ITERATION_BREAKDOWN, zero.code());
    Matrix b = a.copy();
    b.set(0, 5, b.get(0, 5) + 1);
    StructuraException asym = assertThrows(StructuraException.class,
        () -> Lanczos.decompose(Operators.denseOnReference(b), Dense.gaussian(20, 1, 49), LanczosOptions.defaults()));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, asym.code());
  }
}
