package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendRegistry;
import structura.api.backend.Compute;
import structura.api.backend.RoutineFamily;
import structura.api.DType;
import structura.testkit.AttentionConformanceSuite;
import structura.testkit.BatchedGemmConformanceSuite;
import structura.testkit.ElementwiseConformanceSuite;
import structura.testkit.GemmConformanceSuite;
import structura.testkit.GemvConformanceSuite;
import structura.testkit.GramConformanceSuite;
import structura.testkit.Level1ConformanceSuite;
import structura.testkit.PairwiseKernelConformanceSuite;
import structura.testkit.ProviderContractSuite;

/**
 * The {@code vector} backend passes every conformance suite in strict mode (a routine it lacked
 * would fail instead of running the reference), found through the ServiceLoader like users find it.
 */
class VectorBackendConformanceTest {

  static BackendProvider vector() {
    return BackendRegistry.discover().find("vector").orElseThrow().provider().orElseThrow();
  }

  @Test
  void isDiscoveredOnTheModulePathAndAvailable() {
    assertTrue(getClass().getModule().isNamed(), "tests must run on the module path");
    BackendProvider p = vector();
    assertTrue(p.getClass().getModule().isNamed());
    Availability a = p.probe();
    assertTrue(a.isAvailable(), "vector backend must be available here (module requires jdk.incubator.vector): " + a.summary());
    assertTrue(a.summary().contains("-bit vectors"), a.summary());
    assertEquals(BackendPriority.CPU_SIMD, p.priority());
  }

  /**
   * Every family in every precision the SPI defines for it: ELEMENTWISE is F32 only by design
   * ({@link structura.api.backend.Backend#supports}), so there the vector backend must report
   * exactly what the reference backend reports: F32 yes, F64 no.
   */
  @Test
  void implementsEveryRoutineFamilyInEveryPrecisionTheSpiDefines() {
    Backend reference = Compute.reference().backend();
    try (Compute c = Compute.of(vector().open(BackendConfig.builder().strict(true).threads(1).build()), true)) {
      for (RoutineFamily f : RoutineFamily.values()) {
        for (DType d : DType.values()) {
          boolean expected = f != RoutineFamily.ELEMENTWISE || d == DType.F32;
          assertEquals(expected, reference.supports(f, d), "reference " + f + " " + d);
          assertEquals(expected, c.backend().supports(f, d), f + " " + d);
        }
      }
    }
  }

  @Nested
  class Gemm extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Gemv extends GemvConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class BatchedGemm extends BatchedGemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Gram extends GramConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Level1 extends Level1ConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Attention extends AttentionConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Elementwise extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class PairwiseKernel extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }

  @Nested
  class Contract extends ProviderContractSuite {
    @Override
    protected BackendProvider provider() {
      return vector();
    }
  }
}
