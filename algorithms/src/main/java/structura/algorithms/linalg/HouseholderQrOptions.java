package structura.algorithms.linalg;

/**
 * Options of {@link HouseholderQr}.
 *
 * @param blockSize panel width of the blocked factorization; default 64 (LAPACK's ilaenv gives 32
 *     for dgeqrf, whose panel is unblocked level-2 work; ours is recursive and runs on GEMMs, so a
 *     wider panel costs little there and halves the passes of the trailing update over memory:
 *     median 1.14 s against 1.29 s for 32 on the 8192×1024 benchmark, see docs/performance.md).
 *     Must be at least 1; 1 gives the unblocked algorithm.
 */
public record HouseholderQrOptions(int blockSize) {
  /** Validates. */
  public HouseholderQrOptions {
    Checks.positive("HouseholderQrOptions", "blockSize", blockSize);
  }

  /** Block size 64. */
  public static HouseholderQrOptions defaults() {
    return new HouseholderQrOptions(64);
  }
}
