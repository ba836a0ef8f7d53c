package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;

/**
 * The column-reading preconditioner of a lazy kernel matrix equals the product-reading one, reads
 * no products, and inverts L·Lᵀ + σ²I (checked against a dense solve); KernelOperator's column and
 * diagonal equal its dense matrix's.
 */
class PivotedCholeskyColumnsTest {
  @Test
  void columnsGiveTheSamePreconditionerWithoutProducts() {
    int n = 300;
    double noise = 0.05;
    Matrix x = Matrix.zeros(DType.F64, n, 3);
    double[][] p = Dense.points(n, 3, 61);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 3; t++) {
        x.set(i, t, p[i][t]);
      }
    }
    KernelOperator k = KernelOperator.symmetric(KernelFunction.isotropic(RadialKernel.Kind.MATERN_32, 0.3, 1.5), x,
        Compute.reference());
    Matrix dense = k.toDense();
    for (int j : new int[] {0, 17, n - 1}) {
      double[] col = k.column(j);
      for (int i = 0; i < n; i++) {
        assertEquals(dense.get(i, j), col[i], 1e-15);
      }
    }
    double[] diag = k.diagonal();
    for (int i = 0; i < n; i++) {
      assertEquals(dense.get(i, i), diag[i], 1e-15);
    }
    double[] noiseDiagonal = new double[n];
    Arrays.fill(noiseDiagonal, noise);
    PivotedCholeskyOptions options = PivotedCholeskyOptions.ofRank(40);
    PivotedCholeskyPreconditioner byColumns = PivotedCholeskyPreconditioner.ofColumns(n, k::column, diag,
        noiseDiagonal, options);
    PivotedCholeskyPreconditioner byProducts = PivotedCholeskyPreconditioner.of(k, noiseDiagonal, options);
    assertEquals(0, byColumns.setupProducts());
    assertTrue(byProducts.setupProducts() >= 40);
    assertArrayEquals(byProducts.factor().f64(), byColumns.factor().f64(), 1e-12);
    assertEquals(byProducts.logDeterminant(), byColumns.logDeterminant(), 1e-10);
    Matrix l = byColumns.factor();
    Matrix pDense = Dense.plusDiagonal(Dense.multiply(l, l.transposeCopy()), noise);
    Matrix v = Dense.gaussian(n, 2, 62);
    assertTrue(Dense.relativeError(byColumns.applyInverse(v), Dense.solve(pDense, v)) < 1e-10);
  }
}
