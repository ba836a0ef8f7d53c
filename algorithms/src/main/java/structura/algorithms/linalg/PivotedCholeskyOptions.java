package structura.algorithms.linalg;

/**
 * Options of {@link PivotedCholesky}.
 *
 * @param maxRank stop after this many pivots; 0 (default) means n
 * @param traceTolerance stop when the trace of the residual A − L·Lᵀ is at most
 *     traceTolerance·trace(A); 0 (default) disables this stop. In [0, 1).
 * @param pivotTolerance stop when the largest residual diagonal entry is at most
 *     pivotTolerance·max_i A(i, i); 0 (default) stops only at a residual diagonal that is not
 *     positive. In [0, 1). On a Gram matrix XᵀX, rounding in the Gram leaves residual diagonals
 *     near u·‖X‖², so about 1e-12 marks where the Gram route has lost all accuracy.
 * @param blockSize pivots per panel between the level-3 updates of the residual matrix (explicit
 *     matrices only); default 64 (LAPACK's dpstrf uses the block size of its ILAENV, 64 for
 *     dpotrf)
 */
public record PivotedCholeskyOptions(int maxRank, double traceTolerance, double pivotTolerance, int blockSize) {
  /** Default block size. */
  public static final int DEFAULT_BLOCK_SIZE = 64;

  /** Validates. */
  public PivotedCholeskyOptions {
    if (maxRank < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "PivotedCholeskyOptions: maxRank = " + maxRank + " is negative.", "Pass 0 (up to n) or a positive rank.");
    }
    Checks.tolerance("PivotedCholeskyOptions", "traceTolerance", traceTolerance);
    Checks.tolerance("PivotedCholeskyOptions", "pivotTolerance", pivotTolerance);
    Checks.positive("PivotedCholeskyOptions", "blockSize", blockSize);
  }

  /** Rank and trace stops, no pivot tolerance, the default block size. */
  public PivotedCholeskyOptions(int maxRank, double traceTolerance) {
    this(maxRank, traceTolerance, 0, DEFAULT_BLOCK_SIZE);
  }

  /** Stop at {@code rank} pivots. */
  public static PivotedCholeskyOptions ofRank(int rank) {
    return new PivotedCholeskyOptions(rank, 0);
  }

  /** Stop at a relative residual trace. */
  public static PivotedCholeskyOptions ofTraceTolerance(double tol) {
    return new PivotedCholeskyOptions(0, tol);
  }
}
