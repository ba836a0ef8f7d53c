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
 */
public final class SgemvtKernel extends PinnedKernel {
  /** Work-group size. */
  public final int wg;

  /** Matrix; set per launch. */
  public float[] a;
  /** Input vector; set per launch. */
  public float[] x;
  /** Output vector; set per launch. */
  public float[] y;
  /** Scalar. */
  public float alpha;
  /** Scalar. */
  public float beta;
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
  public SgemvtKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
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
