/**
 * Spectral methods on row-partitioned data that is never held as one array.
 *
 * <p>The data interface is {@link structura.algorithms.spectral.PartitionedRows}: one round maps
 * a {@link structura.algorithms.spectral.PartitionFunction} over the row partitions and reduces
 * the small results; one round is one pass, and engines count them. Engines:
 * {@link structura.algorithms.spectral.InProcessPartitions} (a thread pool, the embedded default)
 * and the optional {@code structura-spark} module (Spark RDDs, {@code mapPartitions} then
 * {@code treeAggregate}). Methods: {@link structura.algorithms.spectral.DistributedPca} (one-round
 * Procrustes, robust, naive and centralized PCA). Data:
 * {@link structura.algorithms.spectral.SpikedCovarianceModel} generates a known-subspace data set
 * partition by partition.
 */
package structura.algorithms.spectral;
