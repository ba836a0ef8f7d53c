package structura.algorithms.spectral;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import structura.api.DType;
import structura.api.Matrix;

/**
 * The independent oracle: all partitions assembled into one array, covariance and its full
 * eigendecomposition computed directly in EJML (no code from the package under test).
 */
final class DenseReference {
  final Matrix topK;
  final double[] values;

  private DenseReference(Matrix topK, double[] values) {
    this.topK = topK;
    this.values = values;
  }

  /** Top-k eigenpairs of (1/N)·(X − 1μᵀ)ᵀ(X − 1μᵀ) (μ = 0 unless {@code centered}) of every row of {@code source}. */
  static DenseReference of(PartitionSource source, int k, boolean centered) {
    int d = source.columns();
    int n = 0;
    for (int p = 0; p < source.partitionCount(); p++) {
      n += source.partition(p).rows();
    }
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    int row = 0;
    for (int p = 0; p < source.partitionCount(); p++) {
      Matrix b = source.partition(p).toDType(DType.F64);
      for (int i = 0; i < b.rows(); i++, row++) {
        for (int j = 0; j < d; j++) {
          x.set(row, j, b.get(i, j));
        }
      }
    }
    if (centered) {
      DMatrixRMaj mean = new DMatrixRMaj(1, d);
      CommonOps_DDRM.sumCols(x, mean);
      CommonOps_DDRM.divide(mean, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          x.set(i, j, x.get(i, j) - mean.get(0, j));
        }
      }
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(x, x, cov);
    CommonOps_DDRM.divide(cov, n);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(cov)) {
      throw new AssertionError("EJML eig failed");
    }
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
    Matrix v = Matrix.zeros(DType.F64, d, k);
    double[] values = new double[k];
    for (int c = 0; c < k; c++) {
      values[c] = eig.getEigenvalue(order[c]).real;
      DMatrixRMaj vec = eig.getEigenVector(order[c]);
      for (int i = 0; i < d; i++) {
        v.set(i, c, vec.get(i, 0));
      }
    }
    return new DenseReference(v, values);
  }
}
