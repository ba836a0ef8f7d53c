package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

class PermutationTriangularKroneckerSumTest {
  @Test
  void permutationMovesRowsAndItsTransposeIsTheInverse() {
    LinearOperator p = Operators.permutation(DType.F64, 2, 0, 1);
    Matrix x = Matrix.of(DType.F64, 3, 1, 10, 20, 30);
    assertArrayEquals(new double[] {30, 10, 20}, p.apply(x).f64());
    assertArrayEquals(x.f64(), p.transpose().apply(p.apply(x)).f64());
    assertTrue(p.transpose() instanceof PermutationOperator);
    assertTrue(p.is(Structure.ORTHOGONAL));
    assertFalse(p.is(Structure.SYMMETRIC));
    assertTrue(Operators.permutation(DType.F64, 1, 0, 2).is(Structure.SYMMETRIC));
  }

  @Test
  void permutationSignIsTheDeterminant() {
    assertEquals(1, ((PermutationOperator) Operators.permutation(DType.F64, 2, 0, 1)).sign()); // 3-cycle
    assertEquals(-1, ((PermutationOperator) Operators.permutation(DType.F64, 1, 0, 2)).sign()); // swap
    assertEquals(1, ((PermutationOperator) Operators.permutation(DType.F64, 1, 0, 3, 2)).sign()); // two swaps
  }

  @Test
  void aRepeatedOrOutOfRangeIndexIsNamed() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Operators.permutation(DType.F64, 0, 0, 1));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("entry 1 is 0, which appears twice"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> Operators.permutation(DType.F64, 0, 3));
  }

  @Test
  void triangularReadsOnlyItsTriangleAndTransposesToTheOther() {
    Matrix m = Matrix.of(DType.F64, 2, 2, 2, Double.NaN, 3, 4); // NaN above the diagonal is never read
    LinearOperator lower = Operators.triangular(m, true, false);
    assertArrayEquals(new double[] {2, 0, 3, 4}, lower.toDense().f64());
    LinearOperator t = lower.transpose();
    assertTrue(t instanceof TriangularOperator u && !u.lower());
    assertArrayEquals(new double[] {2, 3, 0, 4}, t.toDense().f64());
    LinearOperator unit = Operators.triangular(m, true, true);
    assertArrayEquals(new double[] {1, 0, 3, 1}, unit.toDense().f64());
    assertThrows(InvalidArgumentException.class, () -> Operators.triangular(Matrix.zeros(DType.F64, 2, 3), true, false));
  }

  @Test
  void kroneckerSumIsAKronIPlusIKronB() {
    LinearOperator a = Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 2, 3, 4));
    LinearOperator b = Operators.denseOnReference(Matrix.of(DType.F64, 1, 1, 10));
    // A ⊕ [10] = A + 10 I
    assertArrayEquals(new double[] {11, 2, 3, 14}, Operators.kroneckerSum(a, b).toDense().f64());
    assertThrows(InvalidArgumentException.class,
        () -> Operators.kroneckerSum(a, Operators.denseOnReference(Matrix.zeros(DType.F64, 1, 2))));
  }
}
