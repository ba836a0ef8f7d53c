package structura.backend.cuda;

import org.junit.jupiter.api.Nested;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.testkit.AttentionConformanceSuite;
import structura.testkit.BatchedGemmConformanceSuite;
import structura.testkit.ElementwiseConformanceSuite;
import structura.testkit.GemmConformanceSuite;
import structura.testkit.GemvConformanceSuite;
import structura.testkit.GramConformanceSuite;
import structura.testkit.Level1ConformanceSuite;
import structura.testkit.PairwiseKernelConformanceSuite;
import structura.testkit.ProviderContractSuite;
import structura.testkit.ResidentConformanceSuite;

/**
 * The {@code cuda} backend passes every routine conformance suite, in strict mode, in F32 and F64
 * (the suites cover both), on GPU 0. Where there is no NVIDIA driver, device or cuBLAS, the suites
 * skip with the probe's reason (or fail when {@code -Dstructura.test.requiredBackends=cuda}).
 */
class CudaBackendConformanceTest {

  /** One provider for every suite: the probe (which loads the libraries) runs once. */
  private static final BackendProvider CUDA = new CudaBackendProvider();

  static BackendProvider cuda() {
    return CUDA;
  }

  static BackendConfig strictConfig() {
    return BackendConfig.builder().strict(true).build();
  }

  @Nested
  class Gemm extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Gemv extends GemvConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class BatchedGemm extends BatchedGemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Gram extends GramConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Level1 extends Level1ConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Attention extends AttentionConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Elementwise extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class PairwiseKernel extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Resident extends ResidentConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }

    @Override
    protected BackendConfig config() {
      return strictConfig();
    }
  }

  @Nested
  class Contract extends ProviderContractSuite {
    @Override
    protected BackendProvider provider() {
      return cuda();
    }
  }
}
