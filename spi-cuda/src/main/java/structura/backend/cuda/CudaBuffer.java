package structura.backend.cuda;

import structura.api.DType;
import structura.api.backend.DeviceBuffer;

/**
 * Device memory allocated by a {@link CudaResident}: {@code length} elements of {@code dtype} at
 * device address {@link #pointer}. Closing waits for the stream (queued work may still use the
 * memory) and frees it; closing twice does nothing.
 */
final class CudaBuffer implements DeviceBuffer {
  final CudaResident owner;
  private final long pointer;
  private final DType dtype;
  private final long length;
  private boolean closed;

  CudaBuffer(CudaResident owner, long pointer, DType dtype, long length) {
    this.owner = owner;
    this.pointer = pointer;
    this.dtype = dtype;
    this.length = length;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public long length() {
    return length;
  }

  boolean closed() {
    return closed;
  }

  /** The device address of element {@code offset}. */
  long at(long offset) {
    return pointer + offset * dtype.bytes();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      owner.free(pointer);
    }
  }

  @Override
  public String toString() {
    return "CudaBuffer[" + dtype + " × " + length + (closed ? ", closed" : "") + "]";
  }
}
