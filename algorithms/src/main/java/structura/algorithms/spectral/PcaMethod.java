package structura.algorithms.spectral;

/** How {@link DistributedPca} combines the partitions. */
public enum PcaMethod {
  /**
   * One round: local top-k bases, each rotated onto a reference basis by orthogonal Procrustes,
   * averaged, orthonormalised (Charisopoulos, Benson and Damle 2021). Ships d·k per partition.
   */
  PROCRUSTES,
  /** One round: local bases averaged without alignment, orthonormalised. A baseline that fails when bases differ by rotations or signs. */
  NAIVE,
  /** One round: the exact covariance reduced to the driver (d² per partition), then its top-k eigenvectors. The reference answer. */
  CENTRALIZED,
  /**
   * One round: Procrustes alignment to a robustly chosen reference, then a spectral filter that
   * drops outlying partition answers before averaging (after Charisopoulos and Damle 2022).
   */
  ROBUST
}
