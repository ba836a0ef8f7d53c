package structura.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import structura.algorithms.spectral.PartitionCombiner;
import structura.algorithms.spectral.PartitionFunction;
import structura.algorithms.spectral.PartitionSource;
import structura.algorithms.spectral.PartitionedJobException;
import structura.algorithms.spectral.PartitionedRows;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;

/**
 * {@link PartitionedRows} on a Spark RDD of rows ({@code double[]}, all of length d): a round is
 * one Spark job, {@code mapPartitionsWithIndex} (each partition's rows packed into one r×d
 * {@link Matrix}, the function applied once) then {@code treeReduce} (Spark's treeAggregate) of the
 * small results.
 *
 * <p>A task that throws is retried as the master allows ({@code local[N,F]}: F attempts;
 * clusters: {@code spark.task.maxFailures}); the functions are deterministic, so a retried task
 * gives the same result. A job that still fails ends in {@link PartitionedJobException}
 * {@code STRUCTURA-D002} with Spark's exception as the cause; an empty partition is
 * {@code STRUCTURA-D001}. Cache the RDD if it is expensive to recompute: each round is a pass.
 */
public final class SparkPartitionedRows implements PartitionedRows {
  private final JavaRDD<double[]> rows;
  private final int columns;
  private final AtomicLong passes = new AtomicLong();

  /**
   * @param rows the rows; each element one row of length {@code columns}
   * @param columns d
   */
  public SparkPartitionedRows(JavaRDD<double[]> rows, int columns) {
    this.rows = Objects.requireNonNull(rows, "rows");
    this.columns = columns;
  }

  /**
   * The rows of {@code source} on the workers, partition i of the RDD holding exactly
   * {@code source.partition(i)}. A generator ({@link PartitionSource#freshCopies()}) runs on the
   * workers, so its data never passes through the driver; stored blocks are shipped one per task
   * ({@code parallelize}), so a task deserializes its own block, not the whole source.
   */
  public static SparkPartitionedRows of(JavaSparkContext context, PartitionSource source) {
    int partitions = source.partitionCount();
    if (!source.freshCopies()) {
      List<double[]> blocks = new ArrayList<>(partitions);
      for (int p = 0; p < partitions; p++) {
        blocks.add(compact(source.partition(p)));
      }
      int d = source.columns();
      // parallelize cuts a list of P elements into P slices of one element each, in order.
      JavaRDD<double[]> rdd = context.parallelize(blocks, partitions)
          .mapPartitions(it -> {
            double[] block = it.hasNext() ? it.next() : new double[0];
            return rowsOf(Matrix.wrap(block, block.length / d, d));
          }, true);
      return new SparkPartitionedRows(rdd, d);
    }
    List<Integer> indices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      indices.add(p);
    }
    JavaRDD<double[]> rdd = context.parallelize(indices, partitions)
        .mapPartitionsWithIndex((index, ignored) -> rowsOf(source.partition(index)), true);
    return new SparkPartitionedRows(rdd, source.columns());
  }

  private static double[] compact(Matrix block) {
    double[] out = new double[block.rows() * block.cols()];
    for (int i = 0; i < block.rows(); i++) {
      for (int j = 0; j < block.cols(); j++) {
        out[i * block.cols() + j] = block.get(i, j);
      }
    }
    return out;
  }

  /** The underlying RDD (for caching, or to hand the same data to MLlib). */
  public JavaRDD<double[]> rdd() {
    return rows;
  }

  @Override
  public int partitionCount() {
    return rows.getNumPartitions();
  }

  @Override
  public int columns() {
    return columns;
  }

  @Override
  public <R extends Serializable> R mapReduce(PartitionFunction<R> map, PartitionCombiner<R> combine) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(combine, "combine");
    passes.incrementAndGet();
    int d = columns;
    int partitions = partitionCount();
    JavaRDD<R> results = rows.mapPartitionsWithIndex((index, it) -> {
      Matrix block = pack(it, d, index);
      if (block == null) {
        throw PartitionedJobException.emptyPartition(index, partitions);
      }
      return List.of(map.apply(index, block)).iterator();
    }, false);
    try {
      return results.treeReduce(combine::combine);
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      throw translate(e);
    }
  }

  @Override
  public long passes() {
    return passes.get();
  }

  /** A coded exception for a failed job: the task's own coded error when it had one, else D002. */
  static StructuraException translate(Exception e) {
    if (e instanceof StructuraException coded) {
      return coded;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StructuraException coded && coded.code() != ErrorCode.PARTITIONED_JOB_FAILED) {
        return new PartitionedJobException(coded.code(), coded.detail(), coded.remedy(), e);
      }
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return new PartitionedJobException(ErrorCode.PARTITIONED_JOB_FAILED, "The Spark job failed: " + first,
        "Read the cause; fix the data or worker it names, or allow more task attempts (local[N,F], "
            + "spark.task.maxFailures) for transient failures.", e);
  }

  /** The rows of one partition as an r×d F64 matrix; null when there are none. */
  private static Matrix pack(Iterator<double[]> it, int d, int index) {
    List<double[]> list = new ArrayList<>();
    while (it.hasNext()) {
      double[] row = it.next();
      if (row.length != d) {
        throw new PartitionedJobException(ErrorCode.PARTITION_INVALID,
            "Partition " + index + " holds a row of length " + row.length + ", not " + d + ".",
            "Give every row the same number of columns.", null);
      }
      list.add(row);
    }
    if (list.isEmpty()) {
      return null;
    }
    double[] data = new double[list.size() * d];
    for (int i = 0; i < list.size(); i++) {
      System.arraycopy(list.get(i), 0, data, i * d, d);
    }
    return Matrix.wrap(data, list.size(), d);
  }

  private static Iterator<double[]> rowsOf(Matrix block) {
    int r = block.rows();
    int d = block.cols();
    List<double[]> out = new ArrayList<>(r);
    for (int i = 0; i < r; i++) {
      double[] row = new double[d];
      for (int j = 0; j < d; j++) {
        row[j] = block.get(i, j);
      }
      out.add(row);
    }
    return out.iterator();
  }
}
