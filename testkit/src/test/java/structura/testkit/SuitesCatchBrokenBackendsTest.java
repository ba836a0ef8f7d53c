package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import structura.api.backend.AttentionRoutine;
import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendProvider;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.ComposedAttention;
import structura.api.backend.Compute;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RadialKernel;

/**
 * The conformance suites can fail: each deliberately broken backend below must make its suite
 * report failures. Guards against suites that pass whatever the backend does.
 */
class SuitesCatchBrokenBackendsTest {

  @ParameterizedTest
  @ValueSource(classes = {IgnoresBeta.class, WritesPastTheView.class, DropsLastTerm.class, LowerTriangleOnly.class, DotIgnoresStride.class,
      SoftmaxIgnoresMask.class, BiasGeluAddsBiasAfterGelu.class, AddLayerNormIgnoresBias.class,
      KernelSkipsCoincidentPoints.class, KernelDropsLastSource.class, AttentionIgnoresKeyMask.class})
  void brokenBackendFailsItsSuite(Class<?> suite) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    assertTrue(summary.getTestsStartedCount() > 0, suite.getSimpleName() + " ran no test");
    assertTrue(summary.getTotalFailureCount() > 0, suite.getSimpleName() + " did not catch the broken backend");
  }

  /** A provider whose backend has the given routines, reference routines elsewhere. */
  static BackendProvider provider(GemmRoutine gemm, GramRoutine gram, Level1Routine level1) {
    return provider(gemm, gram, level1, null);
  }

  /** As above, with the given elementwise routines (or the reference ones for null). */
  static BackendProvider provider(GemmRoutine gemm, GramRoutine gram, Level1Routine level1, ElementwiseRoutine elementwise) {
    return provider(gemm, gram, level1, elementwise, null);
  }

  /** As above, with the given kernel-product routine (or the reference one for null). */
  static BackendProvider provider(GemmRoutine gemm, GramRoutine gram, Level1Routine level1, ElementwiseRoutine elementwise,
      PairwiseKernelRoutine pairwise) {
    return provider(gemm, gram, level1, elementwise, pairwise, null);
  }

  /** As above, with the given fused attention (or none, the composed path, for null). */
  static BackendProvider provider(GemmRoutine gemm, GramRoutine gram, Level1Routine level1, ElementwiseRoutine elementwise,
      PairwiseKernelRoutine pairwise, AttentionRoutine attention) {
    Backend ref = Compute.reference().backend();
    return new BackendProvider() {
      @Override
      public String id() {
        return "broken";
      }

      @Override
      public String displayName() {
        return "deliberately broken";
      }

      @Override
      public int priority() {
        return 0;
      }

      @Override
      public Availability probe() {
        return Availability.available("broken on purpose");
      }

      @Override
      public Backend open(BackendConfig config) {
        return new Backend() {
          @Override
          public String id() {
            return "broken";
          }

          @Override
          public String describe() {
            return "broken";
          }

          @Override
          public Optional<GemmRoutine> gemm() {
            return Optional.of(gemm != null ? gemm : ref.gemm().orElseThrow());
          }

          @Override
          public Optional<GramRoutine> gram() {
            return Optional.of(gram != null ? gram : ref.gram().orElseThrow());
          }

          @Override
          public Optional<Level1Routine> level1() {
            return Optional.of(level1 != null ? level1 : ref.level1().orElseThrow());
          }

          @Override
          public Optional<ElementwiseRoutine> elementwise() {
            return Optional.of(elementwise != null ? elementwise : ref.elementwise().orElseThrow());
          }

          @Override
          public Optional<PairwiseKernelRoutine> pairwiseKernel() {
            return Optional.of(pairwise != null ? pairwise : ref.pairwiseKernel().orElseThrow());
          }

          @Override
          public Optional<BatchedGemmRoutine> batchedGemm() {
            return ref.batchedGemm();
          }

          @Override
          public Optional<AttentionRoutine> attention() {
            return Optional.ofNullable(attention);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  static final GemmRoutine REF_GEMM = Compute.reference().backend().gemm().orElseThrow();
  static final GramRoutine REF_GRAM = Compute.reference().backend().gram().orElseThrow();
  static final Level1Routine REF_L1 = Compute.reference().backend().level1().orElseThrow();

  /** Treats every beta as 0. */
  static class IgnoresBeta extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(new GemmRoutine() {
        @Override
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
          REF_GEMM.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, 0f, c, co, ldc);
        }

        @Override
        public void dgemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
          REF_GEMM.dgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, 0.0, c, co, ldc);
        }
      }, null, null);
    }
  }

  /** Correct, then writes one element after the last row of C. */
  static class WritesPastTheView extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(new GemmRoutine() {
        @Override
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
          REF_GEMM.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          int past = co + (m - 1) * ldc + n;
          if (past < c.length) {
            c[past] = 0f;
          }
        }

        @Override
        public void dgemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
          REF_GEMM.dgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          int past = co + (m - 1) * ldc + n;
          if (past < c.length) {
            c[past] = 0.0;
          }
        }
      }, null, null);
    }
  }

  /** Sums only k − 1 terms. */
  static class DropsLastTerm extends GemmConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(new GemmRoutine() {
        @Override
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
          if (k > 1) {
            REF_GEMM.sgemm(ta, tb, m, n, k - 1, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          } else {
            REF_GEMM.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          }
        }

        @Override
        public void dgemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
          if (k > 1) {
            REF_GEMM.dgemm(ta, tb, m, n, k - 1, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          } else {
            REF_GEMM.dgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
          }
        }
      }, null, null);
    }
  }

  /** Computes the Gram matrix correctly but then zeroes the strict upper triangle. */
  static class LowerTriangleOnly extends GramConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, new GramRoutine() {
        @Override
        public void ssyrk(boolean t, int n, int k, float alpha, float[] a, int ao, int lda, float beta, float[] c, int co, int ldc) {
          REF_GRAM.ssyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              c[co + i * ldc + j] = 0f;
            }
          }
        }

        @Override
        public void dsyrk(boolean t, int n, int k, double alpha, double[] a, int ao, int lda, double beta, double[] c, int co, int ldc) {
          REF_GRAM.dsyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              c[co + i * ldc + j] = 0.0;
            }
          }
        }

        @Override
        public void sdsyrk(boolean t, int n, int k, double alpha, float[] a, int ao, int lda, double beta, double[] c, int co, int ldc) {
          REF_GRAM.sdsyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
        }
      }, null);
    }
  }

  /** A dot product that assumes unit strides. */
  static class DotIgnoresStride extends Level1ConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, null, new Level1Routine() {
        @Override
        public float sdot(int n, float[] x, int xo, int ix, float[] y, int yo, int iy) {
          return REF_L1.sdot(n, x, xo, 1, y, yo, 1);
        }

        @Override
        public double ddot(int n, double[] x, int xo, int ix, double[] y, int yo, int iy) {
          return REF_L1.ddot(n, x, xo, 1, y, yo, 1);
        }

        @Override
        public void saxpy(int n, float alpha, float[] x, int xo, int ix, float[] y, int yo, int iy) {
          REF_L1.saxpy(n, alpha, x, xo, ix, y, yo, iy);
        }

        @Override
        public void daxpy(int n, double alpha, double[] x, int xo, int ix, double[] y, int yo, int iy) {
          REF_L1.daxpy(n, alpha, x, xo, ix, y, yo, iy);
        }

        @Override
        public void sscal(int n, float alpha, float[] x, int xo, int ix) {
          REF_L1.sscal(n, alpha, x, xo, ix);
        }

        @Override
        public void dscal(int n, double alpha, double[] x, int xo, int ix) {
          REF_L1.dscal(n, alpha, x, xo, ix);
        }
      });
    }
  }

  /** A softmax that forgets the additive mask (padding would leak into attention). */
  static class SoftmaxIgnoresMask extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      ElementwiseRoutine ref = Compute.reference().backend().elementwise().orElseThrow();
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, new ElementwiseRoutine() {
        @Override
        public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
          ref.ssoftmaxRows(m, n, alpha, x, off, ld, null, 0, 0);
        }

        @Override
        public void sgelu(int m, int n, float[] x, int off, int ld) {
          ref.sgelu(m, n, x, off, ld);
        }

        @Override
        public void ssilu(int m, int n, float[] x, int off, int ld) {
          ref.ssilu(m, n, x, off, ld);
        }

        @Override
        public void sswiglu(int m, int n, float[] g, int go, int ldg, float[] u, int uo, int ldu) {
          ref.sswiglu(m, n, g, go, ldg, u, uo, ldu);
        }

        @Override
        public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int go, float[] beta, int bo, float eps) {
          ref.slayerNorm(m, n, x, off, ld, gamma, go, beta, bo, eps);
        }

        @Override
        public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int go, float eps) {
          ref.srmsNorm(m, n, x, off, ld, gamma, go, eps);
        }
      });
    }
  }

  /** The reference elementwise routines, fused ones included, for broken variants to override one of. */
  static class ReferenceElementwiseDelegate implements ElementwiseRoutine {
    static final ElementwiseRoutine REF = Compute.reference().backend().elementwise().orElseThrow();

    @Override
    public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
      REF.ssoftmaxRows(m, n, alpha, x, off, ld, mask, maskOff, ldMask);
    }

    @Override
    public void sgelu(int m, int n, float[] x, int off, int ld) {
      REF.sgelu(m, n, x, off, ld);
    }

    @Override
    public void ssilu(int m, int n, float[] x, int off, int ld) {
      REF.ssilu(m, n, x, off, ld);
    }

    @Override
    public void sswiglu(int m, int n, float[] g, int go, int ldg, float[] u, int uo, int ldu) {
      REF.sswiglu(m, n, g, go, ldg, u, uo, ldu);
    }

    @Override
    public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int go, float[] beta, int bo, float eps) {
      REF.slayerNorm(m, n, x, off, ld, gamma, go, beta, bo, eps);
    }

    @Override
    public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int go, float eps) {
      REF.srmsNorm(m, n, x, off, ld, gamma, go, eps);
    }

    @Override
    public void sbiasGelu(int m, int n, float[] x, int off, int ld, float[] bias, int bo) {
      REF.sbiasGelu(m, n, x, off, ld, bias, bo);
    }

    @Override
    public void saddLayerNorm(int m, int n, float[] x, int off, int ld, float[] bias, int bo, float[] r, int ro, int ldr,
        float[] gamma, int go, float[] beta, int beo, float eps) {
      REF.saddLayerNorm(m, n, x, off, ld, bias, bo, r, ro, ldr, gamma, go, beta, beo, eps);
    }
  }

  /** A fused bias + GELU that applies the GELU first and adds the bias to its output. */
  static class BiasGeluAddsBiasAfterGelu extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, new ReferenceElementwiseDelegate() {
        @Override
        public void sbiasGelu(int m, int n, float[] x, int off, int ld, float[] bias, int bo) {
          REF.sgelu(m, n, x, off, ld);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              x[off + i * ld + j] += bias[bo + j];
            }
          }
        }
      });
    }
  }

  /** A fused residual + LayerNorm that forgets the bias. */
  static class AddLayerNormIgnoresBias extends ElementwiseConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, new ReferenceElementwiseDelegate() {
        @Override
        public void saddLayerNorm(int m, int n, float[] x, int off, int ld, float[] bias, int bo, float[] r, int ro, int ldr,
            float[] gamma, int go, float[] beta, int beo, float eps) {
          REF.saddLayerNorm(m, n, x, off, ld, null, 0, r, ro, ldr, gamma, go, beta, beo, eps);
        }
      });
    }
  }

  static final PairwiseKernelRoutine REF_PAIRWISE = Compute.reference().backend().pairwiseKernel().orElseThrow();

  /** Ignores the last source point (an off-by-one in the tile loop). */
  static class KernelDropsLastSource extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, null, new PairwiseKernelRoutine() {
        @Override
        public void skernelMultiply(RadialKernel kr, int m, int n, int d, int k, float[] x, int xo, int ldx, float[] y, int yo, int ldy,
            float[] v, int vo, int ldv, float beta, float[] o, int oo, int ldo) {
          if (n > 1) {
            REF_PAIRWISE.skernelMultiply(kr, m, n - 1, d, k, x, xo, ldx, y, yo, ldy, v, vo, ldv, beta, o, oo, ldo);
          } else {
            REF_PAIRWISE.skernelMultiply(kr, m, n, d, k, x, xo, ldx, y, yo, ldy, v, vo, ldv, beta, o, oo, ldo);
          }
        }

        @Override
        public void dkernelMultiply(RadialKernel kr, int m, int n, int d, int k, double[] x, int xo, int ldx, double[] y, int yo, int ldy,
            double[] v, int vo, int ldv, double beta, double[] o, int oo, int ldo) {
          REF_PAIRWISE.dkernelMultiply(kr, m, Math.max(1, n - 1), d, k, x, xo, ldx, y, yo, ldy, v, vo, ldv, beta, o, oo, ldo);
        }
      });
    }
  }

  /**
   * Evaluates κ on r² + tiny, so r = 0 is never seen: the Laplace self-interaction becomes huge
   * instead of 0. Everything else is within rounding.
   */
  static class KernelSkipsCoincidentPoints extends PairwiseKernelConformanceSuite {
    @Override
    protected BackendProvider provider() {
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, null, new PairwiseKernelRoutine() {
        @Override
        public void skernelMultiply(RadialKernel kr, int m, int n, int d, int k, float[] x, int xo, int ldx, float[] y, int yo, int ldy,
            float[] v, int vo, int ldv, float beta, float[] o, int oo, int ldo) {
          float[] shifted = y.clone();
          for (int j = 0; j < n; j++) {
            shifted[yo + j * ldy] += 1e-6f;
          }
          REF_PAIRWISE.skernelMultiply(kr, m, n, d, k, x, xo, ldx, shifted, yo, ldy, v, vo, ldv, beta, o, oo, ldo);
        }

        @Override
        public void dkernelMultiply(RadialKernel kr, int m, int n, int d, int k, double[] x, int xo, int ldx, double[] y, int yo, int ldy,
            double[] v, int vo, int ldv, double beta, double[] o, int oo, int ldo) {
          double[] shifted = y.clone();
          for (int j = 0; j < n; j++) {
            shifted[yo + j * ldy] += 1e-12;
          }
          REF_PAIRWISE.dkernelMultiply(kr, m, n, d, k, x, xo, ldx, shifted, yo, ldy, v, vo, ldv, beta, o, oo, ldo);
        }
      });
    }
  }

  /** A fused attention that forgets the key mask (padded tokens would be attended to). */
  static class AttentionIgnoresKeyMask extends AttentionConformanceSuite {
    @Override
    protected BackendProvider provider() {
      Backend ref = Compute.reference().backend();
      AttentionRoutine composed = new ComposedAttention(ref.batchedGemm().orElseThrow(), ref.elementwise().orElseThrow());
      return SuitesCatchBrokenBackendsTest.provider(null, null, null, null, null,
          (batch, len, heads, kvHeads, dh, dv, scale, causal, q, qo, ldq, k, ko, ldk, v, vo, ldv, mask, mo, ldm, o, oo, ldo)
              -> composed.sattention(batch, len, heads, kvHeads, dh, dv, scale, causal, q, qo, ldq, k, ko, ldk, v, vo, ldv,
                  null, 0, 0, o, oo, ldo));
    }
  }
}
