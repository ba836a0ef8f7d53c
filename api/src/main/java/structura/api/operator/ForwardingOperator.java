package structura.api.operator;

import structura.api.DType;
import structura.api.Matrix;

/** Base of operators that wrap another and forward shape, dtype and application to it. */
abstract class ForwardingOperator implements LinearOperator {
  final LinearOperator inner;

  ForwardingOperator(LinearOperator inner) {
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
}
