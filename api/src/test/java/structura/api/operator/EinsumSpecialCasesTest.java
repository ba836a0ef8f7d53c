package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The Einsum family's special cases (Potapczynski et al. 2024): with the sizes θ gives, the
 * operator is the dense, low-rank, Kronecker, Monarch or BTT matrix built from the same numbers
 * by another route.
 */
class EinsumSpecialCasesTest {
  private static final double TOL = 1e-12;
  private final Compute compute = Compute.reference();
  private final SplittableRandom rnd = new SplittableRandom(13);

  @Test
  void thetaGivesTheReferenceSizesForThePublishedExamples() {
    assertEquals(new EinsumDims(6, 1, 1, 4, 1, 1, 1), EinsumTheta.parse("(1|0|0|1|0|0|0)").dims(6, 4));
    assertEquals(new EinsumDims(64, 1, 1, 1, 16, 1, 4), EinsumTheta.parse("(1|0|0|0|1|0|0.5)").dims(64, 16));
    assertEquals(new EinsumDims(64, 1, 64, 1, 64, 64, 1), EinsumTheta.parse("(0.5|0|0.5|0|0.5|0.5|0)").dims(4096, 4096));
    assertEquals(new EinsumDims(64, 1, 64, 1, 64, 64, 8), EinsumTheta.parse("(0.5|0|0.5|0|0.5|0.5|0.25)").dims(4096, 4096));
    assertEquals(new EinsumDims(64, 64, 1, 64, 64, 1, 1), EinsumTheta.parse("(0.5|0.5|0|0.5|0.5|0|0)").dims(4096, 4096));
    // sizes always multiply out exactly, even where d^θ is not an integer
    EinsumDims generic = EinsumTheta.parse("(0.5|0.25|0.25|0.25|0.5|0.25|0)").dims(768, 3072);
    assertEquals(768, generic.in());
    assertEquals(3072, generic.out());
  }

  @Test
  void denseCaseIsTheScaledFirstCore() {
    EinsumDims dims = EinsumTheta.parse("(1|0|0|1|0|0|0)").dims(6, 4);
    Matrix a = random(4, 6);
    Matrix b = Matrix.of(DType.F64, 1, 1, -1.5);
    assertClose(scaled(a, -1.5), Operators.einsum(dims, a, b, compute).toDense());
  }

  @Test
  void lowRankCaseIsSecondCoreTimesFirst() {
    EinsumDims dims = EinsumTheta.parse("(1|0|0|0|1|0|0.5)").dims(16, 9);
    assertEquals(3, dims.rho());
    Matrix a = random(3, 16);
    Matrix b = random(9, 3);
    assertClose(multiply(b, a), Operators.einsum(dims, a, b, compute).toDense());
  }

  @Test
  void kroneckerCaseIsSecondCoreKronFirstCore() {
    EinsumDims dims = new EinsumDims(3, 2, 1, 2, 4, 1, 1);
    Matrix a = random(2, 3);
    Matrix b = random(4, 2);
    assertClose(Operators.kronecker(Operators.dense(b, compute), Operators.dense(a, compute)).toDense(),
        Operators.einsum(dims, a, b, compute).toDense());
  }

  @Test
  void monarchCaseIsTheMonarchOperatorWithItsOutputDigitsSwapped() {
    EinsumDims dims = new EinsumDims(3, 1, 4, 1, 5, 2, 1);
    Matrix a = random(dims.phi() * dims.gamma(), dims.alpha());
    Matrix b = random(dims.phi() * dims.epsilon(), dims.gamma());
    // R: γ blocks of φ×α with R_g[f, ·] = A[f·γ + g, ·]; L: φ blocks of ε×γ with L_f = B's f block
    Matrix right = Matrix.zeros(DType.F64, dims.gamma() * dims.phi(), dims.alpha());
    for (int f = 0; f < dims.phi(); f++) {
      for (int g = 0; g < dims.gamma(); g++) {
        right.row(g * dims.phi() + f).copyFrom(a.row(f * dims.gamma() + g));
      }
    }
    Matrix monarch = Operators.monarch(right, dims.gamma(), b, dims.phi(), compute).toDense();
    Matrix einsum = Operators.einsum(dims, a, b, compute).toDense();
    for (int f = 0; f < dims.phi(); f++) {
      for (int e = 0; e < dims.epsilon(); e++) {
        assertClose(monarch.row(e * dims.phi() + f), einsum.row(f * dims.epsilon() + e));
      }
    }
  }

  @Test
  void bttCaseIsTheTwoCoreBttWithItsOutputDigitsSwapped() {
    EinsumDims dims = new EinsumDims(3, 1, 4, 1, 5, 2, 3);
    int da = dims.alpha();
    int dg = dims.gamma();
    int de = dims.epsilon();
    int df = dims.phi();
    int dr = dims.rho();
    Matrix a = random(df * dg * dr, da);
    Matrix b = random(df * de, dr * dg);
    // core 1 blocked by g: rows (r, f); core 2 blocked by f: columns (g, r)
    Matrix g1 = Matrix.zeros(DType.F64, dg * dr * df, da);
    Matrix g2 = Matrix.zeros(DType.F64, df * de, dg * dr);
    for (int f = 0; f < df; f++) {
      for (int g = 0; g < dg; g++) {
        for (int r = 0; r < dr; r++) {
          g1.row((g * dr + r) * df + f).copyFrom(a.row((f * dg + g) * dr + r));
          for (int e = 0; e < de; e++) {
            g2.set(f * de + e, g * dr + r, b.get(f * de + e, r * dg + g));
          }
        }
      }
    }
    Matrix btt = Operators.blockTensorTrain(new int[] {da, dg}, new int[] {df, de}, new int[] {1, dr, 1},
        List.of(g1, g2), compute).toDense();
    Matrix einsum = Operators.einsum(dims, a, b, compute).toDense();
    for (int f = 0; f < df; f++) {
      for (int e = 0; e < de; e++) {
        assertClose(btt.row(f + df * e), einsum.row(f * de + e));
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

  private static Matrix scaled(Matrix m, double alpha) {
    Matrix out = m.copy();
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out.set(i, j, alpha * m.get(i, j));
      }
    }
    return out;
  }

  private static Matrix multiply(Matrix a, Matrix b) {
    Matrix out = Matrix.zeros(DType.F64, a.rows(), b.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double s = 0;
        for (int p = 0; p < a.cols(); p++) {
          s += a.get(i, p) * b.get(p, j);
        }
        out.set(i, j, s);
      }
    }
    return out;
  }

  static void assertClose(Matrix expected, Matrix actual) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cols(), actual.cols());
    for (int i = 0; i < expected.rows(); i++) {
      for (int j = 0; j < expected.cols(); j++) {
        assertEquals(expected.get(i, j), actual.get(i, j), TOL, "(" + i + ", " + j + ")");
      }
    }
  }
}
