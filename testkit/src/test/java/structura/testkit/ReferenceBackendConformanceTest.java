package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import structura.api.backend.BackendProvider;
import structura.api.backend.BackendRegistry;

/** The reference backend {@code java} passes every conformance suite against the independent oracle. */
class ReferenceBackendConformanceTest {

  static BackendProvider java() {
    return BackendRegistry.discover().find("java").orElseThrow().provider().orElseThrow();
  }

  @Test
  void runsInANamedModule() {
    assertTrue(getClass().getModule().isNamed(), "tests must run on the module path");
    assertTrue(java().getClass().getModule().isNamed());
  }

  @Nested
  class Gemm extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Gemv extends GemvConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class BatchedGemm extends BatchedGemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Gram extends GramConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Level1 extends Level1ConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Attention extends AttentionConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Elementwise extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class PairwiseKernel extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Resident extends ResidentConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }

  @Nested
  class Contract extends ProviderContractSuite {
    @Override
    protected BackendProvider provider() {
      return java();
    }
  }
}
