package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * The quick-start examples of CoLA's README (wilson-labs/cola @4810da7, README.md "Quick start
 * guide"), with the values it prints. The README prints float32 results rounded for display;
 * each assertion uses the precision printed there.
 */
class ColaReadmeTest {
  // A = Diagonal(arange(5) + .1); B = Dense([[2, 1], [-2, 1.1], [.01, .2]]); C = Bᵀ B; D = C + 0.01 I
  // E = Kronecker(A, Dense(ones(2, 2))); F = BlockDiag(E, D)
  private final LinearOperator a = Operators.diagonal(DType.F64, 0.1, 1.1, 2.1, 3.1, 4.1);
  private final LinearOperator b = Operators.denseOnReference(Matrix.of(DType.F64, 3, 2, 2, 1, -2, 1.1, .01, .2));
  private final LinearOperator c = Operators.product(b.transpose(), b);
  private final LinearOperator d = Operators.sum(c, Operators.scale(0.01, Operators.identity(DType.F64, 2)));
  private final LinearOperator e = Operators.kronecker(a, Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 1, 1, 1)));
  private final LinearOperator f = Operators.blockDiagonal(e, d);

  @Test
  void fTimesOnes() {
    Matrix ones = Matrix.zeros(DType.F64, 12, 1);
    ones.fill(1);
    Matrix y = f.apply(ones);
    double[] printed = {0.2, 0.2, 2.2, 2.2, 4.2, 4.2, 6.2, 6.2, 8.2, 8.2, 7.8, 2.1};
    for (int i = 0; i < 12; i++) {
      assertEquals(printed[i], y.get(i, 0), i < 10 ? 1e-12 : 0.05, "F @ ones, entry " + i);
    }
  }

  @Test
  void traceOfF() {
    assertEquals(31.2701, Linalg.trace(f), 1e-10);
  }

  @Test
  void firstFiveEigenvaluesOfFAreAmongItsSpectrum() {
    // printed (CoLA's order): 0.2, 0, 2.2, -1.19e-7 (a float32 zero), 4.2
    Eigenvalues ev = Linalg.eig(f);
    double[] re = ev.real();
    for (double printed : new double[] {0.2, 0, 2.2, 0, 4.2}) {
      assertTrue(Arrays.stream(re).anyMatch(x -> Math.abs(x - printed) < 1e-6), "missing eigenvalue " + printed);
    }
    assertTrue(Arrays.stream(ev.imaginary()).allMatch(x -> x == 0), "F is symmetric: real spectrum");
    assertEquals(5, Arrays.stream(re).filter(x -> Math.abs(x) < 1e-12).count(), "Kronecker with ones(2,2) has 5 zeros");
  }

  @Test
  void sqrtOfA() {
    LinearOperator s = Linalg.sqrt(a);
    double[] printed = {0.31622776, 1.0488088, 1.4491377, 1.7606816, 2.0248456};
    assertArrayEquals(printed, Linalg.diagonal(s), 1e-7); // float32 values printed to 8 digits
    assertTrue(s instanceof structura.api.operator.DiagonalOperator, "sqrt of a diagonal stays diagonal: " + s);
  }

  @Test
  void traceOfKronAA() {
    LinearOperator m = Operators.denseOnReference(Matrix.of(DType.F64, 2, 2, 1, 2, 3, 4));
    assertEquals(25, Linalg.trace(Operators.kronecker(m, m)), 1e-12);
  }

  @Test
  void solveWithQIsExact() {
    // The README prints ‖Q b − v‖ = 0.0010193728 for CoLA's float32 iterative solve; the dense
    // F64 route here is exact to rounding, which is the stronger check.
    LinearOperator q = Operators.sum(Operators.product(f.transpose(), f), Operators.scale(1e-3, Operators.identity(DType.F64, 12)));
    Matrix v = Matrix.zeros(DType.F64, 12, 1);
    v.fill(1);
    Matrix x = Linalg.solve(q, v);
    Matrix r = q.apply(x);
    for (int i = 0; i < 12; i++) {
      assertEquals(1, r.get(i, 0), 1e-9);
    }
  }
}
