package structura.algorithms.linalg;

import java.util.Objects;

/**
 * Options of {@link InterpolativeDecomposition}.
 *
 * @param rank number of skeleton columns (rows) k; 0 (default) chooses it by
 *     {@code relativeTolerance}
 * @param relativeTolerance with {@code rank == 0}: k = number of leading pivots with
 *     |R(k,k)| &gt; tol·|R(0,0)|; with a rank set, an additional early stop (0 disables, as in
 *     {@link #ofRank}). In [0, 1).
 * @param sketch row sketch applied before pivoting; default {@link SketchKind#NONE}
 *     (deterministic). Sketching needs {@code rank > 0}.
 * @param oversampling extra sketch rows beyond k (s = k + oversampling, capped at m); default 10
 * @param seed seed of the sketch's random numbers; default 0
 * @param blockSize panel width of the pivoted QR; default 32
 */
public record InterpolativeDecompositionOptions(int rank, double relativeTolerance, SketchKind sketch,
    int oversampling, long seed, int blockSize) {
  /** Validates. */
  public InterpolativeDecompositionOptions {
    if (rank < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "InterpolativeDecompositionOptions: rank = " + rank + " is negative.",
          "Pass a positive rank, or 0 to choose it by relativeTolerance.");
    }
    Checks.tolerance("InterpolativeDecompositionOptions", "relativeTolerance", relativeTolerance);
    Objects.requireNonNull(sketch, "sketch");
    if (oversampling < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "InterpolativeDecompositionOptions: oversampling = " + oversampling + " is negative.",
          "Pass an oversampling of at least 0 (10 is the usual choice).");
    }
    if (sketch != SketchKind.NONE && rank == 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "InterpolativeDecompositionOptions: sketch " + sketch + " needs a rank (the sketch size is rank + oversampling).",
          "Set rank > 0, or use SketchKind.NONE with a tolerance.");
    }
    Checks.positive("InterpolativeDecompositionOptions", "blockSize", blockSize);
  }

  /** Deterministic ID at a fixed rank. */
  public static InterpolativeDecompositionOptions ofRank(int rank) {
    return new InterpolativeDecompositionOptions(rank, 0, SketchKind.NONE, 10, 0, 32);
  }

  /** Deterministic ID with the rank chosen by a relative tolerance. */
  public static InterpolativeDecompositionOptions ofTolerance(double relativeTolerance) {
    return new InterpolativeDecompositionOptions(0, relativeTolerance, SketchKind.NONE, 10, 0, 32);
  }

  /** Sketched ID at a fixed rank. */
  public static InterpolativeDecompositionOptions sketched(int rank, SketchKind sketch, int oversampling, long seed) {
    return new InterpolativeDecompositionOptions(rank, 0, sketch, oversampling, seed, 32);
  }
}
