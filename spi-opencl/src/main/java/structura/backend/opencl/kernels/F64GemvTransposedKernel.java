package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision transposed GEMV {@code y = alpha·Aᵀ·x + beta·y} on row-major A (m×n), so
 * x has m entries and y has n.
 *
 * <p><b>Layout</b> (column combinations): one work-item per column j (range ⌈n/wg⌉·wg);
 * at step i all work-items of a group read the contiguous run {@code A[i][j..j+wg)}
 * (coalesced) and the same {@code x_i} (a broadcast).
 *
 * <p><b>Cost.</b> 2·m·n flops, one read of A.
 */
public final class DgemvtKernel extends PinnedKernel {
  /** Work-group size. */
  public final int wg;

  /** Matrix; set per launch. */
  public double[] a;
  /** Input vector; set per launch. */
  public double[] x;
  /** Output vector; set per launch. */
  public double[] y;
  /** Scalar. */
  public double alpha;
  /** Scalar. */
  public double beta;
  /** Rows of A. */
  public int m;
  /** Columns of A. */
  public int n;
  /** Layout. */
  public int aOff;
  /** Layout. */
  public int lda;
  /** Layout. */
  public int xOff;
  /** Layout. */
  public int incX;
  /** Layout. */
  public int yOff;
  /** Layout. */
  public int incY;

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size within the device limit
   */
  public DgemvtKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
  }

  @Override
  public void run() {
    int j = getGlobalId(0);
    if (j < n) {
      double s = 0.0;
      for (int i = 0; i < m; i++) {
        s += a[aOff + i * lda + j] * x[xOff + i * incX];
      }
      int yi = yOff + j * incY;
      double v = alpha * s;
      if (beta != 0.0) {
        v = v + beta * y[yi];
      }
      y[yi] = v;
    }
  }
}
