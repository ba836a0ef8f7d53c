package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Result of {@link Arnoldi}: A·Q_m = Q_{m+1}·H̄ with Q orthonormal.
 *
 * @param basis Q_m, n×m, orthonormal columns
 * @param hessenberg H_m = Q_mᵀ·A·Q_m, the m×m upper Hessenberg matrix
 * @param residualNorm h_{m+1,m}, the norm of the part of A·q_m outside the space (0 when invariant)
 * @param reason {@link StopReason#INVARIANT_SUBSPACE} or {@link StopReason#MAX_ITERATIONS}
 * @param matrixVectorProducts products used
 */
public record ArnoldiResult(Matrix basis, Matrix hessenberg, double residualNorm, StopReason reason,
    long matrixVectorProducts) {
  /** Checks non-null. */
  public ArnoldiResult {
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(hessenberg, "hessenberg");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Ritz values: the eigenvalues of H_m (EJML's general eigensolver), as {re, im} pairs in
   * EJML's order.
   */
  public double[][] ritzValues() {
    int m = hessenberg.cols();
    org.ejml.data.DMatrixRMaj h = new org.ejml.data.DMatrixRMaj(m, m);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        h.set(i, j, hessenberg.get(i, j));
      }
    }
    var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(m, false, false);
    if (!eig.decompose(h)) {
      throw new structura.algorithms.linalg.NumericalFailureException(
          "Arnoldi: EJML's eigensolver failed on the Hessenberg matrix.", "Check the operator for non-finite values.");
    }
    double[][] out = new double[m][];
    for (int i = 0; i < m; i++) {
      out[i] = new double[] {eig.getEigenvalue(i).real, eig.getEigenvalue(i).imaginary};
    }
    return out;
  }
}
