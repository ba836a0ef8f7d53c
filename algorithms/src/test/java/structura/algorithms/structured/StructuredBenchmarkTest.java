package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

class StructuredBenchmarkTest {
  @Test
  void everyCaseAgreesWithTheDenseRoute() {
    List<StructuredBenchmarkRow> rows =
        new StructuredBenchmark(new StructuredBenchmarkOptions(256, 256, 128, 5), Compute.reference()).run();
    assertEquals(7, rows.size());
    for (StructuredBenchmarkRow r : rows) {
      assertTrue(r.relativeError() < 1e-10, r.toString());
      assertTrue(r.structuredSeconds() > 0 && r.denseSeconds() > 0, r.toString());
    }
    // eigh is timed densely at 128 and scaled: (256/128)^3 = 8
    StructuredBenchmarkRow eigh = rows.get(2);
    assertEquals("eigh", eigh.function());
    assertEquals(128, eigh.denseMeasuredN());
    // the Woodbury case runs at 4n = 1024 and its dense route at 256
    assertEquals(1024, rows.get(6).n());
    assertEquals(256, rows.get(6).denseMeasuredN());
  }

  /**
   * Above Auto's dense limit (1000) the dense side must still be a factorization: CG to its
   * default tolerance (1e-6) would make the agreement column measure CG, about 1e-7, not the
   * structured route. Run on the vector backend, the one the CLI selects here.
   */
  @Test
  void aboveTheDenseLimitTheDenseSideIsStillCholesky() {
    try (Compute vector = Compute.open(BackendConfig.builder().backend("vector").strict(true).build())) {
      // n = 34² = 1156: the Kronecker factors are 34 × 34; eigh densely at 64 and scaled
      List<StructuredBenchmarkRow> rows = new StructuredBenchmark(new StructuredBenchmarkOptions(1156, 1156, 64, 5), vector).run();
      for (StructuredBenchmarkRow r : rows) {
        assertTrue(r.relativeError() < 1e-10, r.toString());
      }
      assertEquals(1156, rows.get(0).denseMeasuredN());
      assertEquals("solve", rows.get(0).function());
    }
  }
}
