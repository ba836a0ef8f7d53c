package structura.algorithms.structured;

import java.util.function.DoubleUnaryOperator;
import structura.api.operator.LinearOperator;

/**
 * One request to the dispatch table: the operator, the algorithm, the scalar function (for
 * {@link LinalgFunction#MATRIX_FUNCTION}; null otherwise), the table that answers sub-problems,
 * so a rule for A⊗B can ask the same table for A's and B's answers, and, for
 * {@link LinalgFunction#EIGH_PARTIAL}, how many eigenpairs from which end.
 *
 * @param operator the operator the function is applied to
 * @param algorithm the algorithm requested by the caller
 * @param scalarFunction f for matrix functions, else null
 * @param table the table rules recurse into
 * @param wanted k, the number of eigenpairs of an {@code EIGH_PARTIAL} request; 0 otherwise
 * @param which the end of the spectrum of an {@code EIGH_PARTIAL} request; null otherwise
 */
public record Call(LinearOperator operator, Algorithm algorithm, DoubleUnaryOperator scalarFunction, DispatchTable table,
    int wanted, Which which) {

  /** A request that is not for a partial spectrum. */
  public Call(LinearOperator operator, Algorithm algorithm, DoubleUnaryOperator scalarFunction, DispatchTable table) {
    this(operator, algorithm, scalarFunction, table, 0, null);
  }

  /** The same request on another operator (a factor, a block, a summand). */
  public Call on(LinearOperator other) {
    return new Call(other, algorithm, scalarFunction, table, wanted, which);
  }

  /** {@code function} of {@code other}, answered by the same table with the same algorithm. */
  public <R> R recurse(LinalgFunction<R> function, LinearOperator other) {
    return table.run(function, on(other));
  }

  /** The operator's order n (callers have checked it is square). */
  public int n() {
    return operator.rows();
  }
}
