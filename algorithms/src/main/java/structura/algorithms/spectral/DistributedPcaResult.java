package structura.algorithms.spectral;

import structura.api.Matrix;

/**
 * The answer of {@link DistributedPca}.
 *
 * @param components d×k orthonormal columns spanning the estimated top-k eigenspace (F64)
 * @param eigenvalues estimates of the k leading eigenvalues of the covariance, decreasing: exact
 *     for {@link PcaMethod#CENTRALIZED}, the row-weighted mean of the partitions' local eigenvalues
 *     otherwise
 * @param totalVariance trace of the covariance (the sum of all d eigenvalues), exact for every method
 * @param rows rows N in all partitions
 * @param passes rounds over the data this call made (as counted by the engine)
 * @param method the method used
 * @param referencePartition the partition whose basis was the alignment reference; −1 when none
 * @param droppedPartitions partitions the robust filter left out (empty for other methods)
 */
public record DistributedPcaResult(Matrix components, double[] eigenvalues, double totalVariance, long rows,
    long passes, PcaMethod method, int referencePartition, int[] droppedPartitions) {
  /** λ_j / trace, j = 1..k. */
  public double[] explainedVarianceRatio() {
    double[] r = eigenvalues.clone();
    for (int j = 0; j < r.length; j++) {
      r[j] /= totalVariance;
    }
    return r;
  }
}
