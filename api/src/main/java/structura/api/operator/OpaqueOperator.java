package structura.api.operator;

import structura.api.DType;
import structura.api.Matrix;

/**
 * An operator with its structure hidden: only {@code apply} and {@code applyTranspose} are
 * forwarded, so no simplification rule can see through it. The generic baseline against which
 * structure-exploiting dispatch is checked (CoLA's test strategy).
 */
public final class OpaqueOperator implements LinearOperator {
  private final LinearOperator inner;

  OpaqueOperator(LinearOperator inner) {
    this.inner = inner;
  }

  @Override
  public int rows() {
    return inner.rows();
  }

  @Override
  public int cols() {
    return inner.cols();
  }

  @Override
  public DType dtype() {
    return inner.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    return inner.apply(x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return inner.applyTranspose(y);
  }

  @Override
  public String toString() {
    return "Opaque(" + rows() + "x" + cols() + ")";
  }
}
