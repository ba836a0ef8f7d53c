package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * The smallest kernel that uses {@code double}. Compiling it for a device (Aparapi's
 * compile-only path, which never falls back) tells whether the device supports fp64: Aparapi
 * reads the device's extensions and refuses with "FP64 required but not supported" otherwise.
 * It is never executed.
 */
public final class Fp64ProbeKernel extends PinnedKernel {
  /** A double buffer, so that the generated OpenCL needs cl_khr_fp64. */
  public double[] values = new double[1];

  /** @param device the device to probe */
  public Fp64ProbeKernel(Device device) {
    super(device);
  }

  @Override
  public void run() {
    int i = getGlobalId(0);
    values[i] = values[i] * 2.0;
  }
}
