package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * Moves the operands of one host-array call to the device and its result back, through one
 * page-locked (pinned) host buffer and one device buffer, both grown on demand (to the next power
 * of two) and reused across calls, so a call costs no allocation once sizes have been seen.
 *
 * <p>Use per call, under the context's lock: {@link #begin}, then {@link #put} each input span
 * (copied into the pinned buffer at a 256-byte aligned offset, which is also its offset in the
 * device buffer; {@code put} returns that offset), {@link #upload} (one host-to-device copy for
 * all of them), then {@link #scratch} for device-only space, {@link #address} to turn offsets into
 * device pointers (valid from {@code upload} to the end of the call), the computation, and
 * {@link #download} of the output span (waits for the stream). Only spans are copied: a strided view moves {@code (rows − 1)·ld + cols} elements, not
 * its whole array.
 */
final class HostStaging implements AutoCloseable {
  private static final long ALIGN = 256;
  private final CudaDriver driver;
  private final MemorySegment stream;
  private MemorySegment pinned;
  private long device;
  private long deviceBytes;
  private long cursor;
  private long uploadedEnd;

  HostStaging(CudaDriver driver, MemorySegment stream) {
    this.driver = driver;
    this.stream = stream;
  }

  /** Starts a call: the buffers are empty. */
  void begin() {
    cursor = 0;
    uploadedEnd = 0;
  }

  /** Stages {@code length} floats of {@code src} from {@code off}; returns their staging offset. */
  long put(float[] src, int off, int length) {
    long at = reserveHost((long) length * Float.BYTES);
    MemorySegment.copy(src, off, pinned, JAVA_FLOAT, at, length);
    return at;
  }

  /** Stages {@code length} doubles of {@code src} from {@code off}. */
  long put(double[] src, int off, int length) {
    long at = reserveHost((long) length * Double.BYTES);
    MemorySegment.copy(src, off, pinned, JAVA_DOUBLE, at, length);
    return at;
  }

  /** Stages a span of a {@code float[]} or {@code double[]}; returns its staging offset. */
  long put(Object array, int off, int length) {
    return array instanceof float[] f ? put(f, off, length) : put((double[]) array, off, length);
  }

  /** Downloads into a {@code float[]} or {@code double[]}; see {@link #download(long, float[], int, int)}. */
  void download(long at, Object dst, int off, int length) {
    if (dst instanceof float[] f) {
      download(at, f, off, length);
    } else {
      download(at, (double[]) dst, off, length);
    }
  }

  /** Stages {@code length} floats widened to doubles (for {@code sdsyrk} without device kernels). */
  long putWidened(float[] src, int off, int length) {
    long at = reserveHost((long) length * Double.BYTES);
    for (int i = 0; i < length; i++) {
      pinned.set(JAVA_DOUBLE, at + (long) i * Double.BYTES, src[off + i]);
    }
    return at;
  }

  /** Copies everything staged so far to the device (asynchronously, on the stream). */
  void upload() {
    ensureDevice(cursor);
    if (cursor > 0) {
      driver.memcpyHtoDAsync(device, pinned, cursor, stream);
    }
    uploadedEnd = cursor;
  }

  /**
   * Device-only space of {@code bytes} after the uploaded operands, as a staging offset; call
   * after {@link #upload} and before {@link #address}, since it may grow (move) the device buffer.
   */
  long scratch(long bytes) {
    long at = align(cursor);
    cursor = at + bytes;
    if (cursor > deviceBytes) {
      growDeviceKeeping(cursor);
    }
    return at;
  }

  /** The device pointer of a staging offset. */
  long address(long offset) {
    return device + offset;
  }

  /** Copies {@code length} floats at staging offset {@code at} back into {@code dst[off..]}, waiting for the stream. */
  void download(long at, float[] dst, int off, int length) {
    driver.memcpyDtoHAsync(pinned.asSlice(at), device + at, (long) length * Float.BYTES, stream);
    driver.streamSynchronize(stream);
    MemorySegment.copy(pinned, JAVA_FLOAT, at, dst, off, length);
  }

  /** Copies {@code length} doubles at staging offset {@code at} back into {@code dst[off..]}, waiting for the stream. */
  void download(long at, double[] dst, int off, int length) {
    driver.memcpyDtoHAsync(pinned.asSlice(at), device + at, (long) length * Double.BYTES, stream);
    driver.streamSynchronize(stream);
    MemorySegment.copy(pinned, JAVA_DOUBLE, at, dst, off, length);
  }

  /** Reserves host bytes at an aligned offset, growing the pinned buffer (keeping its content). */
  private long reserveHost(long bytes) {
    if (uploadedEnd != 0) {
      throw new IllegalStateException("put after upload");
    }
    long at = align(cursor);
    long end = at + bytes;
    ensureHost(end);
    cursor = end;
    return at;
  }

  private void ensureHost(long bytes) {
    if (pinned != null && pinned.byteSize() >= bytes) {
      return;
    }
    MemorySegment grown = driver.memAllocHost(capacity(bytes));
    if (pinned != null) {
      MemorySegment.copy(pinned, 0, grown, 0, Math.min(cursor, pinned.byteSize()));
      driver.memFreeHost(pinned);
    }
    pinned = grown;
  }

  /** Grows the device buffer; nothing of an earlier call is pending (calls end synchronised). */
  private void ensureDevice(long bytes) {
    if (bytes <= deviceBytes) {
      return;
    }
    // a grown device buffer also needs pinned room for downloads at the same offsets
    ensureHost(bytes);
    long size = capacity(bytes);
    if (deviceBytes > 0) {
      driver.memFree(device);
      deviceBytes = 0;
    }
    device = driver.memAlloc(size);
    deviceBytes = size;
  }

  /** Grows the device buffer after the upload: the uploaded bytes are copied over on the stream. */
  private void growDeviceKeeping(long bytes) {
    ensureHost(bytes);
    long size = capacity(bytes);
    long grown = driver.memAlloc(size);
    if (uploadedEnd > 0) {
      driver.memcpyDtoDAsync(grown, device, uploadedEnd, stream);
      driver.streamSynchronize(stream);
    }
    if (deviceBytes > 0) {
      driver.memFree(device);
    }
    device = grown;
    deviceBytes = size;
  }

  private static long capacity(long bytes) {
    return Math.max(1L << 20, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
  }

  private static long align(long at) {
    return (at + ALIGN - 1) / ALIGN * ALIGN;
  }

  @Override
  public void close() {
    if (deviceBytes > 0) {
      driver.memFree(device);
      deviceBytes = 0;
    }
    if (pinned != null) {
      driver.memFreeHost(pinned);
      pinned = null;
    }
  }
}
