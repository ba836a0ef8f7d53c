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
 * @param residualNorms ‖A·v_j − λ_j·v_j‖ per pair when an iterative route (Lanczos) computed the
 *     pairs, recomputed from the operator; empty for the exact routes (structural and dense), whose
 *     residuals are at rounding level and not measured
 */
public record Eigendecomposition(double[] values, LinearOperator vectors, double[] residualNorms) {
  public Eigendecomposition {
    values = values.clone();
    residualNorms = residualNorms.clone();
  }

  /** An exact decomposition (no residuals measured). */
  public Eigendecomposition(double[] values, LinearOperator vectors) {
    this(values, vectors, new double[0]);
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public double[] residualNorms() {
    return residualNorms.clone();
  }

  /** V as a dense n×k matrix (O(n²k) through the operator). */
  public Matrix toDense() {
    return vectors.toDense();
  }
}
