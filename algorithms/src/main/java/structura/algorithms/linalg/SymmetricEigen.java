package structura.algorithms.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import structura.api.Matrix;

/**
 * Symmetric eigendecomposition A = V·diag(λ)·Vᵀ through EJML, eigenvalues in decreasing order.
 *
 * <p><b>Method.</b> EJML's {@code SymmetricQRAlgorithmDecomposition_DDRM}: Householder
 * tridiagonalization and the implicit symmetric QR algorithm (Golub and Van Loan, 4th ed.,
 * Alg. 8.3.3). Only symmetric input is meaningful; the lower triangle is used as EJML does.
 *
 * <p><b>Source.</b> EJML 0.46, {@code DecompositionFactory_DDRM.eig(n, true, true)}.
 *
 * <p><b>Cost.</b> about 9n³ flops with vectors, 4n³/3 without. Memory: O(n²) double.
 *
 * <p><b>Deviations.</b> F32 input promoted to double; runs in EJML on the CPU.
 */
public final class SymmetricEigen {
  private final double[] values;
  private final Matrix vectors;

  private SymmetricEigen(double[] values, Matrix vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes the symmetric matrix {@code a}.
   *
   * @throws NumericalFailureException if EJML's iteration fails
   */
  public static SymmetricEigen decompose(Matrix a) {
    Checks.input("SymmetricEigen.decompose", "a", a);
    Checks.square("SymmetricEigen.decompose", "a", a);
    int n = a.rows();
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    DMatrixRMaj in = Ejml.wrapOrCopy(a, eig.inputModified());
    if (!eig.decompose(in)) {
      throw new NumericalFailureException("SymmetricEigen: EJML's symmetric QR algorithm failed on argument 'a'.",
          "Check that the input is symmetric and finite.");
    }
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = eig.getEigenvalue(i).real;
    }
    Integer[] order = Ejml.descending(w, n);
    double[] values = new double[n];
    Matrix v = Matrix.zeros(a.dtype(), n, n);
    for (int c = 0; c < n; c++) {
      values[c] = w[order[c]];
      DMatrixRMaj vec = eig.getEigenVector(order[c]);
      for (int i = 0; i < n; i++) {
        v.set(i, c, vec.get(i, 0));
      }
    }
    return new SymmetricEigen(values, v);
  }

  /** Eigenvalues, decreasing. */
  public double[] values() {
    return values.clone();
  }

  /** Eigenvectors as columns, in the order of {@link #values()}. A copy. */
  public Matrix vectors() {
    return vectors.copy();
  }
}
