package structura.algorithms.structured;

import java.util.List;
import structura.api.operator.LinearOperator;

/**
 * A function of an operator that {@link Linalg} dispatches on structure, typed by its result.
 * {@code solve} is {@link #INVERSE} applied to the right-hand sides; {@code sqrt},
 * {@code inverseSqrt} and {@code apply(f, ·)} are {@link #MATRIX_FUNCTION} with f fixed.
 *
 * @param <R> the result type
 */
public final class LinalgFunction<R> {
  /** A⁻¹ as an operator (also serves solve). */
  public static final LinalgFunction<LinearOperator> INVERSE = new LinalgFunction<>("inverse");
  /** sign and log|det A|. */
  public static final LinalgFunction<LogDeterminant> LOGDET = new LinalgFunction<>("logdet");
  /** All eigenpairs of a symmetric A, ascending. */
  public static final LinalgFunction<Eigendecomposition> EIGH = new LinalgFunction<>("eigh");
  /**
   * The k algebraically smallest or largest eigenpairs of a symmetric A, ascending (k and the end
   * travel in the {@link Call}); iterative (Lanczos) for large unstructured operators.
   */
  public static final LinalgFunction<Eigendecomposition> EIGH_PARTIAL = new LinalgFunction<>("eigh(k)");
  /** All (complex) eigenvalues of a square A. */
  public static final LinalgFunction<Eigenvalues> EIG = new LinalgFunction<>("eig");
  /** f(A) = V·f(Λ)·Vᵀ for symmetric A, as an operator. */
  public static final LinalgFunction<LinearOperator> MATRIX_FUNCTION = new LinalgFunction<>("f(A)");
  /** Σ a_ii. */
  public static final LinalgFunction<Double> TRACE = new LinalgFunction<>("trace");
  /** (a_11, …, a_nn). */
  public static final LinalgFunction<double[]> DIAGONAL = new LinalgFunction<>("diagonal");

  private final String name;

  private LinalgFunction(String name) {
    this.name = name;
  }

  /** Every function, in a fixed order (the order of the documentation table). */
  public static List<LinalgFunction<?>> all() {
    return List.of(INVERSE, LOGDET, EIGH, EIGH_PARTIAL, EIG, MATRIX_FUNCTION, TRACE, DIAGONAL);
  }

  /** The short name used in the dispatch table and in error messages. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
