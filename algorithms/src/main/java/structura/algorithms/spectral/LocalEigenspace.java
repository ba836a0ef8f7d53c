package structura.algorithms.spectral;

import java.io.Serializable;
import structura.api.Matrix;

/**
 * What one partition sends to the driver in the one-round methods: an orthonormal basis of its
 * local top-k eigenspace and the local statistics for explained variance. d·k + k + 3 numbers.
 *
 * @param partition partition index
 * @param rows rows r of the partition
 * @param dimension d
 * @param rank k
 * @param basis the d×k basis V_i, row-major (V_i[a][j] at a·k + j), orthonormal columns
 * @param eigenvalues the k leading eigenvalues of the partition's covariance (1/r)·XᵢᵀXᵢ (after
 *     the chosen centering), decreasing
 * @param totalVariance trace of that covariance: (1/r)·‖Xᵢ‖_F²
 */
public record LocalEigenspace(int partition, long rows, int dimension, int rank, double[] basis, double[] eigenvalues,
    double totalVariance) implements Serializable {
  /** V_i as a d×k matrix over a copy of {@link #basis()}. */
  public Matrix basisMatrix() {
    return Matrix.wrap(basis.clone(), dimension, rank);
  }

  /** The same statistics with another basis (what a corrupted node returns). */
  public LocalEigenspace withBasis(Matrix v) {
    if (v.rows() != dimension || v.cols() != rank) {
      throw new IllegalArgumentException("basis must be " + dimension + "x" + rank + ", not " + v.rows() + "x" + v.cols());
    }
    return new LocalEigenspace(partition, rows, dimension, rank, v.toDType(structura.api.DType.F64).f64(), eigenvalues,
        totalVariance);
  }
}
