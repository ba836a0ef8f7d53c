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
 *     remaining columns (default true). Takes effect only when the backend has two or more host
 *     threads ({@link structura.api.backend.Backend#hostThreads()}), for F64 inputs, and when
 *     there is more than one panel. The result is bit-identical either way; false is for
 *     measuring the difference.
 */
public record HouseholderQrOptions(int blockSize, boolean lookAhead) {
  /** Validates. */
  public HouseholderQrOptions {
    Checks.positive("HouseholderQrOptions", "blockSize", blockSize);
  }

  /** The given block size with the look-ahead on. */
  public HouseholderQrOptions(int blockSize) {
    this(blockSize, true);
  }

  /** Block size 64, look-ahead on. */
  public static HouseholderQrOptions defaults() {
    return new HouseholderQrOptions(64);
  }
}
