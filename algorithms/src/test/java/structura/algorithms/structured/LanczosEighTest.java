package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.iterative.EigenpairsNotConvergedException;
import structura.algorithms.iterative.LanczosEigensolverOptions;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Top-k eigenpairs through the facade: Auto switches to the Lanczos eigensolver above its dense
 * limit for unstructured operators, Algorithm.Lanczos forces it; checked against spectra known by
 * construction (a Kronecker sum of factors with planted eigenvalues, n = 2500) and EJML's dense
 * eigensolver (a lazy kernel matrix, n = 1200), with residuals and orthonormality recomputed here.
 */
class LanczosEighTest {
  private static final int F = 50;

  /** Q·diag(λ)·Q with the Householder reflector Q = I − 2uuᵀ/‖u‖² of a seeded u. */
  private static Matrix withSpectrum(double[] lambda, long seed) {
    int n = lambda.length;
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] u = new double[n];
    double uu = 0;
    for (int i = 0; i < n; i++) {
      u[i] = rnd.nextGaussian();
      uu += u[i] * u[i];
    }
    Matrix q = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        q.set(i, j, (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu);
      }
    }
    Matrix a = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < n; t++) {
          s += q.get(i, t) * lambda[t] * q.get(t, j);
        }
        a.set(i, j, s);
      }
    }
    return a;
  }

  /** c + s·x³ + l·x on x ∈ [−1, 1]: eigenvalues spread apart at both ends, so both ends converge. */
  private static double[] cubicSpectrum(double c, double s, double l) {
    double[] v = new double[F];
    for (int i = 0; i < F; i++) {
      double x = 2.0 * i / (F - 1) - 1;
      v[i] = c + s * x * x * x + l * x;
    }
    return v;
  }

  private static final double[] LEFT = cubicSpectrum(6, 5, 0);
  private static final double[] RIGHT = cubicSpectrum(3, 4, 0.3);

  /** The Kronecker sum A⊕B with the structure hidden, so only products are available. */
  private static LinearOperator opaqueKroneckerSum() {
    return Operators.opaque(Operators.kroneckerSum(Operators.denseOnReference(withSpectrum(LEFT, 1)),
        Operators.denseOnReference(withSpectrum(RIGHT, 2))));
  }

  private static double[] kroneckerSumSpectrum() {
    double[] all = new double[F * F];
    for (int i = 0; i < F; i++) {
      for (int j = 0; j < F; j++) {
        all[i * F + j] = LEFT[i] + RIGHT[j];
      }
    }
    Arrays.sort(all);
    return all;
  }

  /** max_j ‖A·v_j − λ_j·v_j‖ and max |VᵀV − I|, recomputed from the operator. */
  private static double[] residualAndOrthogonality(LinearOperator a, Eigendecomposition e) {
    Matrix v = e.toDense();
    Matrix av = a.apply(v);
    double[] lambda = e.values();
    double res = 0;
    double orth = 0;
    for (int c = 0; c < lambda.length; c++) {
      double r2 = 0;
      for (int i = 0; i < v.rows(); i++) {
        double r = av.get(i, c) - lambda[c] * v.get(i, c);
        r2 += r * r;
      }
      res = Math.max(res, Math.sqrt(r2));
      for (int d = 0; d < lambda.length; d++) {
        double dot = 0;
        for (int i = 0; i < v.rows(); i++) {
          dot += v.get(i, c) * v.get(i, d);
        }
        orth = Math.max(orth, Math.abs(dot - (c == d ? 1 : 0)));
      }
    }
    return new double[] {res, orth};
  }

  @Test
  void autoAboveTheDenseLimitRunsLanczosAndMatchesThePlantedSpectrum() {
    LinearOperator a = opaqueKroneckerSum();
    assertEquals("Lanczos, full re-orthogonalization (n > denseLimit)",
        Linalg.explain(LinalgFunction.EIGH_PARTIAL, a, new Algorithm.Auto()).name());
    double[] exact = kroneckerSumSpectrum();
    double norm = exact[exact.length - 1];
    for (Which which : Which.values()) {
      Eigendecomposition e = Linalg.eigh(a, 5, which);
      double[] got = e.values();
      for (int j = 0; j < 5; j++) {
        double want = which == Which.LARGEST ? exact[exact.length - 5 + j] : exact[j];
        assertEquals(want, got[j], 1e-9 * norm, which + " eigenvalue " + j);
      }
      double[] check = residualAndOrthogonality(a, e);
      assertTrue(check[0] <= 1e-8 * norm, which + " residual " + check[0]);
      assertTrue(check[1] < 1e-10, which + " orthogonality " + check[1]);
      double[] reported = e.residualNorms();
      assertEquals(5, reported.length);
      for (double r : reported) {
        assertTrue(r <= 1e-8 * norm && r <= 2 * check[0] + 1e-14, "reported residual " + r);
      }
    }
  }

  @Test
  void structureAndTheDenseLimitStillDecideBeforeLanczos() {
    LinearOperator structured = Operators.kroneckerSum(Operators.denseOnReference(withSpectrum(LEFT, 1)),
        Operators.denseOnReference(withSpectrum(RIGHT, 2)));
    assertEquals("all eigenpairs by the structural eigh rule, then the k wanted",
        Linalg.explain(LinalgFunction.EIGH_PARTIAL, structured, new Algorithm.Auto()).name());
    Eigendecomposition e = Linalg.eigh(structured, 3, Which.LARGEST);
    double[] exact = kroneckerSumSpectrum();
    assertEquals(0, e.residualNorms().length);  // exact route: no residuals measured
    assertEquals(exact[exact.length - 1], e.values()[2], 1e-12 * exact[exact.length - 1]);
    LinearOperator small = Operators.opaque(Operators.denseOnReference(withSpectrum(LEFT, 3)));
    assertEquals("all eigenpairs by eigh, then the k wanted",
        Linalg.explain(LinalgFunction.EIGH_PARTIAL, small, new Algorithm.Auto()).name());
    // explicit Lanczos runs on the structured operator too
    assertEquals("Lanczos, full re-orthogonalization",
        Linalg.explain(LinalgFunction.EIGH_PARTIAL, structured, new Algorithm.Lanczos()).name());
    Eigendecomposition l = Linalg.eigh(structured, 3, Which.LARGEST, new Algorithm.Lanczos());
    assertEquals(3, l.residualNorms().length);
    for (int j = 0; j < 3; j++) {
      assertEquals(e.values()[j], l.values()[j], 1e-9 * exact[exact.length - 1]);
    }
  }

  @Test
  void explicitLanczosOnALazyKernelMatrixMatchesEjml() {
    int n = 1200;
    SplittableRandom rnd = new SplittableRandom(11);
    Matrix x = Matrix.zeros(DType.F64, n, 3);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 3; t++) {
        x.set(i, t, rnd.nextDouble());
      }
    }
    KernelOperator k = KernelOperator.symmetric(KernelFunction.isotropic(RadialKernel.Kind.MATERN_52, 0.2, 1.0), x,
        Compute.reference());
    double[] exact = Reference.symmetricEigenvalues(k.toDense());
    Eigendecomposition e = Linalg.eigh(k, 6, Which.LARGEST, new Algorithm.Lanczos());
    double norm = exact[n - 1];
    for (int j = 0; j < 6; j++) {
      assertEquals(exact[n - 6 + j], e.values()[j], 1e-9 * norm, "eigenvalue " + j);
    }
    double[] check = residualAndOrthogonality(k, e);
    assertTrue(check[0] <= 1e-8 * norm, "residual " + check[0]);
    assertTrue(check[1] < 1e-10, "orthogonality " + check[1]);
  }

  @Test
  void tooFewStepsThrowsTheCodedNonConvergenceWithTheRitzPairs() {
    LinearOperator a = opaqueKroneckerSum();
    Algorithm capped = new Algorithm.Lanczos(LanczosEigensolverOptions.defaults().withMaxIterations(8));
    EigenpairsNotConvergedException e = assertThrows(EigenpairsNotConvergedException.class,
        () -> Linalg.eigh(a, 5, Which.LARGEST, capped));
    assertEquals(ErrorCode.NOT_CONVERGED, e.code());
    assertFalse(e.eigenpairs().converged());
    assertEquals(8, e.eigenpairs().iterations());
    assertTrue(e.eigenpairs().maxRelativeResidual() > 1e-8);
    assertEquals(e.eigenpairs().maxRelativeResidual(), e.residual(), 1e-15);
    assertEquals(5, e.partialSolution().cols());
    // the same cap inside Auto's options
    Algorithm auto = new Algorithm.Auto(1000, structura.algorithms.iterative.ConjugateGradientOptions.defaults(),
        structura.algorithms.iterative.GmresOptions.defaults(), LanczosEigensolverOptions.defaults().withMaxIterations(8));
    assertThrows(EigenpairsNotConvergedException.class, () -> Linalg.eigh(a, 5, Which.SMALLEST, auto));
  }

  @Test
  void badInputsAreCoded() {
    int n = 1200;
    SplittableRandom rnd = new SplittableRandom(5);
    Matrix g = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        g.set(i, j, rnd.nextDouble() + (i == j ? 3 : 0));
      }
    }
    StructuraException asym = assertThrows(StructuraException.class,
        () -> Linalg.eigh(Operators.opaque(Operators.denseOnReference(g)), 2, Which.LARGEST));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, asym.code());
    // two distinct eigenvalues: the Krylov space of any start vector is invariant at dimension 2
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = i % 2 == 0 ? 1 : 2;
    }
    LinearOperator twoValues = Operators.opaque(Operators.diagonal(DType.F64, d));
    StructuraException breakdown = assertThrows(StructuraException.class,
        () -> Linalg.eigh(twoValues, 3, Which.LARGEST));
    assertEquals(ErrorCode.ITERATION_BREAKDOWN, breakdown.code());
    assertTrue(breakdown.getMessage().contains("dimension 2"), breakdown.getMessage());
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(StructuraException.class,
        () -> Linalg.eigh(twoValues, 0, Which.LARGEST)).code());
  }
}
