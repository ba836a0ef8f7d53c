package structura.api.backend;

import structura.api.DType;

/**
 * A block of memory owned by a backend's {@link ResidentRoutines}: {@link #length()} elements of
 * {@link #dtype()}, on the device for an accelerator (host memory for the reference backend). It
 * is only valid with the {@code ResidentRoutines} that allocated it, until {@link #close()};
 * offsets passed with it count elements, not bytes.
 *
 * <p>Closing frees the memory once queued work that reads or writes it has finished; closing
 * twice does nothing. Not thread-safe: one thread uses a buffer at a time.
 */
public interface DeviceBuffer extends AutoCloseable {
  /** Element type, F32 or F64. */
  DType dtype();

  /** Number of elements. */
  long length();

  /** Frees the memory. */
  @Override
  void close();
}
