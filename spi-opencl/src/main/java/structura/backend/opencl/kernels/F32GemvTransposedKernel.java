package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision transposed GEMV {@code y = alpha·Aᵀ·x + beta·y} on row-major A (m×n), so
 * x has m entries and y has n.
 *
 * <p><b>Layout</b> (column combinations): one work-item per column j (range ⌈n/wg⌉·wg);
 * at step i all work-items of a group read the contiguous run {@code A[i][j..j+wg)}
 * (coalesced) and the same {@code x_i} (a broadcast).
 *
 * <p><b>Cost.</b> 2·m·n flops, one read of A.
 *
 * <p>{@link F64GemvTransposedKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32GemvTransposedKernel extends PinnedKernel {
  /** Work-group size. */
  public final int wg;

  /** Matrix; set per launch. */
  float[] a;
  /** Input vector; set per launch. */
  float[] x;
  /** Output vector; set per launch. */
  float[] y;
  /** Scalar. */
  float alpha;
  /** Scalar. */
  float beta;
  /** Rows of A. */
  int m;
  /** Columns of A. */
  int n;
  /** Layout. */
  int aOff;
  /** Layout. */
  int lda;
  /** Layout. */
  int xOff;
  /** Layout. */
  int incX;
  /** Layout. */
  int yOff;
  /** Layout. */
  int incY;

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size within the device limit
   */
  public F32GemvTransposedKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
  }

  /**
   * Binds the operands of one launch: {@code y = alpha·Aᵀ·x + beta·y}, A m×n row-major. The
   * caller holds this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, int incX,
      float beta, float[] y, int yOff, int incY) {
    this.m = m;
    this.n = n;
    this.alpha = alpha;
    this.a = a;
    this.aOff = aOff;
    this.lda = lda;
    this.x = x;
    this.xOff = xOff;
    this.incX = incX;
    this.beta = beta;
    this.y = y;
    this.yOff = yOff;
    this.incY = incY;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    a = null;
    x = null;
    y = null;
  }

  @Override
  public void run() {
    int j = getGlobalId(0);
    if (j < n) {
      float s = 0f;
      for (int i = 0; i < m; i++) {
        s += a[aOff + i * lda + j] * x[xOff + i * incX];
      }
      int yi = yOff + j * incY;
      float v = alpha * s;
      if (beta != 0f) {
        v = v + beta * y[yi];
      }
      y[yi] = v;
    }
  }
}
