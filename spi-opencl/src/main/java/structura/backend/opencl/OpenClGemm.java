package structura.backend.opencl;

import com.aparapi.Range;
import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.GemmRoutine;
import structura.backend.opencl.kernels.F32GemmKernel;
import structura.backend.opencl.kernels.F64GemmKernel;

/**
 * GEMM and strided-batched GEMM of the {@code opencl} backend on the tiled kernels
 * {@link F32GemmKernel} and {@link F64GemmKernel}: {@code C_p = alpha·op(A_p)·op(B_p) + beta·C_p}
 * with op(A) m×k and op(B) k×n, p = 0..batch−1, in one launch (a single GEMM is a batch of one).
 * The launch is a 3-D range {@code (⌈n/ts⌉·ts, ⌈m/ts⌉·ts/4, batch)} of {@code (ts, ts/4)}
 * work-groups; the kernel's Javadoc has the tiling. Cost 2·m·n·k flops per product, plus the
 * copy of A, B and C to the device and of C back. Arguments arrive validated by
 * {@link structura.api.backend.Compute}.
 *
 * <p>{@link OpenClGram} runs its {@code ssyrk}/{@code dsyrk} on the same kernel instances in
 * their symmetric mode, through {@link #f32} and {@link #f64}.
 */
final class OpenClGemm implements GemmRoutine, BatchedGemmRoutine {
  private final OpenClLauncher launcher;
  private final int ts;
  private final F32GemmKernel f32;
  /** Null without fp64: Aparapi would refuse to build a double kernel. */
  private final F64GemmKernel f64;

  /** @param ts tile edge, a multiple of 4 whose square fits the device's work-group limit */
  OpenClGemm(OpenClLauncher launcher, int ts) {
    this.launcher = launcher;
    this.ts = ts;
    this.f32 = launcher.own(new F32GemmKernel(launcher.device(), ts));
    this.f64 = launcher.fp64() ? launcher.own(new F64GemmKernel(launcher.device(), ts)) : null;
  }

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    f32(transA, transB, false, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1, "sgemm");
  }

  @Override
  public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    f64(transA, transB, false, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1, "dgemm");
  }

  @Override
  public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
    f32(transA, transB, false, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff, ldc,
        strideC, batch, "sgemm");
  }

  @Override
  public void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch) {
    f64(transA, transB, false, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff, ldc,
        strideC, batch, "dgemm");
  }

  /** One launch of the F32 kernel; {@code symmetric} is the Gram mode (m = n, B = A). */
  void f32(boolean transA, boolean transB, boolean symmetric, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch, String routine) {
    F32GemmKernel g = f32;
    synchronized (g) {
      g.bind(transA, transB, symmetric, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB,
          beta, c, cOff, ldc, strideC);
      try {
        launcher.launch(g, range(m, n, batch), routine);
      } finally {
        g.unbind();
      }
    }
  }

  /** One launch of the F64 kernel; {@code symmetric} is the Gram mode (m = n, B = A). */
  void f64(boolean transA, boolean transB, boolean symmetric, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch, String routine) {
    launcher.requireFp64(routine);
    F64GemmKernel g = f64;
    synchronized (g) {
      g.bind(transA, transB, symmetric, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB,
          beta, c, cOff, ldc, strideC);
      try {
        launcher.launch(g, range(m, n, batch), routine);
      } finally {
        g.unbind();
      }
    }
  }

  private Range range(int m, int n, int batch) {
    return launcher.range3(OpenClLauncher.roundUp(n, ts), OpenClLauncher.roundUp(m, ts) / 4, batch, ts, ts / 4);
  }
}
