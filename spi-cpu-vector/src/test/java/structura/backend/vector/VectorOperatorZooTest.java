package structura.backend.vector;

import org.junit.jupiter.api.AfterAll;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.testkit.OperatorConformanceSuite;

/**
 * The operator zoo with every dense factor, Monarch, block tensor-train and Einsum operator
 * running its (batched) GEMMs on the {@code vector} backend, strict, two threads (so batches are
 * split across threads).
 */
class VectorOperatorZooTest extends OperatorConformanceSuite {
  private final Compute compute = Compute.of(
      VectorBackendConformanceTest.vector().open(BackendConfig.builder().strict(true).threads(2).build()), true);

  @Override
  protected Compute compute() {
    return compute;
  }

  @AfterAll
  void close() {
    compute.close();
  }
}
