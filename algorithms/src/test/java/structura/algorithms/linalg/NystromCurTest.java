package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

class NystromCurTest {
  static double traceOf(Matrix a) {
    double t = 0;
    for (int i = 0; i < a.rows(); i++) {
      t += a.get(i, i);
    }
    return t;
  }

  @ParameterizedTest
  @EnumSource(NystromOptions.Selection.class)
  void nystromTraceErrorIsNearTheEigenvalueTail(NystromOptions.Selection selection) {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix k = fx.matrix("K", DType.F64);
    double[] eig = fx.vector("eig");
    int r = 12;
    NystromResult res = new NystromApproximation(Compute.reference(), NystromOptions.of(r, selection)).approximate(k);
    Matrix f = res.factor();
    Matrix resid = Norms.minus(k, Norms.times(f, Norms.transpose(f)));
    double err = traceOf(resid);  // trace norm of the PSD residual
    double tail = 0;
    for (int i = r; i < eig.length; i++) {
      tail += Math.max(0, eig[i]);
    }
    // Nyström residuals are PSD: no eigenvalue of K - FF^T below -rounding, so its trace >= the optimal tail.
    assertTrue(err >= tail * (1 - 1e-8), selection + ": " + err + " below the optimal " + tail);
    double factor = selection == NystromOptions.Selection.UNIFORM ? 50 : 10;
    assertTrue(err <= factor * tail, selection + ": trace error " + err + " vs optimal rank-" + r + " tail " + tail);
    assertEquals(r, res.landmarks().length);
  }

  @Test
  void ridgeLeverageScoresMatchNumpy() {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix k = fx.matrix("K", DType.F64);
    NystromApproximation ny = new NystromApproximation(Compute.reference(), NystromOptions.of(10, NystromOptions.Selection.RIDGE_LEVERAGE));
    assertArrayEquals(fx.vector("ridgeScores"), ny.ridgeLeverageScores(k), 1e-10);
    assertArrayEquals(fx.ints("ridgeTop10"), ny.approximate(k).landmarks());
  }

  @Test
  void uniformSelectionIsSeeded() {
    Matrix k = Fixture.load("psd_kernel_f64").matrix("K", DType.F64);
    int[] a = new NystromApproximation(Compute.reference(), new NystromOptions(10, NystromOptions.Selection.UNIFORM, 1e-2, 5)).approximate(k).landmarks();
    int[] b = new NystromApproximation(Compute.reference(), new NystromOptions(10, NystromOptions.Selection.UNIFORM, 1e-2, 5)).approximate(k).landmarks();
    int[] c = new NystromApproximation(Compute.reference(), new NystromOptions(10, NystromOptions.Selection.UNIFORM, 1e-2, 6)).approximate(k).landmarks();
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c), "a different seed should give different landmarks");
  }

  @Test
  void curErrorIsCloseToColumnIdError() {
    for (String name : new String[] {"lowrank_noise_f64", "wide_f64", "graded_f64"}) {
      Fixture fx = Fixture.load(name);
      Matrix a = fx.matrix("A", DType.F64);
      int k = name.startsWith("graded") ? 8 : 8;
      CurResult cur = new CurDecomposition(Compute.reference(), CurOptions.ofRank(k)).decompose(a);
      Matrix approx = Norms.times(Norms.times(cur.c(), cur.u()), cur.r());
      double err = Norms.spectral(Norms.minus(a, approx));
      double[] sv = fx.vector("sv");
      // Voronin–Martinsson: CUR error within a factor of the ID error; measured against sigma_{k+1}.
      assertTrue(err <= 30 * sv[k], name + ": CUR error " + err + " vs sigma_{k+1} " + sv[k]);
      for (int p = 0; p < k; p++) {
        assertEquals(a.get(cur.rowIndices()[p], 0), cur.r().get(p, 0));
        assertEquals(a.get(0, cur.columnIndices()[p]), cur.c().get(0, p));
      }
    }
  }

  @Test
  void curBeyondNumericalRankIsANumericalFailure() {
    Matrix a = Fixture.load("rankdef_f64").matrix("A", DType.F64);
    assertThrows(NumericalFailureException.class, () -> new CurDecomposition(Compute.reference(), CurOptions.ofRank(20)).decompose(a));
  }
}
