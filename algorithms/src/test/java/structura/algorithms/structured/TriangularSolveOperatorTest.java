package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.DType;
import structura.api.Matrix;

/** T⁻¹·X and T⁻ᵀ·X by substitution against an independent dense solve (EJML LU), lower and upper T. */
class TriangularSolveOperatorTest {
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void applyAndApplyTransposeSolveWithTAndItsTranspose(boolean lower) {
    int n = 37;
    int k = 3;
    SplittableRandom rnd = new SplittableRandom(lower ? 1 : 2);
    double[] t = new double[n * n];
    Matrix dense = Matrix.zeros(DType.F64, n, n);
    Matrix denseT = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        boolean inTriangle = lower ? j <= i : j >= i;
        // entries in the other triangle are garbage the operator must not read
        t[i * n + j] = inTriangle ? (i == j ? 2 + rnd.nextDouble() : rnd.nextDouble(-1, 1)) : 1e6;
        if (inTriangle) {
          dense.set(i, j, t[i * n + j]);
          denseT.set(j, i, t[i * n + j]);
        }
      }
    }
    Matrix x = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        x.set(i, c, rnd.nextDouble(-1, 1));
      }
    }
    TriangularSolveOperator op = new TriangularSolveOperator(t, n, lower, DType.F64, "t");
    double forward = Reference.relative(op.apply(x), Reference.solve(dense, x));
    double transposed = Reference.relative(op.applyTranspose(x), Reference.solve(denseT, x));
    assertTrue(forward < 1e-13, "T⁻¹X: " + forward);
    assertTrue(transposed < 1e-13, "T⁻ᵀX: " + transposed);
  }
}
