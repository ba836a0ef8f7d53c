package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision dot product, first stage: each of G work-groups of {@code wg} work-items
 * (range G·wg) strides over the vectors with step G·wg, reduces in local memory by halving,
 * and writes one partial sum to {@code partial[group]}; the host adds the G partials. Two
 * stages instead of atomics keep the result deterministic for a given launch shape.
 *
 * <p><b>Cost.</b> 2·n flops; G floats come back to the host.
 *
 * <p>{@link F64DotKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32DotKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final float[] scratch;

  /** Vectors; set per launch. */
  float[] x;
  /** Vectors; set per launch. */
  float[] y;
  /** One partial sum per work-group. */
  float[] partial;
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

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size, a power of two within the device limit
   */
  public F32DotKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.scratch = new float[wg];
  }

  /**
   * Binds the operands of one launch: the partial sums of {@code xᵀy} over n elements, one per
   * work-group, into {@code partial} (at least as long as the launch has groups). The caller
   * holds this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY, float[] partial) {
    this.n = n;
    this.x = x;
    this.xOff = xOff;
    this.incX = incX;
    this.y = y;
    this.yOff = yOff;
    this.incY = incY;
    this.partial = partial;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    y = null;
    partial = null;
  }

  @Override
  public void run() {
    int lid = getLocalId(0);
    int step = getGlobalSize(0);
    float s = 0f;
    for (int i = getGlobalId(0); i < n; i += step) {
      s += x[xOff + i * incX] * y[yOff + i * incY];
    }
    scratch[lid] = s;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (lid < h) {
        scratch[lid] = scratch[lid] + scratch[lid + h];
      }
      localBarrier();
    }
    if (lid == 0) {
      partial[getGroupId(0)] = scratch[0];
    }
  }
}
