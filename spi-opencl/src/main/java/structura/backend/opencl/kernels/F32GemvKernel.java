package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision GEMV {@code y = alpha·A·x + beta·y} on row-major A (m×n); the transposed
 * case is {@link F32GemvTransposedKernel}. Two classes rather than a branch on a flag, because
 * the reduction's barriers must not sit inside a branch (see the note in {@code run}).
 *
 * <p><b>Layout</b> (row dot products): one work-group of {@code wg} work-items per row of A
 * (range {@code m·wg}, group {@code wg}). The group strides along the row together, so its
 * loads of A are contiguous (coalesced), then reduces its partial sums in local memory by
 * halving. {@code wg} must be a power of two.
 *
 * <p><b>Cost.</b> 2·m·n flops, one read of A.
 *
 * <p>{@link F64GemvKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32GemvKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final float[] partial;

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
   * @param wg work-group size, a power of two within the device limit
   */
  public F32GemvKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.partial = new float[wg];
  }

  /**
   * Binds the operands of one launch: {@code y = alpha·A·x + beta·y} for the rows of A starting
   * at {@code aOff} (one work-group per row, so the launch's range sets how many rows), each of n
   * columns. The caller holds this kernel's monitor from here to {@link #unbind()}.
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
    int row = getGroupId(0);
    float s = 0f;
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
      float v = alpha * partial[0];
      if (beta != 0f) {
        v = v + beta * y[yi];
      }
      y[yi] = v;
    }
  }
}
