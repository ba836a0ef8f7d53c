package structura.algorithms.linalg;

/**
 * Options of {@link PivotedCholesky}.
 *
 * @param maxRank stop after this many pivots; 0 (default) means n
 * @param traceTolerance stop when the trace of the residual A − L·Lᵀ is at most
 *     traceTolerance·trace(A); 0 (default) stops only at maxRank or a non-positive residual
 *     diagonal. In [0, 1).
 */
public record PivotedCholeskyOptions(int maxRank, double traceTolerance) {
  /** Validates. */
  public PivotedCholeskyOptions {
    if (maxRank < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          "PivotedCholeskyOptions: maxRank = " + maxRank + " is negative.", "Pass 0 (up to n) or a positive rank.");
    }
    Checks.tolerance("PivotedCholeskyOptions", "traceTolerance", traceTolerance);
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
