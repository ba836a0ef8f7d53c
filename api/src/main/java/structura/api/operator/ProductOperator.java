package structura.api.operator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * A₁·A₂·…·A_t, applied right to left without forming the product: the cost is the sum of the
 * factors' applies. Symmetric and PSD when it has the form Bᵀ·B or B·Bᵀ.
 */
public final class ProductOperator implements LinearOperator {
  private final List<LinearOperator> factors;

  ProductOperator(List<LinearOperator> factors) {
    this.factors = List.copyOf(factors);
  }

  /** The factors, leftmost first. */
  public List<LinearOperator> factors() {
    return factors;
  }

  @Override
  public int rows() {
    return factors.get(0).rows();
  }

  @Override
  public int cols() {
    return factors.get(factors.size() - 1).cols();
  }

  @Override
  public DType dtype() {
    return factors.get(0).dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    Matrix v = x;
    for (int t = factors.size() - 1; t >= 0; t--) {
      v = factors.get(t).apply(v);
    }
    return v == x ? x.copy() : v;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    Matrix v = y;
    for (LinearOperator f : factors) {
      v = f.applyTranspose(v);
    }
    return v == y ? y.copy() : v;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    if (factors.size() == 2 && isTransposePair(factors.get(0), factors.get(1))) {
      s.add(Structure.SYMMETRIC);
      s.add(Structure.PSD);
    }
    boolean orthogonal = true;
    for (LinearOperator f : factors) {
      orthogonal &= f.is(Structure.ORTHOGONAL);
    }
    if (orthogonal) {
      s.add(Structure.ORTHOGONAL);
    }
    return s;
  }

  private static boolean isTransposePair(LinearOperator left, LinearOperator right) {
    return (left instanceof TransposedOperator t && t.inner() == right)
        || (right instanceof TransposedOperator t2 && t2.inner() == left);
  }

  @Override
  public String toString() {
    return "Product" + factors;
  }
}
