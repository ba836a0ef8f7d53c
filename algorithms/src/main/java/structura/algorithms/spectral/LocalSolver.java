package structura.algorithms.spectral;

/** How a partition computes its local top-k eigenspace. */
public enum LocalSolver {
  /**
   * {@link structura.algorithms.linalg.RandomizedSvd} of the r×d partition: right singular
   * vectors; (2q + 2)·2rd(k + p) flops, O((r + d)(k + p)) memory. Default.
   */
  RANDOMIZED_SVD,
  /**
   * The d×d local covariance (r·d² flops) and its dense symmetric eigendecomposition
   * ({@link structura.algorithms.linalg.SymmetricEigen}, about 9d³ flops): exact to rounding,
   * for small d.
   */
  COVARIANCE_EIGEN
}
