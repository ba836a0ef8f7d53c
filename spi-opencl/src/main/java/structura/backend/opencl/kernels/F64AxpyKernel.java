package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision {@code y ← alpha·x + y}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: 2·n flops.
 *
 * <p>Generated from {@code F32AxpyKernel.java} by {@code F64SourceGenerator}: do not edit.
 */
public final class F64AxpyKernel extends PinnedKernel {
  /** Input; set per launch. */
  double[] x;
  /** Input and output; set per launch. */
  double[] y;
  /** Scalar. */
  double alpha;
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
  public F64AxpyKernel(Device device) {
    super(device);
  }

  /**
   * Binds the operands of one launch: {@code y ← alpha·x + y} over n elements. The caller holds
   * this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
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
