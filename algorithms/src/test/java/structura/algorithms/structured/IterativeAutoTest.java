package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.GmresOptions;
import structura.algorithms.iterative.NotConvergedException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;

/** Auto above its dense limit: CG for PSD-tagged leaves, GMRES for the rest, checked against EJML solves. */
class IterativeAutoTest {
  private static final int N = 1500;
  private static final double TOL = 1e-6;
  private static Matrix spd;
  private static Matrix general;
  private static Matrix badlyScaled;
  private static Matrix rhs;

  @BeforeAll
  static void matrices() {
    SplittableRandom rnd = new SplittableRandom(20261204);
    spd = StructuredZoo.spd(DType.F64, N, rnd);                     // κ below about 5
    // 3·I + G/√n, G uniform in [−1, 1]: non-symmetric, eigenvalues in a disk of radius about 0.6 around 3
    general = StructuredZoo.random(DType.F64, N, N, rnd);
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        general.set(i, j, general.get(i, j) / Math.sqrt(N) + (i == j ? 3 : 0));
      }
    }
    // D^{1/2}·S·D^{1/2} with D spread over [1, 1e6]: κ ≈ 1e6, undone by the Jacobi preconditioner
    double[] scale = new double[N];
    for (int i = 0; i < N; i++) {
      scale[i] = Math.pow(10, 3.0 * i / (N - 1));
    }
    badlyScaled = Matrix.zeros(DType.F64, N, N);
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        badlyScaled.set(i, j, scale[i] * spd.get(i, j) * scale[j]);
      }
    }
    rhs = StructuredZoo.random(DType.F64, N, 3, rnd);
  }

  private static LinearOperator psdOpaque(Matrix a) {
    return Operators.tagged(Operators.opaque(Operators.denseOnReference(a)), Structure.PSD);
  }

  /** ‖B − A·X‖/‖B‖ over all columns, computed densely. */
  private static double residual(Matrix a, Matrix x, Matrix b) {
    return Reference.relative(StructuredZoo.multiply(a, x), b);
  }

  @Test
  void psdOperatorAboveTheLimitIsSolvedByCgToItsTolerance() {
    LinearOperator a = psdOpaque(spd);
    assertTrue(Linalg.explain(LinalgFunction.INVERSE, a, new Algorithm.Auto()).name().startsWith("CG"));
    Matrix x = Linalg.solve(a, rhs);
    Matrix expected = Reference.solve(spd, rhs);
    assertTrue(residual(spd, x, rhs) <= TOL * Math.sqrt(3), "residual " + residual(spd, x, rhs));
    // forward error ≤ κ·residual, κ(spd) < 5
    double error = Reference.relative(x, expected);
    assertTrue(error <= 5 * TOL && error > 0, "error " + error);
  }

  @Test
  void generalOperatorAboveTheLimitIsSolvedByGmresToItsTolerance() {
    LinearOperator a = Operators.opaque(Operators.denseOnReference(general));
    assertEquals("GMRES (n > denseLimit)", Linalg.explain(LinalgFunction.INVERSE, a, new Algorithm.Auto()).name());
    Matrix x = Linalg.solve(a, rhs);
    assertTrue(residual(general, x, rhs) <= TOL * Math.sqrt(3), "residual " + residual(general, x, rhs));
    double kappa = Reference.cond(general);
    double error = Reference.relative(x, Reference.solve(general, rhs));
    assertTrue(error <= kappa * TOL * Math.sqrt(3), "error " + error + ", κ " + kappa);
    // the transpose of the iterative inverse solves with Aᵀ
    Matrix y = Linalg.inverse(a).applyTranspose(rhs);
    assertTrue(residual(StructuredZoo.transpose(general), y, rhs) <= TOL * Math.sqrt(3));
  }

  @Test
  void atOrBelowTheLimitTheDenseRulesStillRun() {
    assertEquals("dense Cholesky (PSD)",
        Linalg.explain(LinalgFunction.INVERSE, psdOpaque(spd), new Algorithm.Auto(N)).name());
    assertEquals("dense LU", Linalg.explain(LinalgFunction.INVERSE,
        Operators.opaque(Operators.denseOnReference(general)), new Algorithm.Auto(N)).name());
    // exact functions keep their dense routes above the limit
    assertEquals("dense Cholesky: 2·Σ log l_ii (PSD)",
        Linalg.explain(LinalgFunction.LOGDET, psdOpaque(spd), new Algorithm.Auto()).name());
    assertEquals("dense symmetric eigensolver",
        Linalg.explain(LinalgFunction.EIGH, psdOpaque(spd), new Algorithm.Auto()).name());
  }

  @Test
  void cappedIterationsThrowTheCodedNonConvergenceWithThePartialSolution() {
    Algorithm capped = new Algorithm.Auto(Algorithm.Auto.DEFAULT_DENSE_LIMIT,
        ConjugateGradientOptions.defaults().withMaxIterations(3), GmresOptions.defaults().withMaxIterations(3));
    for (Matrix m : new Matrix[] {spd, general}) {
      LinearOperator a = m == spd ? psdOpaque(m) : Operators.opaque(Operators.denseOnReference(m));
      NotConvergedException e = assertThrows(NotConvergedException.class, () -> Linalg.solve(a, rhs, capped));
      assertEquals(ErrorCode.NOT_CONVERGED, e.code());
      assertTrue(e.getMessage().startsWith("STRUCTURA-N004"), e.getMessage());
      assertEquals(N, e.partialSolution().rows());
      assertEquals(3, e.partialSolution().cols());
      assertTrue(e.residual() > TOL, "residual " + e.residual());
      // the reported residual is that of the partial solution, column by column
      double[] perColumn = e.result().residualNorms();
      for (int j = 0; j < 3; j++) {
        Matrix xj = column(e.partialSolution(), j);
        Matrix bj = column(rhs, j);
        assertEquals(residual(m, xj, bj), perColumn[j], 1e-9 * Math.max(1, perColumn[j]));
      }
      assertTrue(e.residual() < 1, "three iterations still reduce the residual: " + e.residual());
    }
  }

  @Test
  void jacobiIsAddedWhenTheDiagonalIsStructural() {
    // 30 iterations: enough with Jacobi (κ ≈ 5 after scaling), far too few without (κ ≈ 1e6)
    Algorithm auto = new Algorithm.Auto(Algorithm.Auto.DEFAULT_DENSE_LIMIT,
        ConjugateGradientOptions.defaults().withMaxIterations(30), GmresOptions.defaults());
    LinearOperator tagged = Operators.tagged(Operators.denseOnReference(badlyScaled), Structure.PSD);
    Matrix x = Linalg.solve(tagged, rhs, auto);
    assertTrue(residual(badlyScaled, x, rhs) <= TOL * Math.sqrt(3), "residual " + residual(badlyScaled, x, rhs));
    // hidden behind opaque, the diagonal would cost n products: no preconditioner, no convergence
    assertThrows(NotConvergedException.class, () -> Linalg.solve(psdOpaque(badlyScaled), rhs, auto));
  }

  @Test
  void explicitIterativeAlgorithmsRunAtAnySizeAndOnlyForInverseAndSolve() {
    SplittableRandom rnd = new SplittableRandom(5);
    Matrix small = StructuredZoo.spd(DType.F64, 40, rnd);
    Matrix b = StructuredZoo.random(DType.F64, 40, 2, rnd);
    LinearOperator a = Operators.tagged(Operators.denseOnReference(small), Structure.PSD);
    Algorithm cg = new Algorithm.Cg(ConjugateGradientOptions.defaults().withTolerance(1e-10));
    assertEquals("CG", Linalg.explain(LinalgFunction.INVERSE, a, cg).name());
    assertTrue(Reference.relative(Linalg.solve(a, b, cg), Reference.solve(small, b)) < 1e-9);
    Algorithm gmres = new Algorithm.Gmres(GmresOptions.defaults().withTolerance(1e-10));
    assertTrue(Reference.relative(Linalg.solve(a, b, gmres), Reference.solve(small, b)) < 1e-9);
    // structure still comes first: a Kronecker product is inverted factor by factor, each by CG
    LinearOperator k = Operators.kronecker(a, a);
    assertEquals("(A⊗B)⁻¹ = A⁻¹⊗B⁻¹", Linalg.explain(LinalgFunction.INVERSE, k, cg).name());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Linalg.logdet(a, cg));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  private static Matrix column(Matrix m, int j) {
    Matrix c = Matrix.zeros(DType.F64, m.rows(), 1);
    for (int i = 0; i < m.rows(); i++) {
      c.set(i, 0, m.get(i, j));
    }
    return c;
  }
}
