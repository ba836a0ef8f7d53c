package structura.api.operator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * diag(A₁, …, A_t): blocks on the diagonal, zeros elsewhere; blocks may be rectangular. Each
 * block is applied to its own slice of the input rows: the cost is the sum of the blocks' costs.
 */
public final class BlockDiagonalOperator implements LinearOperator {
  private final List<LinearOperator> blocks;
  private final int rows;
  private final int cols;

  BlockDiagonalOperator(List<LinearOperator> blocks) {
    this.blocks = List.copyOf(blocks);
    int r = 0;
    int c = 0;
    for (LinearOperator b : this.blocks) {
      r = Math.addExact(r, b.rows());
      c = Math.addExact(c, b.cols());
    }
    this.rows = r;
    this.cols = c;
  }

  /** The diagonal blocks, top-left first. */
  public List<LinearOperator> blocks() {
    return blocks;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public DType dtype() {
    return blocks.get(0).dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols, "apply");
    return applyBlocks(x, false);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows, "applyTranspose");
    return applyBlocks(y, true);
  }

  private Matrix applyBlocks(Matrix x, boolean transpose) {
    Matrix out = Matrix.zeros(dtype(), transpose ? cols : rows, x.cols());
    int in = 0;
    int at = 0;
    for (LinearOperator b : blocks) {
      int bin = transpose ? b.rows() : b.cols();
      int bout = transpose ? b.cols() : b.rows();
      Matrix slice = x.view(in, 0, bin, x.cols());
      out.view(at, 0, bout, x.cols()).copyFrom(transpose ? b.applyTranspose(slice) : b.apply(slice));
      in += bin;
      at += bout;
    }
    return out;
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype(), rows, cols);
    int r = 0;
    int c = 0;
    for (LinearOperator b : blocks) {
      out.view(r, c, b.rows(), b.cols()).copyFrom(b.toDense());
      r += b.rows();
      c += b.cols();
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.allOf(Structure.class);
    for (LinearOperator b : blocks) {
      s.retainAll(b.structure());
    }
    return s;
  }

  @Override
  public String toString() {
    return "BlockDiag" + blocks;
  }
}
