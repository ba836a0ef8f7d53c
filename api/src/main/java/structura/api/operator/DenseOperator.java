package structura.api.operator;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * An explicit m×n matrix. {@code apply} to an n×k block is one GEMM on the given {@link Compute}
 * (2mnk flops); to one column (k = 1, every step of a Krylov method) it is one GEMV, which streams
 * the matrix once instead of packing it (5–8× faster for a 10,000² F64 matrix on the vector
 * backend). The matrix is not copied; do not modify it while the operator is in use.
 */
public final class DenseOperator implements LinearOperator {
  private final Matrix matrix;
  private final Compute compute;

  DenseOperator(Matrix matrix, Compute compute) {
    this.matrix = Objects.requireNonNull(matrix, "matrix");
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** The wrapped matrix (not a copy). */
  public Matrix matrix() {
    return matrix;
  }

  /** The compute the GEMMs run on. */
  public Compute compute() {
    return compute;
  }

  @Override
  public int rows() {
    return matrix.rows();
  }

  @Override
  public int cols() {
    return matrix.cols();
  }

  @Override
  public DType dtype() {
    return matrix.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    return product(Transpose.N, x, rows());
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return product(Transpose.T, y, cols());
  }

  /** op(A)·x as a new matrix: GEMV for one column, GEMM for a block. */
  private Matrix product(Transpose t, Matrix x, int outRows) {
    if (x.cols() == 1 && x.dtype() == matrix.dtype()) {
      Matrix y = Matrix.zeros(x.dtype(), outRows, 1);
      compute.gemv(t, 1.0, matrix, x, 0.0, y);
      return y;
    }
    return compute.multiply(t, matrix, Transpose.N, x);
  }

  @Override
  public Matrix toDense() {
    return matrix.copy();
  }

  @Override
  public Set<Structure> structure() {
    return EnumSet.noneOf(Structure.class);
  }

  @Override
  public String toString() {
    return "Dense(" + rows() + "x" + cols() + ")";
  }
}
