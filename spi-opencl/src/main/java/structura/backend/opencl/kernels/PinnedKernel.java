package structura.backend.opencl.kernels;

import com.aparapi.Kernel;
import com.aparapi.device.Device;
import java.util.Objects;

/**
 * Base of every Structura kernel: an Aparapi {@link Kernel} that refuses every device but the
 * one it was created for. Aparapi's device preferences are process-wide per kernel class
 * ({@code KernelManager}); {@link #isAllowDevice} is the only per-instance knob, so two backends
 * open on different devices in one JVM do not steer each other's kernels. With every other
 * device vetoed, a failure on the pinned device leaves Aparapi no OpenCL device to move to, and
 * {@link #getTargetDevice()} no longer answers the pinned device: the backend checks exactly
 * that after each launch and reports a fallback to the Java thread pool as a failure.
 *
 * <p>Subclasses are not thread-safe (their operand fields are set per launch); the backend
 * serialises launches per instance.
 */
public abstract class PinnedKernel extends Kernel {
  private final Device pinned;

  /** @param pinned the OpenCL device this kernel may run on */
  protected PinnedKernel(Device pinned) {
    this.pinned = Objects.requireNonNull(pinned, "pinned");
  }

  /** The device this kernel is pinned to. */
  public final Device pinned() {
    return pinned;
  }

  @Override
  public boolean isAllowDevice(Device device) {
    return pinned.equals(device);
  }
}
