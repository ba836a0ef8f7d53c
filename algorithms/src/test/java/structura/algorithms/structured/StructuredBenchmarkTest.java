package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredBenchmarkTest {
  @Test
  void everyCaseAgreesWithTheDenseRoute() {
    List<StructuredBenchmarkRow> rows = new StructuredBenchmark(new StructuredBenchmarkOptions(256, 256, 128, 5)).run();
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
}
