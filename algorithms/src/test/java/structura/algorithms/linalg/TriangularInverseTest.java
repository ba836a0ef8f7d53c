package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/** {@link TriangularInverse} against EJML's general inverse (moved from ModegptStrategyTest with the method). */
class TriangularInverseTest {
  private static final Compute C = Compute.reference();

  /** Lower Cholesky factor of a random SPD matrix by the textbook loop. */
  private static double[][] randomCholeskyFactor(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] x = gaussian(rnd, 2 * n, n);
    double[][] a = gram(x);
    for (int i = 0; i < n; i++) {
      a[i][i] += 0.1 * n;
    }
    double[][] l = new double[n][n];
    for (int j = 0; j < n; j++) {
      double s = a[j][j];
      for (int t = 0; t < j; t++) {
        s -= l[j][t] * l[j][t];
      }
      l[j][j] = Math.sqrt(s);
      for (int i = j + 1; i < n; i++) {
        double v = a[i][j];
        for (int t = 0; t < j; t++) {
          v -= l[i][t] * l[j][t];
        }
        l[i][j] = v / l[j][j];
      }
    }
    return l;
  }

  @Test
  void lowerInverseMatchesEjmlAcrossTheRecursionThreshold() {
    for (int n : new int[] {1, 7, 64, 65, 150}) {
      double[][] l = randomCholeskyFactor(100 + n, n);
      Matrix inv = new TriangularInverse(C).lower(f64(l));
      DMatrixRMaj ref = new DMatrixRMaj(l);
      assertTrue(CommonOps_DDRM.invert(ref));
      double scale = CommonOps_DDRM.elementMaxAbs(ref);
      double maxErr = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          maxErr = Math.max(maxErr, Math.abs(inv.get(i, j) - ref.get(i, j)));
        }
      }
      assertTrue(maxErr <= 1e-10 * scale, "n=" + n + ": max |L⁻¹ − EJML| = " + maxErr + " (max entry " + scale + ")");
      // and L·L⁻¹ = I
      double[][] prod = multiply(l, Norms.toArray(inv));
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(i == j ? 1 : 0, prod[i][j], 1e-10, "n=" + n + " (L·L⁻¹)[" + i + "," + j + "]");
        }
      }
    }
    // the input is not modified
    double[][] l = randomCholeskyFactor(7, 150);
    Matrix m = f64(l);
    new TriangularInverse(C).lower(m);
    assertEquals(0.0, maxDiff(m, f64(l)));
  }

  // ---- plain double loops, as the compress tests build their data ---------------------------------

  private static double[][] gaussian(SplittableRandom rnd, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        // Box-Muller, the generator the test used before the move
        double u = rnd.nextDouble(Double.MIN_NORMAL, 1);
        double v = rnd.nextDouble();
        row[j] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      }
    }
    return a;
  }

  private static double[][] gram(double[][] x) {
    return multiply(Norms.toArray(Norms.transpose(f64(x))), x);
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int p = 0; p < b.length; p++) {
        for (int j = 0; j < b[0].length; j++) {
          c[i][j] += a[i][p] * b[p][j];
        }
      }
    }
    return c;
  }

  private static Matrix f64(double[][] a) {
    Matrix m = Matrix.zeros(DType.F64, a.length, a[0].length);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        m.set(i, j, a[i][j]);
      }
    }
    return m;
  }

  private static double maxDiff(Matrix a, Matrix b) {
    return Norms.maxAbs(Norms.minus(a, b));
  }
}
