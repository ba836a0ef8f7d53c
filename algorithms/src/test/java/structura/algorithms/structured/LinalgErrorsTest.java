package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;

/** Bad input gets a coded error that names the argument (issue 13's list, one test each). */
class LinalgErrorsTest {
  private final SplittableRandom rnd = new SplittableRandom(13);
  private final LinearOperator spd = Operators.denseOnReference(StructuredZoo.spd(DType.F64, 4, rnd));

  private static StructuraException fails(ErrorCode code, String mentions, Executable call) {
    StructuraException e = assertThrows(StructuraException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
    return e;
  }

  @Test
  void nonSquareOperatorsAreRefusedBySolveLogdetAndEig() {
    LinearOperator wide = Operators.denseOnReference(Matrix.zeros(DType.F64, 3, 5));
    Matrix b = Matrix.zeros(DType.F64, 3, 1);
    fails(ErrorCode.DIMENSION_MISMATCH, "argument 'a' must be square but is 3x5", () -> Linalg.solve(wide, b));
    fails(ErrorCode.DIMENSION_MISMATCH, "argument 'a' must be square", () -> Linalg.logdet(wide));
    fails(ErrorCode.DIMENSION_MISMATCH, "argument 'a' must be square", () -> Linalg.eig(wide));
    fails(ErrorCode.DIMENSION_MISMATCH, "argument 'a' must be square", () -> Linalg.eigh(wide));
  }

  @Test
  void shapeAndDtypeMismatchesNameTheRightHandSide() {
    fails(ErrorCode.DIMENSION_MISMATCH, "argument 'b' has 3 rows", () -> Linalg.solve(spd, Matrix.zeros(DType.F64, 3, 1)));
    fails(ErrorCode.DTYPE_MISMATCH, "argument 'b' is F32", () -> Linalg.solve(spd, Matrix.zeros(DType.F32, 4, 1)));
  }

  @Test
  void nanOrInfInTheRightHandSideIsReportedWithItsPosition() {
    Matrix b = Matrix.zeros(DType.F64, 4, 2);
    b.set(2, 1, Double.NaN);
    fails(ErrorCode.INVALID_INPUT, "argument 'b' has a non-finite value NaN at (2, 1)", () -> Linalg.solve(spd, b));
    b.set(2, 1, Double.POSITIVE_INFINITY);
    fails(ErrorCode.INVALID_INPUT, "Infinity at (2, 1)", () -> Linalg.solve(spd, b));
  }

  @Test
  void anIndefiniteOperatorTaggedPsdSaysWhereCholeskyBrokeDown() {
    // eigenvalues 3 and -1: the second pivot is 1 - 4 = -3
    LinearOperator indefinite = Operators.tagged(Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 2, 2, 1)), Structure.PSD);
    StructuraException e = fails(ErrorCode.NUMERICAL_FAILURE, "pivot 1", () -> Linalg.solve(indefinite,
        Matrix.of(DType.F64, 2, 1, 1, 1)));
    assertTrue(e.getMessage().contains("tagged PSD"), e.getMessage());
    fails(ErrorCode.NUMERICAL_FAILURE, "pivot 1", () -> Linalg.logdet(indefinite));
  }

  @Test
  void aSingularKroneckerFactorIsNamed() {
    LinearOperator singular = Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 2, 2, 4));
    LinearOperator k = Operators.kronecker(spd, singular);
    fails(ErrorCode.NUMERICAL_FAILURE, "right factor is singular", () -> Linalg.solve(k, Matrix.zeros(DType.F64, 8, 1)));
    LinearOperator k2 = Operators.kronecker(Operators.diagonal(DType.F64, 1, 0, 2), spd);
    fails(ErrorCode.NUMERICAL_FAILURE, "left factor is singular", () -> Linalg.inverse(k2));
    assertEquals(0, Linalg.logdet(k2).sign(), "a singular operator has determinant 0, not an error");
  }

  @Test
  void eighRefusesNonSymmetricOperatorsAndFunctionsOutsideTheirDomain() {
    LinearOperator general = Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 2, 0, 1));
    fails(ErrorCode.INVALID_INPUT, "argument 'a' is not symmetric", () -> Linalg.eigh(general));
    LinearOperator negative = Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, -2, 0, 0, 1));
    fails(ErrorCode.NUMERICAL_FAILURE, "eigenvalue -2", () -> Linalg.sqrt(negative));
  }

  @Test
  void anAlgorithmThatDoesNotComputeTheFunctionIsNamed() {
    fails(ErrorCode.INVALID_ARGUMENT, "does not compute eigh", () -> Linalg.eigh(spd, new Algorithm.Lu()));
    fails(ErrorCode.INVALID_ARGUMENT, "k = 5", () -> Linalg.eigh(spd, 5, Which.LARGEST));
  }
}
