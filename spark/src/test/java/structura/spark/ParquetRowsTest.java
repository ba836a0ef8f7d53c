package structura.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.algorithms.spectral.Centering;
import structura.algorithms.spectral.DistributedPca;
import structura.algorithms.spectral.DistributedPcaOptions;
import structura.algorithms.spectral.DistributedPcaResult;
import structura.algorithms.spectral.InProcessPartitions;
import structura.algorithms.spectral.PartitionSource;
import structura.algorithms.spectral.PartitionedRows;
import structura.algorithms.spectral.PcaMethod;
import structura.algorithms.spectral.SpikedCovarianceModel;
import structura.algorithms.spectral.SubspaceDistance;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;

/** Parquet input on the Spark engine, against the same rows as an in-memory matrix; files written here by Spark. */
class ParquetRowsTest {
  @TempDir
  Path dir;

  static SparkSession session() {
    return new org.apache.spark.sql.classic.SparkSession.Builder().sparkContext(SharedSpark.context().sc()).getOrCreate();
  }

  /** Writes {@code rows} as Parquet with the given column types and returns the path. */
  static Path write(Path file, List<Row> rows, String[] names, DataType[] types) {
    StructField[] fields = new StructField[names.length];
    for (int j = 0; j < names.length; j++) {
      fields[j] = DataTypes.createStructField(names[j], types[j], true);
    }
    Dataset<Row> frame = session().createDataFrame(rows, new StructType(fields));
    frame.coalesce(2).write().parquet(file.toString());
    return file;
  }

  /** 2000 × 12 spiked rows: column 0 stored as a long (values rounded to integers), the rest as doubles. */
  private Matrix spikedWithIntegerFirstColumn() {
    SpikedCovarianceModel model = new SpikedCovarianceModel(12, new double[] {30, 20}, 1.0, 2000, 1, 0, 7);
    Matrix x = model.partition(0);
    for (int i = 0; i < x.rows(); i++) {
      x.set(i, 0, Math.rint(10 * x.get(i, 0)));
    }
    return x;
  }

  private static List<Row> rowsOf(Matrix x) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.rows(); i++) {
      Object[] values = new Object[x.cols()];
      values[0] = (long) x.get(i, 0);
      for (int j = 1; j < x.cols(); j++) {
        values[j] = x.get(i, j);
      }
      rows.add(RowFactory.create(values));
    }
    return rows;
  }

  private static DataType[] longThenDoubles(int d) {
    DataType[] types = new DataType[d];
    types[0] = DataTypes.LongType;
    for (int j = 1; j < d; j++) {
      types[j] = DataTypes.DoubleType;
    }
    return types;
  }

  private static String[] names(int d) {
    String[] names = new String[d];
    for (int j = 0; j < d; j++) {
      names[j] = "x" + j;
    }
    return names;
  }

  @Test
  void numericParquetGivesTheComponentsOfTheSameMatrix() {
    Matrix x = spikedWithIntegerFirstColumn();
    Path file = write(dir.resolve("spiked.parquet"), rowsOf(x), names(12), longThenDoubles(12));
    DistributedPcaOptions options = DistributedPcaOptions.ofRank(2).withMethod(PcaMethod.CENTRALIZED)
        .withCentering(Centering.GLOBAL);
    PartitionedRows parquet = SparkEngineProvider.over(SharedSpark.context()).read(file, 4).orElseThrow();
    assertEquals(4, parquet.partitionCount());
    assertEquals(12, parquet.columns());
    DistributedPcaResult onSpark = new DistributedPca(options).estimate(parquet);
    DistributedPcaResult reference;
    try (InProcessPartitions rows = new InProcessPartitions(PartitionSource.split(x, 1), 1)) {
      reference = new DistributedPca(options).estimate(rows);
    }
    // The centralized answer does not depend on how rows are partitioned or ordered.
    assertEquals(2000, onSpark.rows());
    assertArrayEquals(reference.eigenvalues(), onSpark.eigenvalues(), 1e-9 * reference.eigenvalues()[0]);
    assertTrue(SubspaceDistance.sinTheta(reference.components(), onSpark.components()) < 1e-8);
    assertEquals(1, parquet.passes());
  }

  @Test
  void otherFilesAreLeftToTheCaller() {
    assertTrue(SparkEngineProvider.over(SharedSpark.context()).read(dir.resolve("data.npy"), 2).isEmpty());
  }

  @Test
  void nonNumericColumnIsACodedErrorNamingFileAndColumn() {
    List<Row> rows = List.of(RowFactory.create(1.0, "ham", 2.0), RowFactory.create(3.0, "spam", 4.0));
    Path file = write(dir.resolve("labels.parquet"), rows, new String[] {"a", "label", "b"},
        new DataType[] {DataTypes.DoubleType, DataTypes.StringType, DataTypes.DoubleType});
    StructuraException e = assertThrows(StructuraException.class,
        () -> SparkEngineProvider.over(SharedSpark.context()).read(file, 0));
    assertEquals(ErrorCode.DATA_FORMAT, e.code());
    assertTrue(e.getMessage().contains("labels.parquet") && e.getMessage().contains("'label'")
        && e.getMessage().contains("string"), e.getMessage());
  }

  @Test
  void nullValueFailsTheRoundWithACodedErrorNamingTheColumn() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create((double) i, i == 13 ? null : (double) (i * i)));
    }
    Path file = write(dir.resolve("holes.parquet"), rows, new String[] {"a", "b"},
        new DataType[] {DataTypes.DoubleType, DataTypes.DoubleType});
    PartitionedRows parquet = SparkEngineProvider.over(SharedSpark.context()).read(file, 2).orElseThrow();
    StructuraException e = assertThrows(StructuraException.class,
        () -> new DistributedPca(DistributedPcaOptions.ofRank(1)).estimate(parquet));
    assertEquals(ErrorCode.DATA_FORMAT, e.code());
    assertTrue(e.getMessage().contains("holes.parquet") && e.getMessage().contains("'b'"), e.getMessage());
  }

  @Test
  void morePartitionsThanRowsIsACodedError() {
    List<Row> rows = List.of(RowFactory.create(1.0, 2.0), RowFactory.create(3.0, 5.0), RowFactory.create(4.0, 1.0));
    Path file = write(dir.resolve("three.parquet"), rows, new String[] {"a", "b"},
        new DataType[] {DataTypes.DoubleType, DataTypes.DoubleType});
    PartitionedRows parquet = SparkEngineProvider.over(SharedSpark.context()).read(file, 5).orElseThrow();
    StructuraException e = assertThrows(StructuraException.class,
        () -> new DistributedPca(DistributedPcaOptions.ofRank(1)).estimate(parquet));
    assertEquals(ErrorCode.PARTITION_INVALID, e.code());
  }
}
