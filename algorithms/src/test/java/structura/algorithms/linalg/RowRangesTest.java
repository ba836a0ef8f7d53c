package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RowRanges}: every row exactly once, ranges contiguous and large enough, failures surface. */
class RowRangesTest {
  @ParameterizedTest
  @CsvSource({"1, 1000, 1", "2, 1000, 64", "3, 1000, 64", "4, 7, 1", "2, 127, 64", "3, 130, 64", "2, 0, 1", "8, 5, 2"})
  void coversEveryRowOnceInContiguousRanges(int threads, int n, int minRows) {
    AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
    AtomicInteger ranges = new AtomicInteger();
    Set<Long> bounds = ConcurrentHashMap.newKeySet();
    RowRanges.forEach(threads, n, minRows, (from, to) -> {
      ranges.incrementAndGet();
      bounds.add(((long) from << 32) | to);
      for (int i = from; i < to; i++) {
        seen.incrementAndGet(i);
      }
    });
    for (int i = 0; i < n; i++) {
      assertEquals(1, seen.get(i), "row " + i);
    }
    int expected = Math.max(1, Math.min(threads, n / minRows));
    assertEquals(expected, ranges.get());
    for (long b : bounds) {
      int from = (int) (b >>> 32);
      int to = (int) b;
      assertTrue(expected == 1 || to - from >= minRows, "range " + from + ".." + to);
    }
  }

  @Test
  void aFailingRangeThrowsOnTheCaller() {
    IllegalStateException boom = new IllegalStateException("boom");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> RowRanges.forEach(2, 1000, 10, (from, to) -> {
      if (from > 0) {
        throw boom;
      }
    }));
    assertTrue(thrown == boom || thrown.getCause() == boom || "boom".equals(thrown.getMessage()), thrown.toString());
    assertThrows(IllegalArgumentException.class, () -> RowRanges.forEach(0, 10, 1, (from, to) -> {}));
    Error error = new AssertionError("first range");
    assertSame(error, assertThrows(AssertionError.class, () -> RowRanges.forEach(2, 100, 1, (from, to) -> {
      if (from == 0) {
        throw error;
      }
    })));
  }
}
