package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision {@code x ← alpha·x}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: n flops.
 *
 * <p>{@link F64ScalKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32ScalKernel extends PinnedKernel {
  /** Input and output; set per launch. */
  float[] x;
  /** Scalar. */
  float alpha;
  /** Length. */
  int n;
  /** Layout. */
  int xOff;
  /** Layout. */
  int incX;

  /** @param device the pinned OpenCL device */
  public F32ScalKernel(Device device) {
    super(device);
  }

  /**
   * Binds the operands of one launch: {@code x ← alpha·x} over n elements. The caller holds this
   * kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int n, float alpha, float[] x, int xOff, int incX) {
    this.n = n;
    this.alpha = alpha;
    this.x = x;
    this.xOff = xOff;
    this.incX = incX;
  }

  /** Drops the caller's array, so that the kernel does not keep it alive between calls. */
  public void unbind() {
    x = null;
  }

  @Override
  public void run() {
    int i = getGlobalId(0);
    if (i < n) {
      int xi = xOff + i * incX;
      x[xi] = alpha * x[xi];
    }
  }
}
