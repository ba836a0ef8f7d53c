package structura.backend.opencl;

import org.junit.jupiter.api.Nested;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.api.backend.ConfigKeys;
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
 * The {@code opencl} backend passes every routine conformance suite, in strict mode, on the
 * first OpenCL CPU device ({@code structura.opencl.device=cpu}), which is POCL in CI. Where no
 * OpenCL runtime is installed the suites skip with the probe's reason (or fail when
 * {@code -Dstructura.test.requiredBackends=opencl}).
 */
class OpenClBackendConformanceTest {

  static BackendProvider opencl() {
    return new OpenClBackendProvider();
  }

  /** Strict, on the CPU device: the device CI has. */
  static BackendConfig cpuConfig() {
    return BackendConfig.builder().strict(true).property(ConfigKeys.OPENCL_DEVICE, "cpu").build();
  }

  @Nested
  class Gemm extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Gemv extends GemvConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class BatchedGemm extends BatchedGemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Gram extends GramConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Level1 extends Level1ConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Attention extends AttentionConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Elementwise extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class PairwiseKernel extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }

    @Override
    protected BackendConfig config() {
      return cpuConfig();
    }
  }

  @Nested
  class Contract extends ProviderContractSuite {
    @Override
    protected BackendProvider provider() {
      return opencl();
    }
  }
}
