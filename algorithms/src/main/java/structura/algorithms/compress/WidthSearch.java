package structura.algorithms.compress;

import java.util.function.DoubleUnaryOperator;

/**
 * The one search from a cost target to a width fraction, sparsity or rank ratio: bisection of a
 * monotone, usually stepwise, cost on an interval. The caller has checked (with
 * {@link BudgetCosts#requireReachable}) that the end it calls {@code feasible} meets the target.
 * Sixty halvings resolve the boundary to 2⁻⁶⁰ of the interval, far below the step of any width
 * or rank (≥ 1/f), so the result sits on the last feasible step. Cost: 60 cost evaluations.
 */
final class WidthSearch {
  /** Halvings of the interval. */
  static final int ITERATIONS = 60;

  private WidthSearch() {}

  /**
   * The point nearest {@code infeasible} whose cost is at most {@code target}.
   *
   * @param feasible an end of the interval whose cost meets the target
   * @param infeasible the other end (it may be below or above {@code feasible})
   * @param cost the cost at a point; monotone between the ends
   * @return a point x with {@code cost(x) <= target}, within 2⁻⁶⁰·|infeasible − feasible| of the boundary
   */
  static double boundary(double feasible, double infeasible, DoubleUnaryOperator cost, double target) {
    double good = feasible;
    double bad = infeasible;
    for (int it = 0; it < ITERATIONS; it++) {
      double mid = (good + bad) / 2;
      if (cost.applyAsDouble(mid) <= target) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return good;
  }
}
