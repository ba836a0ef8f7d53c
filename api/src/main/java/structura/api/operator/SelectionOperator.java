package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Row selection S with (S·x)_i = x_{idx[i]}: an idx.length × n matrix of unit rows. Indices may
 * repeat. Its transpose is the {@link ScatterOperator} with the same indices. Cost: a copy of
 * idx.length·k entries.
 */
public final class SelectionOperator implements LinearOperator {
  private final int[] indices;
  private final int sourceSize;
  private final DType dtype;

  SelectionOperator(int[] indices, int sourceSize, DType dtype) {
    this.indices = indices.clone();
    this.sourceSize = sourceSize;
    this.dtype = dtype;
  }

  /** The selected source indices, a copy. */
  public int[] indices() {
    return indices.clone();
  }

  @Override
  public int rows() {
    return indices.length;
  }

  @Override
  public int cols() {
    return sourceSize;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, sourceSize, "apply");
    return gather(indices, x, dtype);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, indices.length, "applyTranspose");
    return ScatterOperator.scatter(indices, sourceSize, y, dtype);
  }

  static Matrix gather(int[] indices, Matrix x, DType dtype) {
    Matrix out = Matrix.zeros(dtype, indices.length, x.cols());
    for (int i = 0; i < indices.length; i++) {
      out.view(i, 0, 1, x.cols()).copyFrom(x.view(indices[i], 0, 1, x.cols()));
    }
    return out;
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype, rows(), cols());
    for (int i = 0; i < indices.length; i++) {
      out.set(i, indices[i], 1);
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    return isPermutation(indices, sourceSize) ? EnumSet.of(Structure.ORTHOGONAL) : EnumSet.noneOf(Structure.class);
  }

  static boolean isPermutation(int[] indices, int n) {
    if (indices.length != n) {
      return false;
    }
    boolean[] seen = new boolean[n];
    for (int i : indices) {
      if (seen[i]) {
        return false;
      }
      seen[i] = true;
    }
    return true;
  }

  @Override
  public String toString() {
    return "Select(" + indices.length + " of " + sourceSize + ")";
  }
}
