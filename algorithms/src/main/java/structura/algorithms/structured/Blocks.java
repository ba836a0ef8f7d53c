package structura.algorithms.structured;

import java.util.List;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/** Per-block evaluation of block-diagonal operators, blocks in parallel (common fork-join pool). */
final class Blocks {
  private Blocks() {}

  /** diag(f(A_1), …, f(A_t)) for an operator-valued f. */
  static LinearOperator map(Call c, LinalgFunction<LinearOperator> f) {
    List<LinearOperator> blocks = ((BlockDiagonalOperator) c.operator()).blocks();
    return Operators.blockDiagonal(each(c, f, blocks).toArray(LinearOperator[]::new));
  }

  /** f(A_i) for every block, computed in parallel, in block order. */
  static <R> List<R> each(Call c, LinalgFunction<R> f, List<LinearOperator> blocks) {
    return blocks.parallelStream().map(b -> c.recurse(f, b)).toList();
  }
}
