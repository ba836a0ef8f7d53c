package structura.algorithms.structured;

import java.util.function.Function;
import java.util.function.Predicate;
import structura.api.operator.LinearOperator;

/**
 * One row of the dispatch table: {@code function} of an operator that is an instance of
 * {@code operator}, requested with an algorithm that is an instance of {@code algorithm}, is
 * computed by {@code implementation} when {@code test} holds. Among the matching rules the one
 * of highest precedence runs; the table is checked so that no two rules of equal precedence can
 * match the same (function, operator class, algorithm class).
 *
 * @param function the function this rule computes
 * @param name the algebra it uses, as shown in docs/structured.md
 * @param operator the operator class it applies to (subclasses included)
 * @param algorithm the algorithm class it applies to ({@code Algorithm.class}: every algorithm)
 * @param precedence higher wins; structural rules 100, tag rules 50, dense base rules below 0
 * @param condition the extra requirement in words ("" when none), as shown in the docs
 * @param test the extra requirement as code
 * @param implementation computes the result
 * @param <R> the function's result type
 */
public record Rule<R>(LinalgFunction<R> function, String name, Class<? extends LinearOperator> operator,
    Class<? extends Algorithm> algorithm, int precedence, String condition, Predicate<Call> test,
    Function<Call, R> implementation) {

  /** True when this rule applies to {@code call}. */
  public boolean matches(Call call) {
    return operator.isInstance(call.operator()) && algorithm.isInstance(call.algorithm()) && test.test(call);
  }

  /** True when this rule could apply to operators of class {@code op} under algorithms of class {@code alg}. */
  public boolean coversClasses(Class<?> op, Class<?> alg) {
    return operator.isAssignableFrom(op) && algorithm.isAssignableFrom(alg);
  }
}
