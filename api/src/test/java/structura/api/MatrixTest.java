package structura.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatrixTest {
  @Test
  void viewsShareStorageAndRespectLeadingDimension() {
    double[] data = new double[20];
    Matrix m = Matrix.wrap(data, 2, 3, 4, 6);
    m.set(1, 2, 7);
    assertEquals(7, data[2 + 6 + 2]);
    Matrix v = m.view(1, 1, 2, 3);
    assertEquals(7, v.get(0, 1));
    assertEquals(2 + 6 + 1, v.offset());
    assertArrayEquals(new long[] {2, 2 + 2 * 6 + 4}, m.extent());
  }

  @Test
  void rejectsViewsOutsideTheArrayWithCodes() {
    InvalidArgumentException tooLong = assertThrows(InvalidArgumentException.class, () -> Matrix.wrap(new float[10], 0, 3, 4, 4));
    assertEquals(ErrorCode.OUT_OF_BOUNDS, tooLong.code());
    assertTrue(tooLong.getMessage().contains("needs 12 elements"), tooLong.getMessage());
    InvalidArgumentException ld = assertThrows(InvalidArgumentException.class, () -> Matrix.wrap(new float[10], 0, 2, 4, 3));
    assertEquals(ErrorCode.INVALID_ARGUMENT, ld.code());
    assertThrows(InvalidArgumentException.class, () -> Matrix.zeros(DType.F64, 2, 2).get(2, 0));
    assertThrows(InvalidArgumentException.class, () -> Matrix.zeros(DType.F64, 2, 2).view(1, 1, 2, 1));
    assertThrows(InvalidArgumentException.class, () -> Matrix.zeros(DType.F64, 2, 2).f32());
  }

  @Test
  void copiesConvertAndTranspose() {
    Matrix m = Matrix.of(DType.F64, 2, 3, 1, 2, 3, 4, 5, 6.5);
    Matrix f = m.toDType(DType.F32);
    assertEquals(DType.F32, f.dtype());
    assertEquals(6.5, f.get(1, 2));
    Matrix t = m.transposeCopy();
    assertEquals(3, t.rows());
    assertEquals(4, t.get(0, 1));
    Matrix empty = Matrix.zeros(DType.F32, 4, 0);
    assertEquals(0, empty.copy().cols());
  }

  @Test
  void overlapIsDetectedOnlyForSharedArrays() {
    double[] data = new double[10];
    Matrix a = Matrix.wrap(data, 0, 1, 5, 5);
    Matrix b = Matrix.wrap(data, 5, 1, 5, 5);
    assertFalse(a.mayOverlap(b));
    assertTrue(a.mayOverlap(Matrix.wrap(data, 4, 1, 2, 2)));
    assertFalse(a.mayOverlap(Matrix.wrap(new double[10], 0, 1, 5, 5)));
  }
}
