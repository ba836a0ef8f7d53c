package structura.algorithms.structured;

import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * A = V·diag(values)·Vᵀ for symmetric A (or the k eigenpairs asked for): eigenvalues in
 * ascending order, eigenvectors as the orthonormal columns of an n×k operator V, structured
 * where the operator was (a Kronecker product of the factors' eigenvectors, a block-diagonal of
 * the blocks', each followed by the permutation that sorts the values), dense otherwise.
 *
 * @param values eigenvalues, ascending
 * @param vectors V, n×values.length, column j belonging to values[j]
 */
public record Eigendecomposition(double[] values, LinearOperator vectors) {
  public Eigendecomposition {
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** V as a dense n×k matrix (O(n²k) through the operator). */
  public Matrix toDense() {
    return vectors.toDense();
  }
}
