package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

/** Bad shapes, ranks and dtypes for Monarch, BTT and Einsum get coded errors naming the argument. */
class StructuredLayerValidationTest {
  private final Compute compute = Compute.reference();

  @Test
  void monarchChecksBlockCountsInnerLengthAndDtype() {
    Matrix r = Matrix.zeros(DType.F64, 12, 2);
    expect(ErrorCode.INVALID_ARGUMENT, "blocks", () -> Operators.monarch(r, 5, Matrix.zeros(DType.F64, 10, 6), 2, compute));
    expect(ErrorCode.INVALID_ARGUMENT, "blocks", () -> Operators.monarch(r, 0, Matrix.zeros(DType.F64, 10, 6), 2, compute));
    expect(ErrorCode.DIMENSION_MISMATCH, "k·q = 12", () -> Operators.monarch(r, 3, Matrix.zeros(DType.F64, 10, 5), 2, compute));
    expect(ErrorCode.DTYPE_MISMATCH, "F32", () -> Operators.monarch(r, 3, Matrix.zeros(DType.F32, 10, 6), 2, compute));
  }

  @Test
  void applyChecksRowsAndDtypeOfTheInput() {
    LinearOperator m = Operators.monarch(Matrix.zeros(DType.F64, 12, 2), 3, Matrix.zeros(DType.F64, 10, 6), 2, compute);
    expect(ErrorCode.DIMENSION_MISMATCH, "7 rows", () -> m.apply(Matrix.zeros(DType.F64, 7, 1)));
    expect(ErrorCode.DIMENSION_MISMATCH, "6 rows", () -> m.applyTranspose(Matrix.zeros(DType.F64, 6, 1)));
    expect(ErrorCode.DTYPE_MISMATCH, "F32", () -> m.apply(Matrix.zeros(DType.F32, 6, 1)));
  }

  @Test
  void bttNamesTheCoreWithTheWrongShapeAndChecksRanks() {
    int[] m = {2, 3};
    int[] n = {3, 2};
    Matrix c1 = Matrix.zeros(DType.F64, 3 * 2 * 3, 2);
    Matrix c2 = Matrix.zeros(DType.F64, 3 * 2, 3 * 2);
    Operators.blockTensorTrain(m, n, new int[] {1, 2, 1}, List.of(c1, c2), compute);
    expect(ErrorCode.DIMENSION_MISMATCH, "cores[1]", () -> Operators.blockTensorTrain(m, n, new int[] {1, 2, 1},
        List.of(c1, Matrix.zeros(DType.F64, 6, 5)), compute));
    expect(ErrorCode.INVALID_ARGUMENT, "start and end with 1", () -> Operators.blockTensorTrain(m, n, new int[] {2, 2, 1},
        List.of(c1, c2), compute));
    expect(ErrorCode.DIMENSION_MISMATCH, "ranks 2", () -> Operators.blockTensorTrain(m, n, new int[] {1, 1},
        List.of(c1, c2), compute));
    expect(ErrorCode.DTYPE_MISMATCH, "cores[1]", () -> Operators.blockTensorTrain(m, n, new int[] {1, 2, 1},
        List.of(c1, Matrix.zeros(DType.F32, 6, 6)), compute));
    BlockTensorTrainOperator btt = (BlockTensorTrainOperator) Operators.blockTensorTrain(m, n, new int[] {1, 2, 1},
        List.of(c1, c2), compute);
    expect(ErrorCode.DIMENSION_MISMATCH, "gate", () -> btt.applyGated(Matrix.zeros(DType.F64, 6, 2), Matrix.zeros(DType.F64, 3, 2)));
  }

  @Test
  void einsumNamesTheCoreWithTheWrongShape() {
    EinsumDims dims = new EinsumDims(2, 3, 2, 2, 2, 3, 2);
    Matrix a = Matrix.zeros(DType.F64, 24, 2);
    Matrix b = Matrix.zeros(DType.F64, 6, 12);
    Operators.einsum(dims, a, b, compute);
    expect(ErrorCode.DIMENSION_MISMATCH, "core a", () -> Operators.einsum(dims, Matrix.zeros(DType.F64, 24, 3), b, compute));
    expect(ErrorCode.DIMENSION_MISMATCH, "core b", () -> Operators.einsum(dims, a, Matrix.zeros(DType.F64, 12, 6), compute));
    expect(ErrorCode.DTYPE_MISMATCH, "core b", () -> Operators.einsum(dims, a, Matrix.zeros(DType.F32, 6, 12), compute));
    expect(ErrorCode.INVALID_ARGUMENT, "at least 1", () -> new EinsumDims(2, 0, 1, 1, 1, 1, 1));
  }

  @Test
  void thetaChecksItsSumsAndText() {
    expect(ErrorCode.INVALID_ARGUMENT, "must both be 1", () -> EinsumTheta.parse("(0.5|0.5|0.5|1|0|0|0)"));
    expect(ErrorCode.INVALID_ARGUMENT, "not 7", () -> EinsumTheta.parse("(1|0|0)"));
    expect(ErrorCode.INVALID_ARGUMENT, "not a number", () -> EinsumTheta.parse("(1|0|x|1|0|0|0)"));
    expect(ErrorCode.INVALID_ARGUMENT, "[0, 1]", () -> new EinsumTheta(1.5, -0.5, 0, 1, 0, 0, 0));
  }

  private static void expect(ErrorCode code, String fragment, Executable call) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
