package structura.api.operator;

import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** Aᵀ, applied through A's {@code applyTranspose}. Transposing it again gives back A. */
public final class TransposedOperator implements LinearOperator {
  private final LinearOperator inner;

  TransposedOperator(LinearOperator inner) {
    this.inner = inner;
  }

  /** The operator A whose transpose this is. */
  public LinearOperator inner() {
    return inner;
  }

  @Override
  public int rows() {
    return inner.cols();
  }

  @Override
  public int cols() {
    return inner.rows();
  }

  @Override
  public DType dtype() {
    return inner.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    return inner.applyTranspose(x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return inner.apply(y);
  }

  @Override
  public LinearOperator transpose() {
    return inner;
  }

  @Override
  public Matrix toDense() {
    return inner.toDense().transposeCopy();
  }

  @Override
  public Set<Structure> structure() {
    return inner.structure();
  }

  @Override
  public String toString() {
    return "Transpose(" + inner + ")";
  }
}
