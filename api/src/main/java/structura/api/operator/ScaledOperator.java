package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** alpha·A. {@code apply} costs one apply of A plus mk flops. */
public final class ScaledOperator implements LinearOperator {
  private final double alpha;
  private final LinearOperator inner;

  ScaledOperator(double alpha, LinearOperator inner) {
    this.alpha = alpha;
    this.inner = inner;
  }

  /** The scalar. */
  public double alpha() {
    return alpha;
  }

  /** The scaled operator A. */
  public LinearOperator inner() {
    return inner;
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
    Operators.requireInput(this, x, cols(), "apply");
    return Operators.scaledInPlace(inner.apply(x), alpha);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return Operators.scaledInPlace(inner.applyTranspose(y), alpha);
  }

  @Override
  public Matrix toDense() {
    return Operators.scaledInPlace(inner.toDense(), alpha);
  }

  @Override
  public Set<Structure> structure() {
    Set<Structure> in = inner.structure();
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    if (in.contains(Structure.SYMMETRIC)) {
      s.add(Structure.SYMMETRIC);
    }
    if (in.contains(Structure.PSD) && alpha >= 0) {
      s.add(Structure.PSD);
    }
    if (in.contains(Structure.ORTHOGONAL) && Math.abs(alpha) == 1) {
      s.add(Structure.ORTHOGONAL);
    }
    return s;
  }

  @Override
  public String toString() {
    return alpha + "*" + inner;
  }
}
