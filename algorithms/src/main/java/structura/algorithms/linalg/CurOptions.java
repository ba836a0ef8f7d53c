package structura.algorithms.linalg;

import java.util.Objects;

/**
 * Options of {@link CurDecomposition}.
 *
 * @param rank number of columns and rows k (at least 1)
 * @param blockSize panel width of the pivoted QRs; default 32
 * @param sketch row sketch of the column ID that chooses the columns; default
 *     {@link SketchKind#NONE} (deterministic). An operator input needs a sketch.
 * @param oversampling extra sketch rows beyond k; default 10
 * @param seed seed of the sketch; default 0
 */
public record CurOptions(int rank, int blockSize, SketchKind sketch, int oversampling, long seed) {
  /** Validates. */
  public CurOptions {
    Checks.positive("CurOptions", "rank", rank);
    Checks.positive("CurOptions", "blockSize", blockSize);
    Objects.requireNonNull(sketch, "sketch");
    if (oversampling < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "CurOptions: oversampling = " + oversampling + " is negative.",
          "Pass an oversampling of at least 0 (10 is the usual choice).");
    }
  }

  /** Deterministic CUR: rank k and block size, no sketch. */
  public CurOptions(int rank, int blockSize) {
    this(rank, blockSize, SketchKind.NONE, 10, 0);
  }

  /** Rank k, block size 32, no sketch. */
  public static CurOptions ofRank(int rank) {
    return new CurOptions(rank, 32);
  }

  /** Rank k with the columns chosen by a sketched ID (block size 32). */
  public static CurOptions sketched(int rank, SketchKind sketch, int oversampling, long seed) {
    return new CurOptions(rank, 32, sketch, oversampling, seed);
  }
}
