package structura.algorithms.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;

class InProcessPartitionsTest {
  private static Matrix rows(int r, int d, double value) {
    Matrix m = Matrix.zeros(DType.F64, r, d);
    m.fill(value);
    return m;
  }

  @Test
  void everyPartitionOnceOnePassPerRound() {
    PartitionSource source = PartitionSource.split(Matrix.wrap(new double[] {1, 2, 3, 4, 5, 6, 7}, 7, 1), 3);
    try (InProcessPartitions data = new InProcessPartitions(source, 2)) {
      Double sum = data.mapReduce((p, m) -> {
        double s = 0;
        for (int i = 0; i < m.rows(); i++) {
          s += m.get(i, 0);
        }
        return s;
      }, Double::sum);
      Integer count = data.mapReduce((p, m) -> m.rows(), Integer::sum);
      assertEquals(28.0, sum);
      assertEquals(7, count);
      assertEquals(2, data.passes());
    }
  }

  @Test
  void emptyPartitionIsACodedErrorNamingIt() {
    PartitionSource source = PartitionSource.of(List.of(rows(2, 3, 1), Matrix.zeros(DType.F64, 0, 3)));
    try (InProcessPartitions data = new InProcessPartitions(source, 2)) {
      PartitionedJobException e = assertThrows(PartitionedJobException.class, () -> data.mapReduce((p, m) -> 1, Integer::sum));
      assertEquals(ErrorCode.PARTITION_INVALID, e.code());
      assertTrue(e.getMessage().contains("Partition 1 of 2"), e.getMessage());
    }
  }

  @Test
  void moreParitionsThanRowsIsACodedError() {
    PartitionedJobException e = assertThrows(PartitionedJobException.class,
        () -> PartitionSource.split(rows(3, 2, 0), 4));
    assertEquals(ErrorCode.PARTITION_INVALID, e.code());
  }

  @Test
  void failingTaskEndsTheRoundWithItsCause() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (InProcessPartitions data = new InProcessPartitions(PartitionSource.of(List.of(rows(2, 2, 0), rows(2, 2, 0))), 2)) {
      PartitionedJobException e = assertThrows(PartitionedJobException.class, () -> data.mapReduce((p, m) -> {
        if (p == 1) {
          throw boom;
        }
        return 1;
      }, Integer::sum));
      assertEquals(ErrorCode.PARTITIONED_JOB_FAILED, e.code());
      assertSame(boom, e.getCause());
    }
  }

  @Test
  void raggedPartitionsAreRejected() {
    PartitionedJobException e = assertThrows(PartitionedJobException.class,
        () -> PartitionSource.of(List.of(rows(2, 3, 0), rows(2, 4, 0))));
    assertEquals(ErrorCode.PARTITION_INVALID, e.code());
  }

  @Test
  void spikedModelRegeneratesAnyPartitionIdentically() {
    SpikedCovarianceModel model = new SpikedCovarianceModel(10, new double[] {5}, 1.0, 101, 4, 0, 8);
    assertEquals(26, model.partition(0).rows());
    assertEquals(25, model.partition(3).rows());
    Matrix a = model.partition(2);
    model.partition(1);
    assertEquals(java.util.Arrays.toString(a.f64()), java.util.Arrays.toString(model.partition(2).f64()));
    assertTrue(!java.util.Arrays.equals(a.f64(), model.partition(1).f64()));
  }
}
