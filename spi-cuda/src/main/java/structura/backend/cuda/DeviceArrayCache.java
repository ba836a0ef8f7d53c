package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Device copies of small host arrays that calls pass again and again, keyed by content: the
 * pointer arrays of {@code gemmBatched} (two per attention layer, the same for every layer and
 * every batch of one shape) and the gather indices of an embedding lookup (positions and token
 * types repeat on every batch). A hit costs a hash and an equality test on the host and no
 * transfer; a miss allocates device memory and uploads. Uploading from pageable memory may
 * synchronise the stream, so in a forward pass a miss per call would stall the device on every
 * layer; with the cache a steady-state pass uploads only its word ids.
 *
 * <p>At most {@link #CAPACITY} entries, least recently used evicted (their memory is freed after
 * the stream drains, as queued work may still read it). Used under the context's lock with the
 * context current; not thread-safe by itself.
 */
final class DeviceArrayCache implements AutoCloseable {
  /** Entries kept: a few shapes' worth of attention pointer arrays and embedding indices. */
  static final int CAPACITY = 64;

  private record Key(long[] longs, int[] ints, int hash) {
    static Key of(long[] a) {
      return new Key(a.clone(), null, 31 * Arrays.hashCode(a) + 1);
    }

    static Key of(int[] a) {
      return new Key(null, a.clone(), 31 * Arrays.hashCode(a) + 2);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.equals(longs, k.longs) && Arrays.equals(ints, k.ints);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final CudaContext cx;
  private final LinkedHashMap<Key, Long> entries = new LinkedHashMap<>(16, 0.75f, true);

  DeviceArrayCache(CudaContext cx) {
    this.cx = cx;
  }

  /** The device address of a copy of {@code values} (64-bit elements). */
  long of(long[] values) {
    Key probe = new Key(values, null, 31 * Arrays.hashCode(values) + 1);
    Long hit = entries.get(probe);
    return hit != null ? hit : insert(Key.of(values), (long) values.length * Long.BYTES,
        host -> MemorySegment.copy(values, 0, host, JAVA_LONG, 0, values.length));
  }

  /** The device address of a copy of {@code values} (32-bit elements). */
  long of(int[] values) {
    Key probe = new Key(null, values, 31 * Arrays.hashCode(values) + 2);
    Long hit = entries.get(probe);
    return hit != null ? hit : insert(Key.of(values), (long) values.length * Integer.BYTES,
        host -> MemorySegment.copy(values, 0, host, JAVA_INT, 0, values.length));
  }

  private long insert(Key key, long bytes, java.util.function.Consumer<MemorySegment> fill) {
    if (entries.size() >= CAPACITY) {
      Map.Entry<Key, Long> eldest = entries.entrySet().iterator().next();
      cx.synchronize();  // queued work may still read the evicted copy
      cx.driver.memFree(eldest.getValue());
      entries.remove(eldest.getKey());
    }
    long device = cx.driver.memAlloc(Math.max(bytes, 8));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment host = arena.allocate(Math.max(bytes, 8), 8);
      fill.accept(host);
      cx.driver.memcpyHtoDAsync(device, host, bytes, cx.stream);
    }
    entries.put(key, device);
    return device;
  }

  /** Frees every copy; called with the lock held, the context current and the stream drained. */
  @Override
  public void close() {
    for (long p : entries.values()) {
      cx.driver.memFree(p);
    }
    entries.clear();
  }
}
