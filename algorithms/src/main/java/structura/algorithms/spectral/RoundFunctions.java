package structura.algorithms.spectral;

import structura.api.Matrix;

/**
 * The map and merge functions that {@link DistributedPca} ships to engines, as enums and records
 * rather than lambdas: they serialize by name and value, with no {@code $deserializeLambda$}
 * reflection into this module, which a JPMS caller with Spark on the class path would need opened.
 */
final class RoundFunctions {
  private RoundFunctions() {}

  /** Row count and column sums of a partition (the mean round of global centering). */
  enum Sums implements PartitionFunction<ColumnMeans.Sums>, PartitionCombiner<ColumnMeans.Sums> {
    INSTANCE;

    @Override
    public ColumnMeans.Sums apply(int partition, Matrix rows) {
      return ColumnMeans.Sums.of(rows);
    }

    @Override
    public ColumnMeans.Sums combine(ColumnMeans.Sums a, ColumnMeans.Sums b) {
      return ColumnMeans.Sums.merge(a, b);
    }
  }

  /** Count, mean and scatter of a partition (the centralized method). */
  record Scatter(boolean centered) implements PartitionFunction<ScatterSummary> {
    @Override
    public ScatterSummary apply(int partition, Matrix rows) {
      return ScatterSummary.of(rows, centered);
    }
  }

  /** Merges scatter summaries. */
  enum MergeScatter implements PartitionCombiner<ScatterSummary> {
    INSTANCE;

    @Override
    public ScatterSummary combine(ScatterSummary a, ScatterSummary b) {
      return ScatterSummary.merge(a, b);
    }
  }

  /** Merges gathered local eigenspaces, sorted by partition. */
  enum MergeEigenspaces implements PartitionCombiner<LocalEigenspaces> {
    INSTANCE;

    @Override
    public LocalEigenspaces combine(LocalEigenspaces a, LocalEigenspaces b) {
      return LocalEigenspaces.merge(a, b);
    }
  }

  /** The honest node: {@link NodeFault#NONE}. */
  enum Honest implements NodeFault {
    INSTANCE;

    @Override
    public LocalEigenspace answer(LocalEigenspace honest) {
      return honest;
    }
  }
}
