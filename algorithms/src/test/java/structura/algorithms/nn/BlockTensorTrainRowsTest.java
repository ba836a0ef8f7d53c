package structura.algorithms.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * {@link BlockTensorTrainRows} against an independent implementation of the same matrix, the
 * API's {@link Operators#blockTensorTrain} (strided batched GEMMs on column vectors), for
 * Monarch (r = 1) and higher ranks, square and rectangular, on a strided view of X.
 */
class BlockTensorTrainRowsTest {
  static final Compute C = Compute.reference();

  static Matrix uniform(SplittableRandom rnd, int rows, int cols) {
    Matrix m = Matrix.zeros(DType.F32, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  @Test
  void rowsTimesTheTransposeAgreeWithTheBlockTensorTrainOperator() {
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] shapes = {{4, 4, 4, 4, 1}, {6, 4, 3, 8, 1}, {5, 3, 4, 2, 3}, {3, 7, 6, 5, 2}};
    for (int[] s : shapes) {
      int m1 = s[0];
      int m2 = s[1];
      int n1 = s[2];
      int n2 = s[3];
      int r = s[4];
      Linear.Btt w = new Linear.Btt(m1, m2, n1, n2, r, uniform(rnd, m2 * r * n1, m1), uniform(rnd, n1 * n2, m2 * r));
      LinearOperator op = Operators.blockTensorTrain(new int[] {m1, m2}, new int[] {n1, n2}, new int[] {1, r, 1},
          List.of(w.first(), w.second()), C);
      Matrix padded = uniform(rnd, 9, m1 * m2 + 3);
      Matrix x = padded.view(1, 2, 7, m1 * m2); // offset and ld ≠ cols
      Matrix y = BlockTensorTrainRows.apply(C, w, x);
      Matrix expected = op.apply(x.transposeCopy()); // out × 7
      double scale = 0;
      double diff = 0;
      for (int t = 0; t < 7; t++) {
        for (int i = 0; i < n1 * n2; i++) {
          scale = Math.max(scale, Math.abs(expected.get(i, t)));
          diff = Math.max(diff, Math.abs(expected.get(i, t) - y.get(t, i)));
        }
      }
      assertEquals(7, y.rows());
      assertTrue(scale > 0.1 && diff < 1e-5 * scale, java.util.Arrays.toString(s) + ": " + diff + " of " + scale);
    }
  }
}
