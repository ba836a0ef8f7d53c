package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one bisection: it ends on the last feasible step of a stepwise cost, searching up or down. */
class WidthSearchTest {
  @Test
  void findsTheLargestFeasibleKeepFraction() {
    // cost of keeping ⌈x·37 − 1e-9⌉ of 37 units; a target of 20 units allows x up to (20 + 1e-9)/37
    double x = WidthSearch.boundary(0, 1, f -> Math.ceil(f * 37 - 1e-9), 20);
    assertEquals(20, Math.ceil(x * 37 - 1e-9));
    assertTrue(Math.ceil((x + 1e-12) * 37 - 1e-9) > 20, "within 1e-12 of the boundary: " + x);
    assertEquals((20 + 1e-9) / 37, x, 1e-15);
  }

  @Test
  void findsTheSmallestFeasibleSparsity() {
    // cost decreasing in the sparsity s: kept units ⌊(1 − s)·50⌋; a target of 30 needs (1 − s)·50 < 31, s > 0.38
    double s = WidthSearch.boundary(0.9, 0, v -> Math.floor((1 - v) * 50), 30);
    assertTrue(Math.floor((1 - s) * 50) <= 30);
    assertTrue(Math.floor((1 - (s - 1e-12)) * 50) > 30, "within 1e-12 of the boundary: " + s);
    assertEquals(0.38, s, 1e-12);
    assertTrue(s > 0.38, "the feasible side: " + s);
  }

  @Test
  void aFeasibleOtherEndIsApproachedNotSkipped() {
    assertEquals(1, WidthSearch.boundary(0, 1, f -> f, 2), 1e-15);
  }
}
