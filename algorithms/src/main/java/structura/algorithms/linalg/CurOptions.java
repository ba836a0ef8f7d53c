package structura.algorithms.linalg;

/**
 * Options of {@link CurDecomposition}.
 *
 * @param rank number of columns and rows k (at least 1)
 * @param blockSize panel width of the pivoted QRs; default 32
 */
public record CurOptions(int rank, int blockSize) {
  /** Validates. */
  public CurOptions {
    Checks.positive("CurOptions", "rank", rank);
    Checks.positive("CurOptions", "blockSize", blockSize);
  }

  /** Rank k, block size 32. */
  public static CurOptions ofRank(int rank) {
    return new CurOptions(rank, 32);
  }
}
