package structura.api.operator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/** A₁ + A₂ + … + A_t, all of one shape. {@code apply} costs the sum of the terms' applies plus (t−1)mk flops. */
public final class SumOperator implements LinearOperator {
  private final List<LinearOperator> terms;

  SumOperator(List<LinearOperator> terms) {
    this.terms = List.copyOf(terms);
  }

  /** The terms, in order. */
  public List<LinearOperator> terms() {
    return terms;
  }

  @Override
  public int rows() {
    return terms.get(0).rows();
  }

  @Override
  public int cols() {
    return terms.get(0).cols();
  }

  @Override
  public DType dtype() {
    return terms.get(0).dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    Matrix out = terms.get(0).apply(x);
    for (int t = 1; t < terms.size(); t++) {
      Operators.addInPlace(out, terms.get(t).apply(x));
    }
    return out;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    Matrix out = terms.get(0).applyTranspose(y);
    for (int t = 1; t < terms.size(); t++) {
      Operators.addInPlace(out, terms.get(t).applyTranspose(y));
    }
    return out;
  }

  @Override
  public Matrix toDense() {
    Matrix out = terms.get(0).toDense();
    for (int t = 1; t < terms.size(); t++) {
      Operators.addInPlace(out, terms.get(t).toDense());
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    boolean symmetric = true;
    boolean psd = true;
    for (LinearOperator t : terms) {
      symmetric &= t.is(Structure.SYMMETRIC);
      psd &= t.is(Structure.PSD);
    }
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    if (symmetric) {
      s.add(Structure.SYMMETRIC);
    }
    if (psd) {
      s.add(Structure.PSD);
    }
    return s;
  }

  @Override
  public String toString() {
    return "Sum" + terms;
  }
}
