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
import structura.api.backend.BackendSelection;
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

  @Test
  void automaticSelectionPrefersVectorToTheReference() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    BackendSelection selection = BackendRegistry.discover().select(BackendConfig.builder().backend("auto").build());
    assertTrue(selection.automatic());
    assertEquals("vector", selection.chosen().id(), selection.explanation());
  }

  private static List<Thread> workers(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).toList();
  }
}
