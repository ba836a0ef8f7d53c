package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision {@code y ← alpha·x + y}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: 2·n flops.
 */
public final class DaxpyKernel extends PinnedKernel {
  /** Input; set per launch. */
  public double[] x;
  /** Input and output; set per launch. */
  public double[] y;
  /** Scalar. */
  public double alpha;
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
  public DaxpyKernel(Device device) {
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
