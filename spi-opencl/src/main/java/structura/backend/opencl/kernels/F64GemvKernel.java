package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision GEMV {@code y = alpha·A·x + beta·y} on row-major A (m×n); the transposed
 * case is {@link DgemvtKernel}. Two classes rather than a branch on a flag, because the
 * reduction's barriers must not sit inside a branch (see the note in {@code run}).
 *
 * <p><b>Layout</b> (row dot products): one work-group of {@code wg} work-items per row of A
 * (range {@code m·wg}, group {@code wg}). The group strides along the row together, so its
 * loads of A are contiguous (coalesced), then reduces its partial sums in local memory by
 * halving. {@code wg} must be a power of two.
 *
 * <p><b>Cost.</b> 2·m·n flops, one read of A.
 */
public final class DgemvKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final double[] partial;

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
   * @param wg work-group size, a power of two within the device limit
   */
  public DgemvKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.partial = new double[wg];
  }

  @Override
  public void run() {
    int row = getGroupId(0);
    double s = 0.0;
    for (int j = getLocalId(0); j < n; j += wg) {
      s += a[aOff + row * lda + j] * x[xOff + j * incX];
    }
    partial[getLocalId(0)] = s;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (getLocalId(0) < h) {
        partial[getLocalId(0)] = partial[getLocalId(0)] + partial[getLocalId(0) + h];
      }
      localBarrier();
    }
    // A first version kept the local id in a variable and ran this reduction inside a branch
    // on a trans flag; on POCL 3.1 every work-item then passed the test below and y was
    // updated 64 times (y ← alpha·s + beta·y iterated to its fixed point). Barriers outside
    // any branch and get_local_id re-read after them are both legal and work everywhere.
    if (getLocalId(0) == 0) {
      int yi = yOff + row * incY;
      double v = alpha * partial[0];
      if (beta != 0.0) {
        v = v + beta * y[yi];
      }
      y[yi] = v;
    }
  }
}
