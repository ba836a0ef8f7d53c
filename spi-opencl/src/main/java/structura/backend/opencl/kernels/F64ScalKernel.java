package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision {@code x ← alpha·x}, one element per work-item (range ⌈n/wg⌉·wg).
 * Cost: n flops.
 */
public final class DscalKernel extends PinnedKernel {
  /** Input and output; set per launch. */
  public double[] x;
  /** Scalar. */
  public double alpha;
  /** Length. */
  public int n;
  /** Layout. */
  public int xOff;
  /** Layout. */
  public int incX;

  /** @param device the pinned OpenCL device */
  public DscalKernel(Device device) {
    super(device);
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
