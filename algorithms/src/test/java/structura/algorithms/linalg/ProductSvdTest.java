package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * {@link ProductSvd} against SciPy's SVD of the formed product (fixture {@code product_svd_f64},
 * made by {@code make_fixtures.py}): singular values, the rank-k reconstruction, and orthonormal
 * factors, at k = 1, 3 and the full inner dimension 8.
 */
class ProductSvdTest {
  @Test
  void matchesTheSvdOfTheFormedProduct() {
    Fixture f = Fixture.load("product_svd_f64");
    Matrix a = f.matrix("A", DType.F64);
    Matrix b = f.matrix("B", DType.F64);
    Matrix u = f.matrix("U", DType.F64);
    double[] s = f.vector("s");
    Matrix vt = f.matrix("Vt", DType.F64);
    for (int k : new int[] {1, 3, 8}) {
      SvdResult r = new ProductSvd(k).decompose(a, b);
      assertEquals(k, r.rank());
      for (int t = 0; t < k; t++) {
        assertEquals(s[t], r.singularValues()[t], 1e-12 * s[0], "sigma_" + t + " at k=" + k);
      }
      Matrix ru = r.u();
      Matrix rvt = r.vt();
      double maxErr = 0;
      for (int i = 0; i < a.rows(); i++) {
        for (int j = 0; j < b.rows(); j++) {
          double mine = 0;
          double ref = 0;
          for (int t = 0; t < k; t++) {
            mine += ru.get(i, t) * r.singularValues()[t] * rvt.get(t, j);
            ref += u.get(i, t) * s[t] * vt.get(t, j);
          }
          maxErr = Math.max(maxErr, Math.abs(mine - ref));
        }
      }
      assertEquals(0, maxErr, 1e-12 * s[0], "rank-" + k + " reconstruction");
      for (int p = 0; p < k; p++) {
        for (int q = 0; q < k; q++) {
          double uu = 0;
          double vv = 0;
          for (int i = 0; i < ru.rows(); i++) {
            uu += ru.get(i, p) * ru.get(i, q);
          }
          for (int j = 0; j < rvt.cols(); j++) {
            vv += rvt.get(p, j) * rvt.get(q, j);
          }
          assertEquals(p == q ? 1 : 0, uu, 1e-12);
          assertEquals(p == q ? 1 : 0, vv, 1e-12);
        }
      }
    }
  }

  @Test
  void anExactlyZeroColumnStillGivesTheSvdOfTheProduct() {
    // the fixture's factors with inner column 2 zeroed in A: M = A·Bᵀ loses that rank-one term
    Fixture f = Fixture.load("product_svd_f64");
    Matrix a = f.matrix("A", DType.F64).copy();
    Matrix b = f.matrix("B", DType.F64);
    for (int i = 0; i < a.rows(); i++) {
      a.set(i, 2, 0);
    }
    int k = 7;
    SvdResult r = new ProductSvd(k).decompose(a, b);
    double maxErr = 0;
    double scale = r.singularValues()[0];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < b.rows(); j++) {
        double m = 0;
        for (int t = 0; t < a.cols(); t++) {
          m += a.get(i, t) * b.get(j, t);
        }
        double mine = 0;
        for (int t = 0; t < k; t++) {
          mine += r.u().get(i, t) * r.singularValues()[t] * r.vt().get(t, j);
        }
        maxErr = Math.max(maxErr, Math.abs(mine - m));
      }
    }
    // M has rank 7, so its rank-7 SVD reproduces it
    assertEquals(0, maxErr, 1e-10 * scale);
  }

  @Test
  void rejectsMismatchedOrWideFactorsAndTooLargeRanks() {
    Matrix a = Matrix.zeros(DType.F64, 10, 3);
    assertThrows(InvalidArgumentException.class, () -> new ProductSvd(2).decompose(a, Matrix.zeros(DType.F64, 8, 4)));
    assertThrows(InvalidArgumentException.class, () -> new ProductSvd(2).decompose(a, Matrix.zeros(DType.F64, 2, 3)));
    assertThrows(InvalidArgumentException.class, () -> new ProductSvd(4).decompose(a, Matrix.zeros(DType.F64, 8, 3)));
    assertThrows(InvalidArgumentException.class, () -> new ProductSvd(0));
  }
}
