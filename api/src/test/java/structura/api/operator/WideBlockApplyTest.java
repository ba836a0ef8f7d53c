package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Wide blocks of vectors, given as strided views: the batched GEMMs read the input with its own
 * leading dimension (no compact copy), which the zoo's narrow blocks exercise only at widths 1–3.
 */
class WideBlockApplyTest {
  private final SplittableRandom rnd = new SplittableRandom(11);
  private final Compute compute = Compute.reference();

  @Test
  void monarchBttAndEinsumAgreeWithTheirDenseFormOnWideBlocks() {
    List<LinearOperator> ops = List.of(
        Operators.monarch(random(12, 2), 3, random(10, 6), 2, compute),
        Operators.blockTensorTrain(new int[] {2, 3, 2}, new int[] {3, 1, 2}, new int[] {1, 2, 3, 1},
            List.of(random(6 * 2 * 3, 2), random(2 * 3 * 3 * 1, 3 * 2), random(3 * 2, 2 * 3)), compute),
        Operators.einsum(new EinsumDims(2, 3, 2, 2, 2, 3, 2), random(24, 2), random(6, 12), compute));
    for (LinearOperator op : ops) {
      Matrix dense = op.toDense();
      for (int width : new int[] {64, 70}) {
        Matrix wide = random(op.cols(), width + 3);
        Matrix x = wide.view(0, 2, op.cols(), width);
        assertClose(op + " apply " + width, multiply(dense, x, false), op.apply(x));
        Matrix y = random(op.rows(), width);
        assertClose(op + " applyTranspose " + width, multiply(dense, y, true), op.applyTranspose(y));
      }
    }
  }

  private Matrix random(int rows, int cols) {
    Matrix m = Matrix.zeros(DType.F64, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  private static Matrix multiply(Matrix a, Matrix x, boolean transposeA) {
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    Matrix out = Matrix.zeros(DType.F64, m, x.cols());
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < x.cols(); j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (transposeA ? a.get(p, i) : a.get(i, p)) * x.get(p, j);
        }
        out.set(i, j, s);
      }
    }
    return out;
  }

  private static void assertClose(String ctx, Matrix expected, Matrix actual) {
    assertEquals(expected.rows(), actual.rows(), ctx);
    assertEquals(expected.cols(), actual.cols(), ctx);
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        assertEquals(expected.get(i, j), actual.get(i, j), 1e-12, ctx + " (" + i + ", " + j + ")");
      }
    }
  }
}
