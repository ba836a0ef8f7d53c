package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The F32 path of {@link HouseholderQr}, package-private: float storage and F32 trailing updates,
 * double panels.
 *
 * <p>Why: widening an F32 input to double and factoring it there (what the F64 path does) runs
 * the trailing update, nearly all of the 2mn² − 2n³/3 flops, as a DGEMM, which on a SIMD backend
 * has half the lanes of an SGEMM; LAPACK's sgeqrf runs it in single precision. Here the m×n work
 * array is float (column-major, padded leading dimension as {@link Householder#paddedLeadingDimension})
 * and each trailing update is the same three GEMMs as in {@link Householder#applyBlock} on F32
 * views. Each panel (len × nb) is widened into a compact double buffer, factored there by the
 * recursive {@link Householder#panelQr}, and rounded back, so reflector generation and the T
 * factor are formed in double; V and T are rounded to float for the update.
 *
 * <p>Accuracy: as sgeqrf's, backward error O(u_F32·n)·‖A‖: every update is an F32 GEMM and the
 * stored reflectors are float. Cost: the F64 path's flops, with the trailing updates in F32, plus
 * two copies of each panel (2·m·nb per panel) and one widening of the result (m·n) at the end.
 */
final class SinglePrecisionQr {
  private SinglePrecisionQr() {}

  /**
   * Factors the F32 {@code a} (m×n) and returns the packed factorization widened to a column-major
   * double array of leading dimension {@code lda} (as {@link HouseholderQr#factorInPlace} leaves
   * it), with the reflector scalars in {@code tau} (length min(m, n)).
   */
  static double[] factor(Compute compute, Matrix a, int lda, double[] tau, int nb) {
    int m = a.rows();
    int n = a.cols();
    float[] w = toColumnMajor(a, lda);
    int k = Math.min(m, n);
    for (int j = 0; j < k; j += nb) {
      int jb = Math.min(nb, k - j);
      int len = m - j;
      double[] panel = new double[Math.multiplyExact(len, jb)];
      for (int c = 0; c < jb; c++) {
        int src = (j + c) * lda + j;
        for (int i = 0; i < len; i++) {
          panel[c * len + i] = w[src + i];
        }
      }
      double[] panelTau = new double[jb];
      Matrix t = Householder.panelQr(compute, panel, len, len, 0, jb, panelTau);
      System.arraycopy(panelTau, 0, tau, j, jb);
      for (int c = 0; c < jb; c++) {
        int dst = (j + c) * lda + j;
        for (int i = 0; i < len; i++) {
          w[dst + i] = (float) panel[c * len + i];
        }
      }
      if (j + jb < n) {
        Matrix vt = Householder.explicitVt(panel, len, len, 0, jb).toDType(DType.F32);
        Householder.applyBlock(compute, vt, t.toDType(DType.F32), true,
            Householder.tview(w, lda, j, j + jb, len, n - j - jb));
      }
    }
    double[] out = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i];
    }
    return out;
  }

  /** Column-major float copy of the F32 {@code a}, leading dimension {@code lda} ≥ m, tiled as {@link Matrix#transposeCopy}. */
  private static float[] toColumnMajor(Matrix a, int lda) {
    int m = a.rows();
    int n = a.cols();
    float[] out = new float[Math.multiplyExact(lda, n)];
    float[] src = a.f32();
    int tile = 32;
    for (int i0 = 0; i0 < m; i0 += tile) {
      int i1 = Math.min(m, i0 + tile);
      for (int j0 = 0; j0 < n; j0 += tile) {
        int j1 = Math.min(n, j0 + tile);
        for (int j = j0; j < j1; j++) {
          int d = j * lda;
          for (int i = i0, s = a.index(i0, j); i < i1; i++, s += a.ld()) {
            out[d + i] = src[s];
          }
        }
      }
    }
    return out;
  }
}
