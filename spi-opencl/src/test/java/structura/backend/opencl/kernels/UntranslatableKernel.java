package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * A kernel Aparapi cannot translate to OpenCL (it calls a method recursively, which OpenCL C
 * does not allow), so
 * Aparapi runs it on its Java thread pool instead: the situation the backend must report as a
 * failure. Test-only.
 */
public final class UntranslatableKernel extends PinnedKernel {
  /** Written by every work-item, so a Java fallback leaves visible traces. */
  public float[] out = new float[8];

  /** @param device the device it is pinned to */
  public UntranslatableKernel(Device device) {
    super(device);
  }

  @Override
  public void run() {
    int i = getGlobalId(0);
    out[i] = countDown(i) + i + 1f;
  }

  /** Recursion: Aparapi refuses to translate it. Always returns 0. */
  private int countDown(int n) {
    return n <= 0 ? 0 : countDown(n - 1);
  }
}
