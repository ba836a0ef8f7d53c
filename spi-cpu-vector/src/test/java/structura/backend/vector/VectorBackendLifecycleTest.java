package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendRegistry;
import structura.api.backend.ProviderReport;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.testkit.BackendSuite;

/** Pool lifecycle (daemon workers, close stops them) and automatic selection. */
class VectorBackendLifecycleTest {

  @Test
  void workersAreDaemonsAndCloseStopsThemIdempotently() throws InterruptedException {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    VectorBackend backend = (VectorBackend) VectorBackendConformanceTest.vector()
        .open(BackendConfig.builder().strict(true).threads(2).build());
    assertTrue(backend.describe().contains("2 threads"), backend.describe());
    Compute compute = Compute.of(backend, true);
    Matrix a = Matrix.zeros(DType.F32, 96, 96);
    Matrix c = Matrix.zeros(DType.F32, 96, 96);
    compute.gemm(Transpose.N, Transpose.N, 1, a, a, 0, c);  // large enough to use the pool
    List<Thread> workers = workers(backend.threadNamePrefix());
    assertEquals(2, workers.size(), "the pool has threads() workers");
    workers.forEach(t -> assertTrue(t.isDaemon(), t.getName() + " must be a daemon"));

    backend.close();
    backend.close();  // idempotent
    for (Thread t : workers) {
      t.join(5_000);
      assertFalse(t.isAlive(), t.getName() + " still alive after close()");
    }
    StructuraException e = assertThrows(StructuraException.class,
        () -> compute.gemm(Transpose.N, Transpose.N, 1, a, a, 0, c));
    assertEquals(ErrorCode.BACKEND_FAILED, e.code());
  }

  /**
   * Automatic selection takes the first available report in the registry's priority order
   * ({@link BackendRegistry#select}); checked on that order rather than by calling select,
   * whose INFO line would be console output from a test.
   */
  @Test
  void automaticSelectionPrefersVectorToTheReference() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    List<ProviderReport> reports = BackendRegistry.discover().reports();
    ProviderReport first = reports.stream().filter(ProviderReport::available).findFirst().orElseThrow();
    assertEquals("vector", first.id(), "auto would pick " + first.id() + " from " + reports);
    ProviderReport java = reports.stream().filter(r -> r.id().equals("java")).findFirst().orElseThrow();
    assertTrue(first.priority() > java.priority());
  }

  private static List<Thread> workers(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
  }
}
