package structura.algorithms.linalg;

/**
 * Options of {@link HouseholderQr}.
 *
 * @param blockSize panel width of the blocked factorization; default 32 (LAPACK's usual ilaenv
 *     value for dgeqrf). Must be at least 1; 1 gives the unblocked algorithm.
 */
public record HouseholderQrOptions(int blockSize) {
  /** Validates. */
  public HouseholderQrOptions {
    Checks.positive("HouseholderQrOptions", "blockSize", blockSize);
  }

  /** Block size 32. */
  public static HouseholderQrOptions defaults() {
    return new HouseholderQrOptions(32);
  }
}
