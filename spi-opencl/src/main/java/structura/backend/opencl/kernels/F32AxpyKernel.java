package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision {@code y ← alpha·x + y}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: 2·n flops.
 */
public final class SaxpyKernel extends PinnedKernel {
  /** Input; set per launch. */
  public float[] x;
  /** Input and output; set per launch. */
  public float[] y;
  /** Scalar. */
  public float alpha;
  /** Length. */
  public int n;
  /** Layout. */
  public int xOff;
  /** Layout. */
  public int incX;
  /** Layout. */
  public int yOff;
  /** Layout. */
  public int incY;

  /** @param device the pinned OpenCL device */
  public SaxpyKernel(Device device) {
    super(device);
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
