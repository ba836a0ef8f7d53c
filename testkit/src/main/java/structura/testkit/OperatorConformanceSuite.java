package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Structure;

/**
 * For every operator of the {@link OperatorZoo}, in F32 and F64: {@code toDense()} equals the
 * independently built matrix; {@code apply(X)} and {@code applyTranspose(Y)} equal the dense
 * products; {@code transpose()} agrees; ⟨Ax, y⟩ = ⟨x, Aᵀy⟩; shapes and dtypes propagate; blocks
 * of zero vectors work; declared structure holds. Override {@link #compute()} to run the dense
 * factors' GEMMs on a backend under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OperatorConformanceSuite {
  /** The compute the zoo's dense factors use; the reference backend by default. */
  protected Compute compute() {
    return Compute.reference();
  }

  Stream<Arguments> entries() {
    List<Arguments> out = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (OperatorZoo.Entry e : OperatorZoo.all(dtype, compute(), 20251122L)) {
        out.add(Arguments.of(dtype, e));
      }
    }
    return out.stream();
  }

  static double tolerance(DType dtype) {
    return dtype == DType.F32 ? 2e-5 : 1e-12;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void toDenseMatchesIndependentConstruction(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    assertEquals(e.expected().rows(), op.rows(), e + " rows");
    assertEquals(e.expected().cols(), op.cols(), e + " cols");
    assertEquals(dtype, op.dtype(), e + " dtype");
    Matrix dense = op.toDense();
    assertEquals(dtype, dense.dtype(), e + " toDense dtype");
    assertClose(e + " toDense", e.expected(), dense, tolerance(dtype));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void applyMatchesDenseProduct(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    SplittableRandom rnd = new SplittableRandom(e.name().hashCode());
    for (int k : new int[] {1, 3}) {
      Matrix x = OperatorZoo.random(dtype, op.cols(), k, rnd);
      Matrix got = op.apply(x);
      assertEquals(dtype, got.dtype());
      assertEquals(op.rows(), got.rows());
      assertEquals(k, got.cols());
      assertClose(e + " apply k=" + k, Oracle.multiply(e.expected(), x.toDType(DType.F64)), got, tolerance(dtype));
    }
    // a strided input view (a column block of a wider matrix) must work too
    Matrix wide = OperatorZoo.random(dtype, op.cols(), 4, rnd);
    Matrix view = wide.view(0, 1, op.cols(), 2);
    assertClose(e + " apply on a view", Oracle.multiply(e.expected(), view.toDType(DType.F64)), op.apply(view), tolerance(dtype));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void transposeMatchesDenseTranspose(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    SplittableRandom rnd = new SplittableRandom(31L * e.name().hashCode());
    Matrix y = OperatorZoo.random(dtype, op.rows(), 2, rnd);
    Matrix expected = Oracle.multiply(e.expected().transposeCopy(), y.toDType(DType.F64));
    assertClose(e + " applyTranspose", expected, op.applyTranspose(y), tolerance(dtype));
    LinearOperator t = op.transpose();
    assertEquals(op.cols(), t.rows());
    assertEquals(op.rows(), t.cols());
    assertClose(e + " transpose().apply", expected, t.apply(y), tolerance(dtype));
    Matrix ones = onesLike(op.cols(), dtype);
    assertClose(e + " transpose().transpose().apply", Oracle.multiply(e.expected(), ones.toDType(DType.F64)),
        t.transpose().apply(ones), tolerance(dtype));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void adjointIdentityHolds(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    SplittableRandom rnd = new SplittableRandom(17L * e.name().hashCode());
    Matrix x = OperatorZoo.random(dtype, op.cols(), 1, rnd);
    Matrix y = OperatorZoo.random(dtype, op.rows(), 1, rnd);
    double left = inner(op.apply(x), y);
    double right = inner(x, op.applyTranspose(y));
    double scale = 1 + Math.abs(left) + Math.abs(right);
    assertEquals(left, right, tolerance(dtype) * 10 * scale, e + " <Ax, y> = <x, A^T y>");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void emptyBlocksWork(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    Matrix none = Matrix.zeros(dtype, op.cols(), 0);
    Matrix out = op.apply(none);
    assertEquals(op.rows(), out.rows());
    assertEquals(0, out.cols());
    Matrix noneT = Matrix.zeros(dtype, op.rows(), 0);
    assertEquals(op.cols(), op.applyTranspose(noneT).rows());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("entries")
  void declaredStructureHolds(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    Matrix a = e.expected();
    double tol = tolerance(dtype) * 10;
    if (op.is(Structure.SYMMETRIC)) {
      assertClose(e + " symmetric", a, a.transposeCopy().toDType(dtype), tol);
    }
    if (op.is(Structure.ORTHOGONAL)) {
      assertClose(e + " orthogonal", Matrix.identity(DType.F64, a.cols()), Oracle.multiply(a.transposeCopy(), a).toDType(dtype), tol);
    }
    if (op.is(Structure.PSD)) {
      SplittableRandom rnd = new SplittableRandom(5);
      for (int t = 0; t < 10; t++) {
        Matrix x = OperatorZoo.random(DType.F64, a.cols(), 1, rnd);
        double q = inner(Oracle.multiply(a, x), x);
        assertTrue(q >= -tol * (1 + inner(x, x)), e + " PSD: xᵀAx = " + q);
      }
    }
  }

  private static Matrix onesLike(int n, DType dtype) {
    Matrix m = Matrix.zeros(dtype, n, 1);
    m.fill(1);
    return m;
  }

  private static double inner(Matrix x, Matrix y) {
    double s = 0;
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.cols(); j++) {
        s += x.get(i, j) * y.get(i, j);
      }
    }
    return s;
  }

  /** Max-norm comparison relative to the expected matrix's magnitude. */
  static void assertClose(String ctx, Matrix expected, Matrix actual, double tol) {
    assertEquals(expected.rows(), actual.rows(), ctx + " rows");
    assertEquals(expected.cols(), actual.cols(), ctx + " cols");
    double scale = 1;
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        scale = Math.max(scale, Math.abs(expected.get(i, j)));
      }
    }
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        double err = Math.abs(expected.get(i, j) - actual.get(i, j));
        if (!(err <= tol * scale)) {
          fail(ctx + ": at (" + i + ", " + j + ") expected " + expected.get(i, j) + " but got " + actual.get(i, j));
        }
      }
    }
  }
}
