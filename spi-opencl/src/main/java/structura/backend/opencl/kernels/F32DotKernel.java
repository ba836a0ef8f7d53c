package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision dot product, first stage: each of G work-groups of {@code wg} work-items
 * (range G·wg) strides over the vectors with step G·wg, reduces in local memory by halving,
 * and writes one partial sum to {@code partial[group]}; the host adds the G partials. Two
 * stages instead of atomics keep the result deterministic for a given launch shape.
 *
 * <p><b>Cost.</b> 2·n flops; G floats come back to the host.
 */
public final class SdotKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final float[] scratch;

  /** Vectors; set per launch. */
  public float[] x;
  /** Vectors; set per launch. */
  public float[] y;
  /** One partial sum per work-group. */
  public float[] partial;
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

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size, a power of two within the device limit
   */
  public SdotKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.scratch = new float[wg];
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
