package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * {@link GramBlockPivotedQr} against the NumPy fixture {@code block_selection_f64} (made by
 * {@code make_fixtures.py}), whose greedy order, errors and least-squares map are computed from A
 * itself with QR projections, not from its Gram matrix: 6 blocks of width 4 where block 2 lies in
 * the span of blocks 0 and 4, so five blocks already reach zero error.
 */
class GramBlockPivotedQrTest {
  static final Compute C = Compute.reference();
  static final int B = 4;

  static Matrix gram(Matrix a) {
    Matrix g = Matrix.zeros(DType.F64, a.cols(), a.cols());
    C.gemm(Transpose.T, Transpose.N, 1.0, a, a, 0.0, g);
    return g;
  }

  @Test
  void orderAndErrorsMatchProjectionsOfTheData() {
    Fixture f = Fixture.load("block_selection_f64");
    Matrix a = f.matrix("A", DType.F64);
    Matrix w = f.matrix("W", DType.F64);
    GramBlockPivotedQr.Selection s = new GramBlockPivotedQr(C).select(gram(a), w, B);
    assertArrayEquals(f.ints("order"), s.order());
    double[] ref = f.vector("errors");
    double total = ref[0];
    assertEquals(ref.length, s.error().length);
    for (int k = 0; k < ref.length; k++) {
      assertEquals(ref[k], s.error()[k], 1e-9 * total, "error keeping " + k + " blocks");
    }
    assertArrayEquals(f.ints("kept3"), s.kept(3));
  }

  @Test
  void projectionIsTheLeastSquaresMapOnTheKeptBlocks() {
    Fixture f = Fixture.load("block_selection_f64");
    Matrix a = f.matrix("A", DType.F64);
    Matrix w = f.matrix("W", DType.F64);
    Matrix scatter = gram(a);
    Matrix before = scatter.copy();
    Matrix x = new GramBlockPivotedQr(C).projection(scatter, w, B, f.ints("kept3"));
    Matrix ref = f.matrix("projection3", DType.F64);
    double scale = 0;
    for (int i = 0; i < ref.rows(); i++) {
      for (int j = 0; j < ref.cols(); j++) {
        scale = Math.max(scale, Math.abs(ref.get(i, j)));
      }
    }
    for (int i = 0; i < ref.rows(); i++) {
      for (int j = 0; j < ref.cols(); j++) {
        assertEquals(ref.get(i, j), x.get(i, j), 1e-8 * scale, "W'(" + i + "," + j + ")");
      }
    }
    for (int i = 0; i < scatter.rows(); i++) {
      for (int j = 0; j < scatter.cols(); j++) {
        assertEquals(before.get(i, j), scatter.get(i, j), 0.0, "the scatter is not modified");
      }
    }
  }

  @Test
  void blockSizeMustDivideTheColumnCount() {
    Matrix scatter = Matrix.zeros(DType.F64, 10, 10);
    Matrix w = Matrix.zeros(DType.F64, 3, 10);
    assertThrows(InvalidArgumentException.class, () -> new GramBlockPivotedQr(C).select(scatter, w, 4));
    assertThrows(InvalidArgumentException.class,
        () -> new GramBlockPivotedQr(C).select(scatter, Matrix.zeros(DType.F64, 3, 9), 5));
  }
}
