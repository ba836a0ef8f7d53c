package structura.algorithms.linalg;

/**
 * Options of {@link HouseholderQr}.
 *
 * @param blockSize panel width of the blocked factorization; default 64 (LAPACK's ilaenv gives 32
 *     for dgeqrf, whose panel is unblocked level-2 work; ours is recursive and runs on GEMMs, so a
 *     wider panel costs little there and halves the passes of the trailing update over memory:
 *     median 1.14 s against 1.29 s for 32 on the 8192×1024 benchmark, see docs/performance.md).
 *     Must be at least 1; 1 gives the unblocked algorithm.
 * @param lookAhead factor panel j+1 on a second thread while panel j's reflectors update the
 *     remaining columns (default false). Takes effect only when the backend has two or more host
 *     threads ({@link structura.api.backend.Backend#hostThreads()}), for F64 inputs, and when
 *     there is more than one panel. The result is bit-identical either way. Off by default
 *     because it did not win on the 2-core host it was measured on (8192×1024, 2 threads, load
 *     1.1–2.0: medians 0.803/0.805 s with it against 0.834/0.780 s without, positions swapped;
 *     docs/performance.md): the extra thread competes with the backend's own two GEMM threads.
 */
public record HouseholderQrOptions(int blockSize, boolean lookAhead) {
  /** Validates. */
  public HouseholderQrOptions {
    Checks.positive("HouseholderQrOptions", "blockSize", blockSize);
  }

  /** The given block size without the look-ahead. */
  public HouseholderQrOptions(int blockSize) {
    this(blockSize, false);
  }

  /** Block size 64, no look-ahead. */
  public static HouseholderQrOptions defaults() {
    return new HouseholderQrOptions(64);
  }
}
