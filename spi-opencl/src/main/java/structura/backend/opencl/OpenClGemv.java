package structura.backend.opencl;

import structura.api.backend.GemvRoutine;
import structura.backend.opencl.kernels.F32GemvKernel;
import structura.backend.opencl.kernels.F32GemvTransposedKernel;
import structura.backend.opencl.kernels.F64GemvKernel;
import structura.backend.opencl.kernels.F64GemvTransposedKernel;

/**
 * GEMV of the {@code opencl} backend, {@code y = alpha·op(A)·x + beta·y} with A m×n row-major.
 * Without transpose, one work-group of {@code wg} work-items per row reduces that row's dot
 * product in local memory ({@link F32GemvKernel}); rows go in chunks so that the global size
 * rows·wg fits an int. With transpose, one work-item per column walks down the rows
 * ({@link F32GemvTransposedKernel}). Cost 2·m·n flops, memory bound. Arguments arrive
 * validated by {@link structura.api.backend.Compute}.
 */
final class OpenClGemv implements GemvRoutine {
  private final OpenClLauncher launcher;
  private final int wg;
  private final F32GemvKernel f32;
  private final F32GemvTransposedKernel f32Transposed;
  /** Null without fp64. */
  private final F64GemvKernel f64;
  /** Null without fp64. */
  private final F64GemvTransposedKernel f64Transposed;

  /** @param wg work-group size, a power of two within the device's limit */
  OpenClGemv(OpenClLauncher launcher, int wg) {
    this.launcher = launcher;
    this.wg = wg;
    this.f32 = launcher.own(new F32GemvKernel(launcher.device(), wg));
    this.f32Transposed = launcher.own(new F32GemvTransposedKernel(launcher.device(), wg));
    boolean fp64 = launcher.fp64();
    this.f64 = fp64 ? launcher.own(new F64GemvKernel(launcher.device(), wg)) : null;
    this.f64Transposed = fp64 ? launcher.own(new F64GemvTransposedKernel(launcher.device(), wg)) : null;
  }

  @Override
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
    if (transA) {
      F32GemvTransposedKernel g = f32Transposed;
      synchronized (g) {
        g.bind(m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
        try {
          launcher.launch(g, launcher.range1(n, wg), "sgemv");  // one work-item per column
        } finally {
          g.unbind();
        }
      }
      return;
    }
    F32GemvKernel g = f32;
    synchronized (g) {
      try {
        int chunk = rowChunk();
        for (int r0 = 0; r0 < m; r0 += chunk) {
          int rows = Math.min(chunk, m - r0);
          g.bind(m, n, alpha, a, aOff + r0 * lda, lda, x, xOff, incX, beta, y, yOff + r0 * incY, incY);
          launcher.launch(g, launcher.groups(rows, wg), "sgemv");
        }
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY) {
    launcher.requireFp64("dgemv");
    if (transA) {
      F64GemvTransposedKernel g = f64Transposed;
      synchronized (g) {
        g.bind(m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
        try {
          launcher.launch(g, launcher.range1(n, wg), "dgemv");  // one work-item per column
        } finally {
          g.unbind();
        }
      }
      return;
    }
    F64GemvKernel g = f64;
    synchronized (g) {
      try {
        int chunk = rowChunk();
        for (int r0 = 0; r0 < m; r0 += chunk) {
          int rows = Math.min(chunk, m - r0);
          g.bind(m, n, alpha, a, aOff + r0 * lda, lda, x, xOff, incX, beta, y, yOff + r0 * incY, incY);
          launcher.launch(g, launcher.groups(rows, wg), "dgemv");
        }
      } finally {
        g.unbind();
      }
    }
  }

  /** Rows per launch of the one-work-group-per-row kernel, so that rows·wg fits an int. */
  private int rowChunk() {
    return Integer.MAX_VALUE / wg;
  }
}
