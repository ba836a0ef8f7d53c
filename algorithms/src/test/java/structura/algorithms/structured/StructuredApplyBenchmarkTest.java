package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.backend.Compute;

/** The library benchmark's rows at a small size: the products agree and the FLOP ratios are the documented ones. */
class StructuredApplyBenchmarkTest {
  @Test
  void rowsAgreeWithTheDenseProductAndCarryTheFlopRatios() {
    List<StructuredApplyBenchmark.Row> rows = StructuredApplyBenchmark.run(Compute.reference(),
        new StructuredApplyBenchmark.Options(256, 8, 1, DType.F64, 3));
    assertEquals(4, rows.size());
    double[] ratios = {2, 8, 2, 8}; // Monarch 4 blocks, Monarch 16 blocks (√d/2), BTT 16 blocks rank 4 (√d/8), BTT 4 blocks
    for (int i = 0; i < rows.size(); i++) {
      StructuredApplyBenchmark.Row r = rows.get(i);
      assertEquals("apply", r.function());
      assertEquals(256, r.n());
      assertTrue(r.relativeError() < 1e-13, r + " relative error");
      assertEquals(ratios[i], r.flopRatio(), 1e-12, r.operator());
      assertTrue(r.structuredSeconds() > 0 && r.denseSeconds() > 0);
      assertEquals(r.denseSeconds() / r.structuredSeconds(), r.speedup(), 1e-12);
    }
  }

  @Test
  void sizeMustBeASquareDivisibleByFour() {
    assertThrows(InvalidArgumentException.class, () -> new StructuredApplyBenchmark.Options(1000, 8, 1, DType.F32, 0));
  }
}
