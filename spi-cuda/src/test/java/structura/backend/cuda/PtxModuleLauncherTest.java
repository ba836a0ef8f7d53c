package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PtxModuleLauncherTest {
  @Test
  void argumentsBecomePointersToSlotsOfTheirCType() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment params = PtxModuleLauncher.marshal(arena, 7, 0x1234_5678_9ABCL, 1.5f, -2.25);
      assertEquals(7, slot(params, 0, JAVA_INT.byteSize()).get(JAVA_INT, 0));
      assertEquals(0x1234_5678_9ABCL, slot(params, 1, 8).get(JAVA_LONG, 0));
      assertEquals(1.5f, slot(params, 2, 4).get(JAVA_FLOAT, 0));
      assertEquals(-2.25, slot(params, 3, 8).get(JAVA_DOUBLE, 0));
    }
  }

  @Test
  void unsupportedArgumentTypesAreRefusedByPosition() {
    try (Arena arena = Arena.ofConfined()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PtxModuleLauncher.marshal(arena, 1, "two"));
      assertTrue(e.getMessage().contains("argument 1"), e.getMessage());
    }
  }

  private static MemorySegment slot(MemorySegment params, int i, long bytes) {
    return params.getAtIndex(ADDRESS, i).reinterpret(bytes);
  }
}
