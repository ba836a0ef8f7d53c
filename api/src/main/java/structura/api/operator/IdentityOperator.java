package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** The n×n identity. {@code apply} copies its input. */
public final class IdentityOperator implements LinearOperator {
  private final int n;
  private final DType dtype;

  IdentityOperator(int n, DType dtype) {
    this.n = n;
    this.dtype = dtype;
  }

  @Override
  public int rows() {
    return n;
  }

  @Override
  public int cols() {
    return n;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, n, "apply");
    return x.copy();
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return apply(y);
  }

  @Override
  public Matrix toDense() {
    return Matrix.identity(dtype, n);
  }

  @Override
  public Set<Structure> structure() {
    return EnumSet.allOf(Structure.class);
  }

  @Override
  public String toString() {
    return "Identity(" + n + ")";
  }
}
