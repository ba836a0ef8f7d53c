package structura.algorithms.structured;

/**
 * One measurement of {@link StructuredBenchmark}.
 *
 * @param operator the case, e.g. "kronecker 64x64 (x) 64x64 SPD"
 * @param function solve, logdet or eigh
 * @param n operator order
 * @param structuredSeconds best of up to ten runs (within about 2 s) of the structured route
 * @param denseSeconds the dense route at order n, measured once, or extrapolated as
 *     t(denseMeasuredN)·(n/denseMeasuredN)³ when {@code denseMeasuredN < n}
 * @param denseMeasuredN the order at which the dense route actually ran
 * @param relativeError structured vs dense result when the dense route ran at n (solution
 *     ‖Δx‖/‖x‖, |Δ log det|/|log det|, max|Δλ|/max|λ|); otherwise an independent check through
 *     the structured operator: ‖Ax − b‖/‖b‖ for solve, max ‖Av − λv‖/max|λ| over 16 eigenpairs
 *     for eigh
 */
public record StructuredBenchmarkRow(String operator, String function, int n, double structuredSeconds,
    double denseSeconds, int denseMeasuredN, double relativeError) {

  /** dense seconds / structured seconds. */
  public double speedup() {
    return denseSeconds / structuredSeconds;
  }
}
