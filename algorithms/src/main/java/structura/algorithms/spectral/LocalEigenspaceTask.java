package structura.algorithms.spectral;

import structura.algorithms.linalg.RandomizedSvd;
import structura.algorithms.linalg.RandomizedSvdOptions;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.backend.Transpose;

/**
 * The partition side of the one-round methods: center as asked, compute the local top-k
 * eigenspace, and send it (through the fault hook). Holds only serializable values, so engines
 * can ship it to workers.
 *
 * @param rank k
 * @param centering the centering; for {@link Centering#GLOBAL} {@code globalMean} is subtracted
 * @param globalMean the mean to subtract under GLOBAL centering, else null
 * @param solver local eigensolver
 * @param oversampling randomized SVD oversampling
 * @param powerIterations randomized SVD power iterations
 * @param seed run seed; partition p uses a stream derived from (seed, p)
 * @param fault test hook
 */
record LocalEigenspaceTask(int rank, Centering centering, double[] globalMean, LocalSolver solver,
    int oversampling, int powerIterations, long seed, NodeFault fault) implements PartitionFunction<LocalEigenspaces> {
  private static final long serialVersionUID = 1L;

  @Override
  public LocalEigenspaces apply(int partition, Matrix rows) {
    int r = rows.rows();
    int d = rows.cols();
    if (r < rank) {
      throw new PartitionedJobException(ErrorCode.PARTITION_INVALID,
          "Partition " + partition + " has " + r + " rows, fewer than the rank " + rank + " its local eigenspace needs.",
          "Use fewer partitions so that each holds at least rank rows.", null);
    }
    Matrix x = switch (centering) {
      case NONE -> rows.dtype() == DType.F64 ? rows : rows.toDType(DType.F64);
      case LOCAL -> ColumnMeans.subtract(rows, ColumnMeans.of(rows));
      case GLOBAL -> ColumnMeans.subtract(rows, globalMean);
    };
    double frob = 0;
    double[] a = x.f64();
    for (int i = 0; i < r; i++) {
      int base = x.index(i, 0);
      for (int j = 0; j < d; j++) {
        frob += a[base + j] * a[base + j];
      }
    }
    Matrix basis;
    double[] values = new double[rank];
    if (solver == LocalSolver.RANDOMIZED_SVD) {
      long localSeed = Seeds.forPartition(seed, partition);
      SvdResult svd = new RandomizedSvd(Engines.compute(),
          new RandomizedSvdOptions(rank, oversampling, powerIterations, localSeed)).decompose(x);
      basis = svd.vt().transposeCopy();
      double[] s = svd.singularValues();
      for (int j = 0; j < rank; j++) {
        values[j] = s[j] * s[j] / r;
      }
    } else {
      Matrix cov = Matrix.zeros(DType.F64, d, d);
      Engines.compute().gram(Transpose.N, 1.0 / r, x.transposeCopy(), 0.0, cov);
      SymmetricEigen eig = SymmetricEigen.decompose(cov);
      basis = eig.vectors().view(0, 0, d, rank).copy();
      System.arraycopy(eig.values(), 0, values, 0, rank);
    }
    LocalEigenspace honest = new LocalEigenspace(partition, r, d, rank, basis.f64(), values, frob / r);
    return LocalEigenspaces.of(fault.answer(honest));
  }
}
