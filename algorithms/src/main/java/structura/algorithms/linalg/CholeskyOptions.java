package structura.algorithms.linalg;

/**
 * Options of {@link Cholesky}.
 *
 * @param blockSize width of the steps inside each outer panel of the blocked factorization
 *     (whose width is the largest multiple of it up to 256, at least one block); default 64. At
 *     least 1; 1 gives level-2 steps inside the outer panels.
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
