package structura.algorithms.structured;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import structura.api.operator.LinearOperator;

/** Shorthands for writing rows of the dispatch table; package-private. */
final class Rules {
  /** Precedence of rules keyed on an operator class. */
  static final int STRUCTURAL = 100;
  /** Precedence of rules keyed on a structure tag (orthogonal, PSD) of any operator. */
  static final int TAG = 50;
  /** Precedence of {@code Auto}'s iterative rule for PSD operators above its dense limit (CG). */
  static final int ITERATIVE = -5;
  /** Precedence of {@code Auto}'s iterative rule for other operators above its dense limit (GMRES). */
  static final int ITERATIVE_FALLBACK = -6;
  /** Precedence of the dense base rules (CoLA's {@code precedence=-1}). */
  static final int DENSE = -10;
  /** Precedence of {@code Auto}'s second dense choice (LU when not PSD). */
  static final int DENSE_FALLBACK = -20;

  private Rules() {}

  /** A structural rule for every algorithm, with no extra condition. */
  static <R> Rule<R> structural(LinalgFunction<R> f, String name, Class<? extends LinearOperator> op, Function<Call, R> impl) {
    return new Rule<>(f, name, op, Algorithm.class, STRUCTURAL, "", c -> true, impl);
  }

  /** A structural rule for every algorithm that applies when {@code test} holds. */
  static <R> Rule<R> structural(LinalgFunction<R> f, String name, Class<? extends LinearOperator> op, String condition,
      Predicate<Call> test, Function<Call, R> impl) {
    return new Rule<>(f, name, op, Algorithm.class, STRUCTURAL, condition, test, impl);
  }

  /** True when every operator in the list is square. */
  static boolean allSquare(List<LinearOperator> ops) {
    for (LinearOperator o : ops) {
      if (o.rows() != o.cols()) {
        return false;
      }
    }
    return true;
  }
}
