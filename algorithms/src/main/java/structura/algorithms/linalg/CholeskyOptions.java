package structura.algorithms.linalg;

/**
 * Options of {@link Cholesky}.
 *
 * @param blockSize panel width of the blocked factorization; default 64. At least 1; 1 gives the
 *     unblocked (level-2) algorithm.
 */
public record CholeskyOptions(int blockSize) {
  /** Validates. */
  public CholeskyOptions {
    Checks.positive("CholeskyOptions", "blockSize", blockSize);
  }

  /** Block size 64. */
  public static CholeskyOptions defaults() {
    return new CholeskyOptions(64);
  }
}
