package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** diag(d): an n×n diagonal matrix. {@code apply} scales rows: nk flops. */
public final class DiagonalOperator implements LinearOperator {
  private final double[] diagonal;
  private final DType dtype;

  DiagonalOperator(double[] diagonal, DType dtype) {
    this.diagonal = diagonal.clone();
    this.dtype = dtype;
    if (dtype == DType.F32) {
      for (int i = 0; i < this.diagonal.length; i++) {
        this.diagonal[i] = (float) this.diagonal[i];
      }
    }
  }

  /** A copy of the diagonal entries. */
  public double[] diagonal() {
    return diagonal.clone();
  }

  double entry(int i) {
    return diagonal[i];
  }

  @Override
  public int rows() {
    return diagonal.length;
  }

  @Override
  public int cols() {
    return diagonal.length;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    Matrix out = Matrix.zeros(dtype, x.rows(), x.cols());
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.cols(); j++) {
        out.set(i, j, diagonal[i] * x.get(i, j));
      }
    }
    return out;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return apply(y);
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype, rows(), cols());
    for (int i = 0; i < diagonal.length; i++) {
      out.set(i, i, diagonal[i]);
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.of(Structure.SYMMETRIC);
    boolean psd = true;
    boolean orthogonal = true;
    for (double d : diagonal) {
      psd &= d >= 0;
      orthogonal &= Math.abs(d) == 1;
    }
    if (psd) {
      s.add(Structure.PSD);
    }
    if (orthogonal) {
      s.add(Structure.ORTHOGONAL);
    }
    return s;
  }

  @Override
  public String toString() {
    return "Diagonal(" + rows() + ")";
  }
}
