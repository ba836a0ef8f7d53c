package structura.api.operator;

import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * A linear map from {@code cols()}-vectors to {@code rows()}-vectors, applied to blocks of
 * vectors stored as the columns of a {@link Matrix}.
 *
 * <p>Only {@link #rows()}, {@link #cols()}, {@link #dtype()}, {@link #apply(Matrix)} and
 * {@link #applyTranspose(Matrix)} are required; the rest is derived and may be overridden with
 * something cheaper. The built-in operators (see {@link Operators}) override everything and apply at the cost of their
 * structure: a Kronecker product through its two factors, a low-rank operator through its
 * factors, never through a dense form.
 *
 * <p>Operators are immutable and thread-safe; {@code apply} never modifies its argument and
 * returns a new compact matrix.
 */
public interface LinearOperator {
  /** Number of rows m (length of output vectors). */
  int rows();

  /** Number of columns n (length of input vectors). */
  int cols();

  /** Element type of the operator, its inputs and its outputs. */
  DType dtype();

  /**
   * Returns {@code A·X} for X of shape n×k (k ≥ 0 vectors as columns); the result is m×k,
   * new and compact. Not modified: X.
   *
   * @throws structura.api.InvalidArgumentException if X has the wrong row count or dtype
   */
  Matrix apply(Matrix x);

  /**
   * Returns {@code Aᵀ·Y} for Y of shape m×k; the result is n×k, new and compact. Not modified: Y.
   *
   * <p>Required: there is no default, because any generic one has to form the dense matrix and
   * pick a backend for the product behind the caller's back. An operator without a cheaper
   * transpose can say so explicitly with
   * {@code Operators.dense(toDense(), compute).applyTranspose(y)}.
   *
   * @throws structura.api.InvalidArgumentException if Y has the wrong row count or dtype
   */
  Matrix applyTranspose(Matrix y);

  /** The transpose as an operator, simplified where algebra allows (see {@link Operators#transpose}). */
  default LinearOperator transpose() {
    return Operators.transpose(this);
  }

  /** The dense m×n matrix. The default applies the operator to the identity: n columns, O(cost of apply·n). */
  default Matrix toDense() {
    return apply(Matrix.identity(dtype(), cols()));
  }

  /** Structure this operator is known to have; empty when nothing is known. */
  default Set<Structure> structure() {
    return Set.of();
  }

  /** True when {@code structure()} contains {@code s}. */
  default boolean is(Structure s) {
    return structure().contains(s);
  }
}
