package structura.algorithms.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import structura.api.Matrix;

/**
 * Dense (thin) SVD, optionally truncated to the leading k triplets, through EJML.
 *
 * <p><b>Method.</b> EJML's {@code SvdImplicitQrDecompose_DDRM} (Householder bidiagonalization and
 * implicit-shift QR on the bidiagonal, Golub–Kahan), then the triplets sorted by decreasing
 * singular value and truncated. A compact F64 input with offset 0 is wrapped without a copy
 * ({@code DMatrixRMaj.wrap}) when EJML reports that it does not modify its input.
 *
 * <p><b>Source.</b> G. Golub and W. Kahan, "Calculating the singular values and pseudo-inverse of a
 * matrix", SIAM J. Numer. Anal. 2(2), 1965; Golub and Van Loan, 4th ed., Alg. 8.6.2; EJML 0.46
 * (P. Abeles), {@code DecompositionFactory_DDRM.svd}.
 *
 * <p><b>Cost.</b> O(mn·min(m, n)) flops, all of the full thin SVD even when truncated: meant for
 * small and medium matrices (a few thousand). For large matrices use {@link RandomizedSvd}.
 *
 * <p><b>Deviations.</b> F32 inputs are promoted to double (ejml-fdense cannot be used alongside
 * ejml-ddense on the module path; see module-info). Runs on the CPU in EJML, not on the backend.
 */
public final class TruncatedSvd {
  private final int rank;

  /**
   * @param rank number of leading triplets to keep; 0 keeps all min(m, n)
   */
  public TruncatedSvd(int rank) {
    if (rank < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "TruncatedSvd: rank = " + rank + " is negative.", "Pass 0 (all) or a positive rank.");
    }
    this.rank = rank;
  }

  /**
   * Decomposes {@code a}; results are in a's dtype.
   *
   * @throws NumericalFailureException if EJML's iteration does not converge
   */
  public SvdResult decompose(Matrix a) {
    Checks.input("TruncatedSvd.decompose", "a", a);
    int m = a.rows();
    int n = a.cols();
    int minmn = Math.min(m, n);
    Checks.rank("TruncatedSvd.decompose", "rank", rank, minmn, true);
    int k = rank == 0 ? minmn : rank;
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
    DMatrixRMaj in = Ejml.wrapOrCopy(a, svd.inputModified());
    if (!svd.decompose(in)) {
      throw new NumericalFailureException("TruncatedSvd: EJML's SVD did not converge on argument 'a' (" + m + "x" + n + ").",
          "Check the input scaling; try RandomizedSvd for large low-rank matrices.");
    }
    double[] w = svd.getSingularValues();
    DMatrixRMaj u = svd.getU(null, false);
    DMatrixRMaj vt = svd.getV(null, true);
    Integer[] order = Ejml.descending(w, svd.numberOfSingularValues());
    Matrix uo = Matrix.zeros(a.dtype(), m, k);
    Matrix vto = Matrix.zeros(a.dtype(), k, n);
    double[] s = new double[k];
    for (int c = 0; c < k; c++) {
      int src = order[c];
      s[c] = w[src];
      for (int i = 0; i < m; i++) {
        uo.set(i, c, u.get(i, src));
      }
      for (int j = 0; j < n; j++) {
        vto.set(c, j, vt.get(src, j));
      }
    }
    return new SvdResult(uo, s, vto);
  }

  /** Singular values of {@code a} (all min(m, n), non-increasing), without vectors. */
  public static double[] singularValues(Matrix a) {
    Checks.input("TruncatedSvd.singularValues", "a", a);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.rows(), a.cols(), false, false, true);
    DMatrixRMaj in = Ejml.wrapOrCopy(a, svd.inputModified());
    if (!svd.decompose(in)) {
      throw new NumericalFailureException("TruncatedSvd: EJML's SVD did not converge on argument 'a'.", "");
    }
    double[] w = svd.getSingularValues();
    int k = svd.numberOfSingularValues();
    Integer[] order = Ejml.descending(w, k);
    double[] s = new double[k];
    for (int i = 0; i < k; i++) {
      s[i] = w[order[i]];
    }
    return s;
  }
}
