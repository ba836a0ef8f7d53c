package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Row softmax in place, {@code x_ij ← exp(z_ij − max_j z_ij) / Σ_j exp(z_ij − max_j z_ij)} with
 * {@code z = alpha·x + mask} (mask optional, {@code ldMask == 0} broadcasts one row).
 *
 * <p><b>Layout.</b> One work-group of {@code wg} work-items per row (range {@code rows·wg}); the
 * group strides along the row (contiguous loads) and does two reductions in local memory by
 * halving: the row maximum, then the sum of the exponentials. Between them each work-item stores
 * its exponentials in x and rescales exactly those elements at the end, so x is read twice and
 * written twice and no element is touched by two work-items. {@code wg} must be a power of two.
 *
 * <p><b>Masks.</b> HuggingFace masks keys with {@code −Float.MAX_VALUE}; z is then about
 * {@code −3.4e38} (finite), {@code z − max} is a large negative finite number and its exp is 0.
 * The maximum starts from the row's first z rather than from a sentinel, so it is always an
 * element of the row; an element equal to the maximum gets weight exactly 1 instead of
 * {@code exp(max − max)}, which keeps a row whose z are all {@code −∞} (a mask added to a large
 * negative logit overflows) at a uniform distribution instead of {@code exp(NaN)}.
 *
 * <p>Barriers are never inside a branch and {@code get_local_id} is re-read after them, the form
 * that works on POCL 3.1 (see {@link F32GemvKernel}).
 *
 * <p><b>Cost.</b> 5·m·n flops and m·n exp.
 */
public final class F32SoftmaxKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final float[] scratch;

  /** The block, in and out; set per launch. */
  float[] x;
  /** Additive mask, or a 1-element placeholder when {@code hasMask == 0}; set per launch. */
  float[] mask;
  /** 1 when {@link #mask} is an operand. */
  int hasMask;
  /** Scale of x. */
  float alpha;
  /** Columns. */
  int n;
  /** Layout of x: first element of this launch's first row. */
  int off;
  /** Layout of x. */
  int ld;
  /** Layout of the mask: its element for this launch's first row. */
  int maskOff;
  /** Layout of the mask; 0 broadcasts one row. */
  int ldMask;

  /**
   * Stands in for an absent optional operand: Aparapi binds every array field a kernel reads on
   * each launch, and the kernel reads this one only when its flag says so. Never written.
   */
  private final float[] absent = new float[1];

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size, a power of two within the device limit
   */
  public F32SoftmaxKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.scratch = new float[wg];
  }

  /**
   * Binds the operands of one launch: rows of n columns from {@code off} on (one work-group per
   * row, so the launch's range sets how many), scaled by alpha, plus the mask rows from
   * {@code maskOff} on when {@code mask} is not null. The caller holds this kernel's monitor
   * from here to {@link #unbind()}.
   */
  public void bind(int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    this.n = n;
    this.alpha = alpha;
    this.x = x;
    this.off = off;
    this.ld = ld;
    this.hasMask = mask == null ? 0 : 1;
    this.mask = mask == null ? absent : mask;
    this.maskOff = mask == null ? 0 : maskOff;
    this.ldMask = ldMask;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    mask = null;
  }

  @Override
  public void run() {
    int row = getGroupId(0);
    int xr = off + row * ld;
    int mr = maskOff + row * ldMask;
    float first = alpha * x[xr];
    if (hasMask != 0) {
      first = first + mask[mr];
    }
    float mx = first;
    for (int j = getLocalId(0); j < n; j += wg) {
      float z = alpha * x[xr + j];
      if (hasMask != 0) {
        z = z + mask[mr + j];
      }
      mx = max(mx, z);
    }
    scratch[getLocalId(0)] = mx;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (getLocalId(0) < h) {
        scratch[getLocalId(0)] = max(scratch[getLocalId(0)], scratch[getLocalId(0) + h]);
      }
      localBarrier();
    }
    float rowMax = scratch[0];
    localBarrier();  // every work-item has read the maximum before scratch is reused for the sum
    float sum = 0f;
    for (int j = getLocalId(0); j < n; j += wg) {
      float z = alpha * x[xr + j];
      if (hasMask != 0) {
        z = z + mask[mr + j];
      }
      float e = 1f;
      if (z != rowMax) {
        e = exp(z - rowMax);
      }
      x[xr + j] = e;
      sum += e;
    }
    scratch[getLocalId(0)] = sum;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (getLocalId(0) < h) {
        scratch[getLocalId(0)] = scratch[getLocalId(0)] + scratch[getLocalId(0) + h];
      }
      localBarrier();
    }
    float inv = 1f / scratch[0];
    for (int j = getLocalId(0); j < n; j += wg) {
      x[xr + j] = x[xr + j] * inv;
    }
  }
}
