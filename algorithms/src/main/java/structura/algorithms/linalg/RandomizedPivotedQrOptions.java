package structura.algorithms.linalg;

/**
 * Options of {@link RandomizedPivotedQr}.
 *
 * @param maxRank stop after this many columns; 0 (default) means min(m, n)
 * @param relativeTolerance stop at the first |R(k,k)| ≤ tol·|R(0,0)|; 0 (default) disables. In [0, 1).
 * @param blockSize columns chosen per sketch pivoting step, b; default 32
 * @param oversampling extra sketch rows p (the sketch has b + p rows); default 10
 * @param seed seed of the Gaussian sketch; default 0
 * @param preprocessing whether to reduce A to R₁ by unpivoted QR first; default
 *     {@link QrPreprocessing#AUTO}, the rule of {@link PivotedQr}
 */
public record RandomizedPivotedQrOptions(int maxRank, double relativeTolerance, int blockSize, int oversampling,
    long seed, QrPreprocessing preprocessing) {
  /** With {@link QrPreprocessing#AUTO}. */
  public RandomizedPivotedQrOptions(int maxRank, double relativeTolerance, int blockSize, int oversampling, long seed) {
    this(maxRank, relativeTolerance, blockSize, oversampling, seed, QrPreprocessing.AUTO);
  }

  /** The same options with the given preprocessing. */
  public RandomizedPivotedQrOptions withPreprocessing(QrPreprocessing preprocessing) {
    return new RandomizedPivotedQrOptions(maxRank, relativeTolerance, blockSize, oversampling, seed, preprocessing);
  }

  /** Validates. */
  public RandomizedPivotedQrOptions {
    java.util.Objects.requireNonNull(preprocessing, "preprocessing");
    if (maxRank < 0 || oversampling < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "RandomizedPivotedQrOptions: maxRank (" + maxRank + ") and oversampling (" + oversampling
              + ") must be non-negative.", "Pass 0 or positive values.");
    }
    Checks.tolerance("RandomizedPivotedQrOptions", "relativeTolerance", relativeTolerance);
    Checks.positive("RandomizedPivotedQrOptions", "blockSize", blockSize);
  }

  /** Full factorization with b = 32, p = 10, seed 0. */
  public static RandomizedPivotedQrOptions defaults() {
    return new RandomizedPivotedQrOptions(0, 0, 32, 10, 0);
  }

  /** Stop at {@code rank}, b = 32, p = 10, the given seed. */
  public static RandomizedPivotedQrOptions ofRank(int rank, long seed) {
    return new RandomizedPivotedQrOptions(rank, 0, 32, 10, seed);
  }
}
