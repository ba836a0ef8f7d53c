package structura.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import structura.algorithms.spectral.Centering;
import structura.algorithms.spectral.DistributedPca;
import structura.algorithms.spectral.DistributedPcaOptions;
import structura.algorithms.spectral.DistributedPcaResult;
import structura.algorithms.spectral.InProcessPartitions;
import structura.algorithms.spectral.NodeFault;
import structura.algorithms.spectral.PartitionedJobException;
import structura.algorithms.spectral.PcaMethod;
import structura.algorithms.spectral.SpikedCovarianceModel;
import structura.algorithms.spectral.SubspaceDistance;
import structura.api.ErrorCode;

/** The Spark engine against the in-process one, and its failure handling, on local[2,3]. */
class SparkPartitionedRowsTest {
  private static final int K = 3;
  private static final SpikedCovarianceModel MODEL =
      new SpikedCovarianceModel(30, new double[] {20, 15, 10}, 1.0, 8 * 800, 8, 5.0, 21);

  private static DistributedPcaResult onSpark(DistributedPcaOptions options) {
    SparkPartitionedRows rows = SparkPartitionedRows.of(SharedSpark.context(), MODEL);
    return new DistributedPca(options).estimate(rows);
  }

  private static DistributedPcaResult inProcess(DistributedPcaOptions options) {
    try (InProcessPartitions rows = new InProcessPartitions(MODEL, 2)) {
      return new DistributedPca(options).estimate(rows);
    }
  }

  @ParameterizedTest
  @EnumSource(PcaMethod.class)
  void sameAnswerAsInProcessForTheSamePartitioning(PcaMethod method) {
    DistributedPcaOptions options = DistributedPcaOptions.ofRank(K).withMethod(method).withCentering(Centering.GLOBAL);
    DistributedPcaResult spark = onSpark(options);
    DistributedPcaResult local = inProcess(options);
    // Equal up to the order of floating-point sums (Spark merges in a tree).
    assertArrayEquals(local.components().f64(), spark.components().f64(), 1e-10, method.name());
    assertArrayEquals(local.eigenvalues(), spark.eigenvalues(), 1e-10 * local.eigenvalues()[0]);
    assertEquals(local.passes(), spark.passes());
    assertEquals(local.rows(), spark.rows());
    if (method != PcaMethod.NAIVE) {
      assertTrue(SubspaceDistance.sinTheta(spark.components(), MODEL.truth()) < 0.05);
    }
  }

  /** Stored blocks (a matrix read on the driver) are shipped one per task and keep their partitioning. */
  @Test
  void storedBlocksGiveTheSameAnswerAsInProcess() {
    structura.api.Matrix all = structura.api.Matrix.zeros(structura.api.DType.F64, (int) MODEL.rows(), MODEL.dimension());
    int row = 0;
    for (int p = 0; p < MODEL.partitionCount(); p++) {
      structura.api.Matrix block = MODEL.partition(p);
      all.view(row, 0, block.rows(), block.cols()).copyFrom(block);
      row += block.rows();
    }
    structura.algorithms.spectral.PartitionSource stored = structura.algorithms.spectral.PartitionSource.split(all, 5);
    DistributedPcaOptions options = DistributedPcaOptions.ofRank(K).withCentering(Centering.GLOBAL);
    SparkPartitionedRows spark = SparkPartitionedRows.of(SharedSpark.context(), stored);
    assertEquals(5, spark.partitionCount());
    DistributedPcaResult onSpark = new DistributedPca(options).estimate(spark);
    DistributedPcaResult local;
    try (InProcessPartitions rows = new InProcessPartitions(stored, 2)) {
      local = new DistributedPca(options).estimate(rows);
    }
    assertArrayEquals(local.components().f64(), onSpark.components().f64(), 1e-10);
    assertEquals(MODEL.rows(), onSpark.rows());
  }

  @Test
  void oneRoundIsOneSparkPass() {
    SparkPartitionedRows rows = SparkPartitionedRows.of(SharedSpark.context(), MODEL);
    new DistributedPca(DistributedPcaOptions.ofRank(K)).estimate(rows);
    assertEquals(1, rows.passes());
  }

  @Test
  void taskFailingOnItsFirstAttemptIsRetriedAndTheAnswerIsUnchanged() {
    NodeFault flaky = honest -> {
      if (honest.partition() == 3 && TaskContext.get().attemptNumber() == 0) {
        throw new IllegalStateException("simulated executor failure on the first attempt");
      }
      return honest;
    };
    DistributedPcaResult clean = onSpark(DistributedPcaOptions.ofRank(K));
    DistributedPcaResult retried = onSpark(DistributedPcaOptions.ofRank(K).withFault(flaky));
    assertArrayEquals(clean.components().f64(), retried.components().f64());
  }

  @Test
  void taskThatAlwaysFailsEndsWithACodedError() {
    NodeFault broken = honest -> {
      if (honest.partition() == 5) {
        throw new IllegalStateException("simulated permanent failure");
      }
      return honest;
    };
    PartitionedJobException e = assertThrows(PartitionedJobException.class,
        () -> onSpark(DistributedPcaOptions.ofRank(K).withFault(broken)));
    assertEquals(ErrorCode.PARTITIONED_JOB_FAILED, e.code());
    assertTrue(e.getMessage().contains("STRUCTURA-D002"), e.getMessage());
  }

  @Test
  void emptyPartitionIsACodedError() {
    JavaSparkContext sc = SharedSpark.context();
    List<double[]> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(new double[] {i, 1, 2});
    }
    SparkPartitionedRows rows = new SparkPartitionedRows(sc.parallelize(three, 4), 3);
    PartitionedJobException e = assertThrows(PartitionedJobException.class,
        () -> new DistributedPca(DistributedPcaOptions.ofRank(1)).estimate(rows));
    assertEquals(ErrorCode.PARTITION_INVALID, e.code());
  }

  @Test
  void localMastersStayOnLoopback() {
    assertEquals("127.0.0.1", SharedSpark.context().getConf().get("spark.driver.host"));
    assertEquals("127.0.0.1", SharedSpark.context().getConf().get("spark.driver.bindAddress"));
    assertEquals("false", SharedSpark.context().getConf().get("spark.ui.enabled"));
    // The block manager (the only data server besides the RPC endpoint) advertises loopback too.
    assertEquals("127.0.0.1", org.apache.spark.SparkEnv.get().blockManager().blockManagerId().host());
  }
}
