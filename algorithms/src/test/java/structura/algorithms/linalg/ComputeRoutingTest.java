package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Backend;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.Compute;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;

/**
 * The level-3 work must reach the injected backend (so that a faster backend speeds it up): a
 * counting backend that forwards to the reference routines records the GEMM/Gram flops.
 */
class ComputeRoutingTest {
  /** Counts 2mnk GEMM flops and nk(n+1) Gram flops, forwarding to the reference backend. */
  static final class CountingBackend implements Backend {
    final Backend ref = Compute.reference().backend();
    final AtomicLong gemmFlops = new AtomicLong();
    final AtomicLong gramFlops = new AtomicLong();
    final AtomicLong gemvFlops = new AtomicLong();

    @Override
    public String id() {
      return "counting";
    }

    @Override
    public String describe() {
      return "counting wrapper of the reference backend";
    }

    @Override
    public Optional<GemmRoutine> gemm() {
      GemmRoutine r = ref.gemm().orElseThrow();
      return Optional.of(new GemmRoutine() {
        @Override
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda,
            float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
          gemmFlops.addAndGet(2L * m * n * k);
          r.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        }

        @Override
        public void dgemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao, int lda,
            double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
          gemmFlops.addAndGet(2L * m * n * k);
          r.dgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        }
      });
    }

    /** Batched GEMMs (the QR's split trailing update) count as GEMM flops: batch·2mnk. */
    @Override
    public Optional<BatchedGemmRoutine> batchedGemm() {
      BatchedGemmRoutine r = ref.batchedGemm().orElseThrow();
      return Optional.of(new BatchedGemmRoutine() {
        @Override
        public void sgemmStridedBatched(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao,
            int lda, int strideA, float[] b, int bo, int ldb, int strideB, float beta, float[] c, int co, int ldc,
            int strideC, int batch) {
          gemmFlops.addAndGet(2L * m * n * k * batch);
          r.sgemmStridedBatched(ta, tb, m, n, k, alpha, a, ao, lda, strideA, b, bo, ldb, strideB, beta, c, co, ldc,
              strideC, batch);
        }

        @Override
        public void dgemmStridedBatched(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao,
            int lda, int strideA, double[] b, int bo, int ldb, int strideB, double beta, double[] c, int co, int ldc,
            int strideC, int batch) {
          gemmFlops.addAndGet(2L * m * n * k * batch);
          r.dgemmStridedBatched(ta, tb, m, n, k, alpha, a, ao, lda, strideA, b, bo, ldb, strideB, beta, c, co, ldc,
              strideC, batch);
        }
      });
    }

    @Override
    public Optional<structura.api.backend.GemvRoutine> gemv() {
      structura.api.backend.GemvRoutine r = ref.gemv().orElseThrow();
      return Optional.of(new structura.api.backend.GemvRoutine() {
        @Override
        public void sgemv(boolean t, int m, int n, float alpha, float[] a, int ao, int lda, float[] x, int xo, int incx,
            float beta, float[] y, int yo, int incy) {
          gemvFlops.addAndGet(2L * m * n);
          r.sgemv(t, m, n, alpha, a, ao, lda, x, xo, incx, beta, y, yo, incy);
        }

        @Override
        public void dgemv(boolean t, int m, int n, double alpha, double[] a, int ao, int lda, double[] x, int xo, int incx,
            double beta, double[] y, int yo, int incy) {
          gemvFlops.addAndGet(2L * m * n);
          r.dgemv(t, m, n, alpha, a, ao, lda, x, xo, incx, beta, y, yo, incy);
        }
      });
    }

    @Override
    public Optional<GramRoutine> gram() {
      GramRoutine r = ref.gram().orElseThrow();
      return Optional.of(new GramRoutine() {
        @Override
        public void ssyrk(boolean t, int n, int k, float alpha, float[] a, int ao, int lda, float beta, float[] c, int co, int ldc) {
          gramFlops.addAndGet((long) n * k * (n + 1));
          r.ssyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
        }

        @Override
        public void dsyrk(boolean t, int n, int k, double alpha, double[] a, int ao, int lda, double beta, double[] c, int co, int ldc) {
          gramFlops.addAndGet((long) n * k * (n + 1));
          r.dsyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
        }

        @Override
        public void sdsyrk(boolean t, int n, int k, double alpha, float[] a, int ao, int lda, double beta, double[] c, int co, int ldc) {
          gramFlops.addAndGet((long) n * k * (n + 1));
          r.sdsyrk(t, n, k, alpha, a, ao, lda, beta, c, co, ldc);
        }
      });
    }

    @Override
    public Optional<Level1Routine> level1() {
      return ref.level1();
    }

    @Override
    public void close() {}
  }

  static Matrix random(int m, int n, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    Matrix a = Matrix.zeros(DType.F64, m, n);
    for (int i = 0; i < m * n; i++) {
      a.f64()[i] = rng.nextGaussian() * Math.pow(0.97, i % n);
    }
    return a;
  }

  @Test
  void qrTrailingUpdatesRunOnTheInjectedBackend() {
    int m = 300;
    int n = 120;
    Matrix a = random(m, n, 1);
    CountingBackend cb = new CountingBackend();
    try (Compute c = Compute.of(cb, true)) {
      new HouseholderQr(c, new HouseholderQrOptions(16)).factor(a);
      long total = 2L * m * n * n - 2L * n * n * n / 3;
      // The compact-WY updates carry most of the 2mn² − 2n³/3 flops (two GEMMs of 2·m'n'b each per panel, plus W·T).
      assertTrue(cb.gemmFlops.get() > 0.6 * total, "QR GEMM flops " + cb.gemmFlops.get() + " of " + total);

      cb.gemmFlops.set(0);
      PivotedQrOptions direct = new PivotedQrOptions(0, 0, 16, QrPreprocessing.NEVER);
      PivotedQrFactorization f = new PivotedQr(c, direct).factor(a);
      // dlaqps: the trailing GEMM is half of the work, the level-2 F-column GEMV the other half.
      assertTrue(cb.gemmFlops.get() > 0.35 * total, "pivoted QR GEMM flops " + cb.gemmFlops.get() + " of " + total);
      assertTrue(cb.gemvFlops.get() > 0.35 * total, "pivoted QR GEMV flops " + cb.gemvFlops.get() + " of " + total);
      assertArrayEquals(new PivotedQr(Compute.reference(), direct).factor(a).pivots(), f.pivots());

      // Reduced first (m >= 2n, so AUTO): the m-row work is the QR's, at level 3; the GEMVs run on
      // the n×n factor only, about (n/m) of the direct path's.
      cb.gemmFlops.set(0);
      cb.gemvFlops.set(0);
      PivotedQrFactorization g = new PivotedQr(c, new PivotedQrOptions(0, 0, 16)).factor(a);
      assertTrue(g.preprocessed());
      assertTrue(cb.gemmFlops.get() > 0.6 * total, "preprocessed GEMM flops " + cb.gemmFlops.get() + " of " + total);
      assertTrue(cb.gemvFlops.get() < 0.2 * total, "preprocessed GEMV flops " + cb.gemvFlops.get() + " of " + total);
      assertArrayEquals(f.pivots(), g.pivots());

      Matrix spd = Norms.times(Norms.transpose(a), a);
      new Cholesky(c, new CholeskyOptions(16)).factor(spd);
      // Trailing updates Σ n'(n'+1)·b over the panels: most of Cholesky's n³/3 flops.
      assertTrue(cb.gramFlops.get() > 0.7 * n * n * n / 3, "Cholesky Gram flops " + cb.gramFlops.get());
    }
  }
}
