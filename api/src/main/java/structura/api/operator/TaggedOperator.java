package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** An operator with structure declared by the user (as CoLA's annotations); everything else delegates. */
public final class TaggedOperator implements LinearOperator {
  private final LinearOperator inner;
  private final Set<Structure> declared;

  TaggedOperator(LinearOperator inner, Set<Structure> declared) {
    this.inner = inner;
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    s.addAll(declared);
    if (s.contains(Structure.PSD)) {
      s.add(Structure.SYMMETRIC);
    }
    this.declared = Set.copyOf(s);
  }

  /** The operator being tagged. */
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
    return inner.apply(x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return inner.applyTranspose(y);
  }

  @Override
  public Matrix toDense() {
    return inner.toDense();
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    s.addAll(inner.structure());
    s.addAll(declared);
    return s;
  }

  @Override
  public String toString() {
    return inner + declared.toString();
  }
}
