package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Cross-check against reference LAPACK dgeqp3 (the F2J translation in dev.ludovic.netlib, pure
 * Java, so no native library is needed) on matrices large enough for several dlaqps panels,
 * which the small SciPy fixtures do not reach.
 */
class LapackCrossCheckTest {
  static Matrix graded(int m, int n, long seed, double decay) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    Matrix a = Matrix.zeros(DType.F64, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a.f64()[i * n + j] = rng.nextGaussian() * Math.pow(decay, j);
      }
    }
    return a;
  }

  @ParameterizedTest
  @CsvSource({"400,160,32,0.98", "400,160,7,0.98", "150,260,16,0.99", "300,120,32,1.0"})
  void pivotsAndDiagonalMatchDgeqp3(int m, int n, int nb, double decay) {
    Matrix a = graded(m, n, 5, decay);
    double[] w = Householder.toColumnMajor(a);
    int[] jpvt = new int[n];
    double[] tau = new double[Math.min(m, n)];
    LAPACK lapack = JavaLAPACK.getInstance();
    double[] q = new double[1];
    org.netlib.util.intW info = new org.netlib.util.intW(0);
    lapack.dgeqp3(m, n, w, m, jpvt, tau, q, -1, info);
    double[] work = new double[(int) q[0]];
    lapack.dgeqp3(m, n, w, m, jpvt, tau, work, work.length, info);
    assertEquals(0, info.val);
    // Comparable prefix: steps where the best residual column norm beats the runner-up by 1e-6
    // relative (residual norms after step k are the norms of R(k:, j)).
    int kmin = Math.min(m, n);
    int prefix = 0;
    for (int k = 0; k < kmin; k++) {
      double best = 0;
      double second = 0;
      for (int j = k; j < n; j++) {
        double s = 0;
        for (int i = k; i < Math.min(m, j + 1); i++) {
          s += w[j * m + i] * w[j * m + i];
        }
        s = Math.sqrt(s);
        if (s > best) {
          second = best;
          best = s;
        } else if (s > second) {
          second = s;
        }
      }
      if (best - second <= 1e-6 * best) {
        break;
      }
      prefix++;
    }
    assertTrue(prefix >= Math.min(20, kmin), "LAPACK run has too few separated pivots: " + prefix);
    PivotedQrFactorization f = new PivotedQr(Compute.reference(), new PivotedQrOptions(0, 0, nb)).factor(a);
    int[] ours = f.pivots();
    int[] want = new int[prefix];
    for (int i = 0; i < prefix; i++) {
      want[i] = jpvt[i] - 1;  // LAPACK pivots are 1-based
    }
    assertArrayEquals(want, Arrays.copyOf(ours, prefix), "pivots vs reference LAPACK dgeqp3");
    double[] d = f.rDiagonalAbs();
    for (int i = 0; i < prefix; i++) {
      double ref = Math.abs(w[i * m + i]);
      assertEquals(ref, d[i], 1e-10 * Math.abs(w[0]), "|R(" + i + "," + i + ")|");
    }
  }
}
