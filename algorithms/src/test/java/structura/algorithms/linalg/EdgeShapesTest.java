package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/** Degenerate shapes (single row or column, 1×1, zero matrix, strided views) through every factorization. */
class EdgeShapesTest {
  static Matrix filled(int m, int n, double scale) {
    // A strided view (offset 3, ld = n + 2) to exercise non-compact inputs.
    double[] data = new double[3 + m * (n + 2)];
    Matrix a = Matrix.wrap(data, 3, m, n, n + 2);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a.set(i, j, scale * (Math.sin(1.3 * i + 0.7 * j * j + 0.1) + (i == j ? 2 : 0)));
      }
    }
    return a;
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "1,5,1", "5,1,1", "2,2,1", "7,3,1", "3,7,1", "7,3,0"})
  void factorizationsHandleDegenerateShapes(int m, int n, double scale) {
    Matrix a = filled(m, n, scale);
    int k = Math.min(m, n);
    for (int nb : new int[] {1, 2, 32}) {
      QrFactorization qr = new HouseholderQr(Compute.reference(), new HouseholderQrOptions(nb)).factor(a);
      assertTrue(Norms.frobenius(Norms.minus(a, Norms.times(qr.q(), qr.r()))) <= 1e-14 * (1 + Norms.frobenius(a)));
      PivotedQrFactorization p = new PivotedQr(Compute.reference(), new PivotedQrOptions(0, 0, nb)).factor(a);
      Matrix ap = Norms.columns(a, p.pivots());
      assertTrue(Norms.frobenius(Norms.minus(ap, Norms.times(p.q(), p.r()))) <= 1e-14 * (1 + Norms.frobenius(a)),
          m + "x" + n + " nb=" + nb);
      PivotedQrFactorization h = new RandomizedPivotedQr(Compute.reference(),
          new RandomizedPivotedQrOptions(0, 0, nb, 2, 1)).factor(a);
      assertTrue(Norms.frobenius(Norms.minus(Norms.columns(a, h.pivots()), Norms.times(h.q(), h.r())))
          <= 1e-14 * (1 + Norms.frobenius(a)));
    }
    InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(k)).columnId(a);
    assertTrue(Norms.maxAbs(Norms.minus(a, id.reconstruct(Compute.reference(), a))) <= 1e-13 * (1 + Norms.maxAbs(a)));
    InterpolativeDecompositionResult row = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(k)).rowId(a);
    assertTrue(Norms.maxAbs(Norms.minus(a, row.reconstruct(Compute.reference(), a))) <= 1e-13 * (1 + Norms.maxAbs(a)));
    if (scale != 0) {
      SvdResult s = new TruncatedSvd(0).decompose(a);
      assertEquals(k, s.rank());
      assertEquals(Norms.spectral(a), s.singularValues()[0], 1e-13 * Norms.spectral(a));
    }
    InterpolativeDecompositionResult tol = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofTolerance(0.5)).columnId(a);
    assertTrue(tol.rank() >= 1 && tol.rank() <= k);
  }
}
