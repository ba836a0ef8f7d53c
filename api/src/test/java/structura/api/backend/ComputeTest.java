package structura.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

class ComputeTest {
  private final Compute ref = Compute.reference();

  private static InvalidArgumentException invalid(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(InvalidArgumentException.class, e);
  }

  @Test
  void gemmRejectsMismatchedInnerDimension() {
    Matrix a = Matrix.zeros(DType.F64, 3, 4);
    Matrix b = Matrix.zeros(DType.F64, 5, 2);
    Matrix c = Matrix.zeros(DType.F64, 3, 2);
    InvalidArgumentException e = invalid(() -> ref.gemm(Transpose.N, Transpose.N, 1, a, b, 0, c));
    assertEquals(ErrorCode.DIMENSION_MISMATCH, e.code());
    assertTrue(e.getMessage().contains("op(A) is 3x4"), e.getMessage());
  }

  @Test
  void gemmRejectsMixedDTypes() {
    InvalidArgumentException e = invalid(() -> ref.gemm(Transpose.N, Transpose.N, 1,
        Matrix.zeros(DType.F32, 2, 2), Matrix.zeros(DType.F64, 2, 2), 0, Matrix.zeros(DType.F64, 2, 2)));
    assertEquals(ErrorCode.DTYPE_MISMATCH, e.code());
  }

  @Test
  void gemmRejectsOutputOverlappingAnInput() {
    double[] data = new double[16];
    Matrix a = Matrix.wrap(data, 0, 2, 2, 4);
    Matrix c = Matrix.wrap(data, 1, 2, 2, 4);
    InvalidArgumentException e = invalid(() -> ref.gemm(Transpose.N, Transpose.N, 1, a, a, 0, c));
    assertEquals(ErrorCode.ALIASING, e.code());
    // side by side in one array without sharing elements is fine
    Matrix left = Matrix.wrap(data, 0, 2, 2, 4);
    Matrix right = Matrix.wrap(data, 2, 2, 2, 4);
    assertTrue(left.mayOverlap(right), "extents interleave, so the conservative check reports overlap");
    Matrix below = Matrix.wrap(data, 8, 2, 2, 4);
    ref.gemm(Transpose.N, Transpose.N, 1, left, left, 0, below);
  }

  @Test
  void betaZeroNeverReadsC() {
    Matrix a = Matrix.of(DType.F64, 1, 1, 2);
    Matrix c = Matrix.of(DType.F64, 1, 1, Double.NaN);
    ref.gemm(Transpose.N, Transpose.N, 1.5, a, a, 0, c);
    assertEquals(6.0, c.get(0, 0));
    Matrix empty = Matrix.zeros(DType.F64, 1, 0);
    Matrix c2 = Matrix.of(DType.F64, 1, 1, Double.NaN);
    ref.gemm(Transpose.N, Transpose.N, 1, empty, Matrix.zeros(DType.F64, 0, 1), 0, c2);
    assertEquals(0.0, c2.get(0, 0), "k = 0 with beta = 0 writes zeros");
  }

  @Test
  void batchedGemmRejectsOverlappingOutputBlocks() {
    Matrix a = Matrix.zeros(DType.F32, 2, 2);
    Matrix c = Matrix.wrap(new float[40], 0, 2, 2, 2);
    InvalidArgumentException e = invalid(() -> ref.batchedGemm(Transpose.N, Transpose.N, 3, 1, a, 0, a, 0, 0, c, 1));
    assertEquals(ErrorCode.ALIASING, e.code());
    InvalidArgumentException bounds = invalid(() -> ref.batchedGemm(Transpose.N, Transpose.N, 30, 1, a, 0, a, 0, 0, c, 4));
    assertEquals(ErrorCode.OUT_OF_BOUNDS, bounds.code());
  }

  @Test
  void gramAcceptsF32IntoF64AndRejectsF64IntoF32() {
    Matrix x = Matrix.of(DType.F32, 2, 2, 1, 2, 3, 4);
    Matrix c = Matrix.zeros(DType.F64, 2, 2);
    ref.gram(Transpose.T, 1, x, 0, c);
    assertEquals(10.0, c.get(0, 0));
    assertEquals(14.0, c.get(0, 1));
    assertEquals(20.0, c.get(1, 1));
    InvalidArgumentException e = invalid(() -> ref.gram(Transpose.T, 1, Matrix.zeros(DType.F64, 2, 2), 0, Matrix.zeros(DType.F32, 2, 2)));
    assertEquals(ErrorCode.DTYPE_MISMATCH, e.code());
  }

  @Test
  void level1RejectsNonVectorsOfDifferentShapes() {
    InvalidArgumentException e = invalid(() -> ref.dot(Matrix.zeros(DType.F64, 2, 3), Matrix.zeros(DType.F64, 3, 2)));
    assertEquals(ErrorCode.DIMENSION_MISMATCH, e.code());
    assertEquals(32.0, ref.dot(Matrix.of(DType.F64, 1, 3, 1, 2, 3), Matrix.of(DType.F64, 3, 1, 4, 5, 6)));
  }

  /** A backend with GEMM only: everything else must fall back, or fail in strict mode. */
  private static Backend gemmOnly() {
    Backend reference = new structura.api.internal.reference.ReferenceBackend();
    return new Backend() {
      @Override
      public String id() {
        return "gemm-only";
      }

      @Override
      public String describe() {
        return "gemm only";
      }

      @Override
      public Optional<GemmRoutine> gemm() {
        return reference.gemm();
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void missingRoutineFallsBackToReferenceWhenNotStrict() {
    try (Compute lenient = Compute.of(gemmOnly(), false)) {
      assertFalse(lenient.strict());
      Matrix x = Matrix.of(DType.F64, 1, 2, 3, 4);
      assertEquals(25.0, lenient.dot(x, x));
      assertEquals(25.0, lenient.dot(x, x), "second call uses the fallback again, warning only once");
    }
  }

  @Test
  void missingRoutineFailsInStrictMode() {
    try (Compute strict = Compute.of(gemmOnly(), true)) {
      Matrix x = Matrix.of(DType.F64, 1, 2, 3, 4);
      BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> strict.dot(x, x));
      assertEquals(ErrorCode.ROUTINE_MISSING_STRICT, e.code());
      assertTrue(e.getMessage().contains("LEVEL1"), e.getMessage());
      Matrix y = Matrix.of(DType.F64, 2, 1, 1, 1);
      assertEquals(7.0, strict.multiply(Transpose.N, x, Transpose.N, y).get(0, 0), "GEMM is present and runs");
    }
  }
}
