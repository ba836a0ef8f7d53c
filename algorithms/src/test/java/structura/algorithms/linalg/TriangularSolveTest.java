package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link TriangularSolve}: the same bits as row-by-row scalar back substitution (the loop it
 * replaced in NeuronSelection), and the solution of X·Uᵀ = B against EJML's general solver.
 */
class TriangularSolveTest {

  /** Upper-triangular U with a dominant diagonal of mixed signs (well conditioned), row-major; garbage below. */
  private static double[] upper(SplittableRandom rnd, int k) {
    double[] u = new double[k * k];
    for (int a = 0; a < k; a++) {
      for (int c = 0; c < k; c++) {
        u[a * k + c] = c > a ? rnd.nextGaussian() / Math.sqrt(k) : c == a
            ? (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextDouble()) : 1e300; // below: must not be read
      }
    }
    return u;
  }

  private static double[] gaussian(SplittableRandom rnd, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
    }
    return x;
  }

  /** The scalar loop: each row by back substitution, the sum for column a over c = a+1 .. k−1 in order. */
  private static double[] scalarReference(double[] u, int k, double[] b, int n, int ldb) {
    double[] x = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int a = k - 1; a >= 0; a--) {
        double s = b[i * ldb + a];
        for (int c = a + 1; c < k; c++) {
          s -= x[i * k + c] * u[a * k + c];
        }
        x[i * k + a] = s / u[a * k + a];
      }
    }
    return x;
  }

  @Test
  void sameBitsAsScalarBackSubstitutionAndSolvesTheSystem() {
    // rows below, at and above the panel width, and across several panels with a partial last one
    int[][] shapes = {{1, 1}, {5, 3}, {32, 17}, {64, 6}, {65, 64}, {100, 129}, {384, 250}};
    SplittableRandom rnd = new SplittableRandom(20261205);
    for (int[] shape : shapes) {
      int n = shape[0];
      int k = shape[1];
      int ldb = k + 3;
      double[] u = upper(rnd, k);
      double[] b = gaussian(rnd, n * ldb);
      double[] expected = scalarReference(u, k, b, n, ldb);
      double[] x = b.clone();
      TriangularSolve.rightUpperTransposedInPlace(u, k, x, n, ldb);
      for (int i = 0; i < n; i++) {
        for (int a = 0; a < k; a++) {
          assertEquals(Double.doubleToRawLongBits(expected[i * k + a]), Double.doubleToRawLongBits(x[i * ldb + a]),
              "n=" + n + " k=" + k + " (" + i + ", " + a + ")");
        }
        for (int a = k; a < ldb; a++) {
          assertEquals(b[i * ldb + a], x[i * ldb + a], "padding of row " + i + " untouched");
        }
      }
      // independent reference: X = B·U⁻ᵀ by EJML's LU solve of U·Xᵀ = Bᵀ
      DMatrixRMaj ut = new DMatrixRMaj(k, k);
      DMatrixRMaj bt = new DMatrixRMaj(k, n);
      for (int a = 0; a < k; a++) {
        for (int c = a; c < k; c++) {
          ut.set(a, c, u[a * k + c]);
        }
        for (int i = 0; i < n; i++) {
          bt.set(a, i, b[i * ldb + a]);
        }
      }
      DMatrixRMaj xt = new DMatrixRMaj(k, n);
      assertTrue(CommonOps_DDRM.solve(ut, bt, xt));
      double worst = 0;
      for (int i = 0; i < n; i++) {
        for (int a = 0; a < k; a++) {
          worst = Math.max(worst, Math.abs(xt.get(a, i) - x[i * ldb + a]) / (1 + Math.abs(xt.get(a, i))));
        }
      }
      assertTrue(worst < 1e-11, "n=" + n + " k=" + k + ": max relative difference to EJML " + worst);
    }
  }

  @Test
  void emptyShapesAndBadArguments() {
    double[] b = {1, 2};
    TriangularSolve.rightUpperTransposedInPlace(new double[0], 0, b, 2, 0);
    TriangularSolve.rightUpperTransposedInPlace(new double[] {2}, 1, new double[0], 0, 1);
    assertArrayEquals(new double[] {1, 2}, b);
    assertThrows(IllegalArgumentException.class, () -> TriangularSolve.rightUpperTransposedInPlace(new double[4], 2,
        new double[3], 2, 2)); // b too short
    assertThrows(IllegalArgumentException.class, () -> TriangularSolve.rightUpperTransposedInPlace(new double[4], 2,
        new double[4], 2, 1)); // ldb < k
  }
}
