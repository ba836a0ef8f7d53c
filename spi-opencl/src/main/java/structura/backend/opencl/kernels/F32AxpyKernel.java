package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision {@code y ← alpha·x + y}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: 2·n flops.
 *
 * <p>{@link F64AxpyKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32AxpyKernel extends PinnedKernel {
  /** Input; set per launch. */
  float[] x;
  /** Input and output; set per launch. */
  float[] y;
  /** Scalar. */
  float alpha;
  /** Length. */
  int n;
  /** Layout. */
  int xOff;
  /** Layout. */
  int incX;
  /** Layout. */
  int yOff;
  /** Layout. */
  int incY;

  /** @param device the pinned OpenCL device */
  public F32AxpyKernel(Device device) {
    super(device);
  }

  /**
   * Binds the operands of one launch: {@code y ← alpha·x + y} over n elements. The caller holds
   * this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    this.n = n;
    this.alpha = alpha;
    this.x = x;
    this.xOff = xOff;
    this.incX = incX;
    this.y = y;
    this.yOff = yOff;
    this.incY = incY;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    y = null;
  }

  @Override
  public void run() {
    int i = getGlobalId(0);
    if (i < n) {
      int yi = yOff + i * incY;
      y[yi] = alpha * x[xOff + i * incX] + y[yi];
    }
  }
}
