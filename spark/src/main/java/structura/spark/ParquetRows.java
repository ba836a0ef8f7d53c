package structura.spark;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A Parquet file (or a directory of part files) as partitioned rows, read by Spark SQL on the
 * workers: every column must be numeric (byte, short, int, long, float, double or decimal; each
 * value becomes a double), one row of the file is one row of the matrix, in the file's column order.
 *
 * <p>The schema is checked on the driver before any job: a column of another type (string,
 * boolean, date, nested, …) is {@code STRUCTURA-F002} naming the file and the column. A null value
 * is found only while the rows are read: that task fails with {@code STRUCTURA-F002} naming the
 * file and the column, and so does the round (the error is the same on every attempt); so does NaN
 * or an infinity.
 */
final class ParquetRows {
  private ParquetRows() {}

  /** Whether {@code file} names Parquet data: a file or a directory of part files ending in {@code .parquet}. */
  static boolean isParquet(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
  }

  /**
   * @param partitions P (the rows are spread round-robin over P partitions: a shuffle within each
   *     round's job), or 0 to keep Spark's split of the file
   */
  static SparkPartitionedRows read(JavaSparkContext context, Path file, int partitions) {
    String name = file.toString();
    // Spark SQL's session over the engine's context: one SparkContext per JVM.
    SparkSession session = new org.apache.spark.sql.classic.SparkSession.Builder().sparkContext(context.sc()).getOrCreate();
    Dataset<Row> frame;
    try {
      frame = session.read().parquet(name);
    } catch (Exception e) { // AnalysisException (path missing, not Parquet) is checked but thrown undeclared
      throw new StructuraException(ErrorCode.DATA_FORMAT, "Cannot read " + name + " as Parquet: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
          "Pass an existing Parquet file or directory of part files, or a CSV or .npy file.", e);
    }
    StructField[] fields = frame.schema().fields();
    if (fields.length == 0) {
      throw new StructuraException(ErrorCode.DATA_FORMAT, name + " has no columns.", "Pass a Parquet file with numeric columns.");
    }
    for (StructField f : fields) {
      if (!(f.dataType() instanceof NumericType)) {
        throw new StructuraException(ErrorCode.DATA_FORMAT,
            name + ": column '" + f.name() + "' is " + f.dataType().simpleString() + ", not numeric.",
            "Select the numeric columns (for example with Spark: df.select(...).write.parquet(...)), "
                + "or cast them to double; every column becomes a dimension of the rows.");
      }
    }
    int d = fields.length;
    String[] columnNames = frame.columns();
    JavaRDD<double[]> rows = frame.javaRDD().map(row -> {
      double[] out = new double[d];
      for (int j = 0; j < d; j++) {
        if (row.isNullAt(j)) {
          throw new StructuraException(ErrorCode.DATA_FORMAT,
              name + ": column '" + columnNames[j] + "' holds a null value.",
              "Drop or fill the rows with nulls before the PCA (df.na().drop() or df.na().fill(...)).");
        }
        out[j] = ((Number) row.get(j)).doubleValue();
        if (!Double.isFinite(out[j])) {
          throw new StructuraException(ErrorCode.DATA_FORMAT,
              name + ": column '" + columnNames[j] + "' holds " + out[j] + ".",
              "Drop or fill the rows with non-finite values before the PCA.");
        }
      }
      return out;
    });
    if (partitions > 0) {
      // The RDD's repartition, not the Dataset's: adaptive query execution would run the Dataset's
      // shuffle (reading the whole file) right here, outside any round. This one is lazy, part of
      // each round's job, and deterministic (round-robin from a start seeded by the partition index).
      rows = rows.repartition(partitions);
    }
    return new SparkPartitionedRows(rows, d);
  }
}
