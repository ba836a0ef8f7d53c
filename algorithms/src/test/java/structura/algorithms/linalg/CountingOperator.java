package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * A test double that forwards only the products of an operator, counting calls and vectors, and
 * fails the test on any attempt to densify it: an algorithm that passes with it reads the operator
 * through A·X and Aᵀ·Y alone.
 */
final class CountingOperator implements LinearOperator {
  private final LinearOperator inner;
  int applyCalls;
  int applyTransposeCalls;
  long vectors;

  CountingOperator(LinearOperator inner) {
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
    applyCalls++;
    vectors += x.cols();
    return inner.apply(x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    applyTransposeCalls++;
    vectors += y.cols();
    return inner.applyTranspose(y);
  }

  @Override
  public Matrix toDense() {
    throw new AssertionError("the operator was densified");
  }
}
