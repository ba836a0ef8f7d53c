package structura.backend.opencl;

import structura.api.backend.GramRoutine;
import structura.backend.opencl.kernels.F32GramInF64Kernel;

/**
 * Gram (syrk) of the {@code opencl} backend. {@code ssyrk} and {@code dsyrk},
 * {@code C = alpha·op(A)·op(A)ᵀ + beta·C} (op(A) = Aᵀ when {@code trans}), run the GEMM kernels
 * of {@link OpenClGemm} in their symmetric mode: only the work-groups on and above the diagonal
 * compute, about n²·k flops instead of 2·n²·k, and each writes (i, j) and (j, i), so C is
 * bit-exactly symmetric. {@code sdsyrk} (F32 data, F64 accumulation) has its own kernel,
 * {@link F32GramInF64Kernel}, on {@code (ts, ts)} work-groups; {@code Compute} sends it here only
 * where {@code supports(GRAM, F64)} holds, since its arithmetic is double.
 */
final class OpenClGram implements GramRoutine {
  private final OpenClLauncher launcher;
  private final OpenClGemm gemm;
  private final int ts;
  /** Null without fp64. */
  private final F32GramInF64Kernel mixed;

  /** @param ts tile edge, a power of two whose square fits the device's work-group limit */
  OpenClGram(OpenClLauncher launcher, OpenClGemm gemm, int ts) {
    this.launcher = launcher;
    this.gemm = gemm;
    this.ts = ts;
    this.mixed = launcher.fp64() ? launcher.own(new F32GramInF64Kernel(launcher.device(), ts)) : null;
  }

  @Override
  public void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc) {
    // C = op(A)·op(A)ᵀ: op(A) = Aᵀ when trans, and the second factor is its transpose.
    gemm.f32(trans, !trans, true, n, n, k, alpha, a, aOff, lda, 0, a, aOff, lda, 0, beta, c, cOff, ldc, 0, 1, "ssyrk");
  }

  @Override
  public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    gemm.f64(trans, !trans, true, n, n, k, alpha, a, aOff, lda, 0, a, aOff, lda, 0, beta, c, cOff, ldc, 0, 1, "dsyrk");
  }

  @Override
  public void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    launcher.requireFp64("sdsyrk");
    F32GramInF64Kernel g = mixed;
    synchronized (g) {
      g.bind(trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
      try {
        int global = OpenClLauncher.roundUp(n, ts);
        launcher.launch(g, launcher.range3(global, global, 1, ts, ts), "sdsyrk");
      } finally {
        g.unbind();
      }
    }
  }
}
