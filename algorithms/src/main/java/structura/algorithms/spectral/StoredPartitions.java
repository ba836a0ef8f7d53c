package structura.algorithms.spectral;

import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;

/** Partitions held in memory as compact row-major F64 arrays (serializable). Package-private. */
final class StoredPartitions implements PartitionSource {
  private static final long serialVersionUID = 1L;

  private final double[][] blocks;
  private final int[] rows;
  private final int cols;

  private StoredPartitions(double[][] blocks, int[] rows, int cols) {
    this.blocks = blocks;
    this.rows = rows;
    this.cols = cols;
  }

  static StoredPartitions of(List<Matrix> parts) {
    Objects.requireNonNull(parts, "blocks");
    if (parts.isEmpty()) {
      throw new PartitionedJobException(ErrorCode.PARTITION_INVALID, "No partitions were given.",
          "Pass at least one row partition.", null);
    }
    int d = parts.get(0).cols();
    double[][] data = new double[parts.size()][];
    int[] r = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      Matrix b = parts.get(i);
      if (b.cols() != d) {
        throw new PartitionedJobException(ErrorCode.PARTITION_INVALID,
            "Partition " + i + " has " + b.cols() + " columns, partition 0 has " + d + ".",
            "Give every partition rows of the same width.", null);
      }
      data[i] = compactF64(b);
      r[i] = b.rows();
    }
    return new StoredPartitions(data, r, d);
  }

  static StoredPartitions split(Matrix all, int partitions) {
    Objects.requireNonNull(all, "rows");
    int m = all.rows();
    if (partitions < 1 || partitions > m) {
      throw new PartitionedJobException(ErrorCode.PARTITION_INVALID,
          "Cannot split " + m + " rows into " + partitions + " partitions.",
          "Ask for between 1 and " + m + " partitions (at most one per row).", null);
    }
    Matrix[] views = new Matrix[partitions];
    int start = 0;
    for (int p = 0; p < partitions; p++) {
      int size = m / partitions + (p < m % partitions ? 1 : 0);
      views[p] = all.view(start, 0, size, all.cols());
      start += size;
    }
    return of(List.of(views));
  }

  private static double[] compactF64(Matrix b) {
    if (b.dtype() == DType.F64 && b.offset() == 0 && b.isCompact() && b.f64().length == b.rows() * b.cols()) {
      return b.f64();
    }
    return b.toDType(DType.F64).f64();
  }

  @Override
  public int partitionCount() {
    return blocks.length;
  }

  @Override
  public int columns() {
    return cols;
  }

  @Override
  public Matrix partition(int index) {
    return Matrix.wrap(blocks[index], rows[index], cols);
  }

  @Override
  public boolean freshCopies() {
    return false;
  }
}
