package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Scatter Sᵀ with (Sᵀ·x)_j = Σ_{i : idx[i] = j} x_i: an n × idx.length matrix, the transpose of
 * a {@link SelectionOperator}. Rows of the output that no index names are zero. Cost: one
 * pass over idx.length·k entries.
 */
public final class ScatterOperator implements LinearOperator {
  private final int[] indices;
  private final int targetSize;
  private final DType dtype;

  ScatterOperator(int[] indices, int targetSize, DType dtype) {
    this.indices = indices.clone();
    this.targetSize = targetSize;
    this.dtype = dtype;
  }

  /** The target indices, a copy. */
  public int[] indices() {
    return indices.clone();
  }

  @Override
  public int rows() {
    return targetSize;
  }

  @Override
  public int cols() {
    return indices.length;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, indices.length, "apply");
    return scatter(indices, targetSize, x, dtype);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, targetSize, "applyTranspose");
    return SelectionOperator.gather(indices, y, dtype);
  }

  static Matrix scatter(int[] indices, int targetSize, Matrix x, DType dtype) {
    Matrix out = Matrix.zeros(dtype, targetSize, x.cols());
    for (int i = 0; i < indices.length; i++) {
      for (int j = 0; j < x.cols(); j++) {
        out.set(indices[i], j, out.get(indices[i], j) + x.get(i, j));
      }
    }
    return out;
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype, rows(), cols());
    for (int i = 0; i < indices.length; i++) {
      out.set(indices[i], i, 1);
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    return SelectionOperator.isPermutation(indices, targetSize) ? EnumSet.of(Structure.ORTHOGONAL) : EnumSet.noneOf(Structure.class);
  }

  @Override
  public String toString() {
    return "Scatter(" + indices.length + " into " + targetSize + ")";
  }
}
