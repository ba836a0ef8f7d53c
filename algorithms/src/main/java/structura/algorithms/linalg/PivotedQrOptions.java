package structura.algorithms.linalg;

/**
 * Options of {@link PivotedQr}.
 *
 * @param maxRank stop after this many columns; 0 (default) means min(m, n)
 * @param relativeTolerance stop before step k when |R[k,k]| ≤ relativeTolerance·|R[0,0]|, so the
 *     returned rank counts the leading diagonal entries above the threshold; 0 (default) never
 *     stops early except at an exactly zero residual. In [0, 1).
 * @param blockSize panel width of the blocked factorization (dlaqps); default 32. 1 runs the
 *     unblocked dlaqp2 throughout.
 * @param preprocessing whether to reduce A by unpivoted QR before pivoting; default
 *     {@link QrPreprocessing#AUTO}
 */
public record PivotedQrOptions(int maxRank, double relativeTolerance, int blockSize, QrPreprocessing preprocessing) {
  /** Validates. */
  public PivotedQrOptions {
    java.util.Objects.requireNonNull(preprocessing, "preprocessing");
    if (maxRank < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "PivotedQrOptions: maxRank = " + maxRank + " is negative.", "Pass 0 (full) or a positive rank.");
    }
    Checks.tolerance("PivotedQrOptions", "relativeTolerance", relativeTolerance);
    Checks.positive("PivotedQrOptions", "blockSize", blockSize);
  }

  /** With {@link QrPreprocessing#AUTO}. */
  public PivotedQrOptions(int maxRank, double relativeTolerance, int blockSize) {
    this(maxRank, relativeTolerance, blockSize, QrPreprocessing.AUTO);
  }

  /** The same options with the given preprocessing. */
  public PivotedQrOptions withPreprocessing(QrPreprocessing preprocessing) {
    return new PivotedQrOptions(maxRank, relativeTolerance, blockSize, preprocessing);
  }

  /** Full factorization, block size 32. */
  public static PivotedQrOptions defaults() {
    return new PivotedQrOptions(0, 0, 32);
  }

  /** Stop at {@code rank} columns. */
  public static PivotedQrOptions ofRank(int rank) {
    return new PivotedQrOptions(rank, 0, 32);
  }

  /** Stop at the relative tolerance. */
  public static PivotedQrOptions ofTolerance(double relativeTolerance) {
    return new PivotedQrOptions(0, relativeTolerance, 32);
  }
}
