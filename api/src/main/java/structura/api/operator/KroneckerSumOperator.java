package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * The Kronecker sum A ⊕ B = A⊗I_m + I_n⊗B of square A (n×n) and B (m×m): an nm×nm operator
 * (the discrete Laplacian on a grid is one). Applied through its factors, never densely: the
 * two Kronecker terms cost one apply of A to an n×(m·k) block and n applies of B to m×k blocks,
 * O(k·(n²m + nm²)) for dense factors instead of O(k·n²m²).
 *
 * <p>Its eigenpairs come from the factors': if A = U·diag(λ)·Uᵀ and B = V·diag(μ)·Vᵀ then
 * A ⊕ B = (U⊗V)·diag(λ_i + μ_j)·(U⊗V)ᵀ.
 */
public final class KroneckerSumOperator implements LinearOperator {
  private final LinearOperator left;
  private final LinearOperator right;
  private final LinearOperator leftTerm;
  private final LinearOperator rightTerm;

  KroneckerSumOperator(LinearOperator left, LinearOperator right) {
    this.left = left;
    this.right = right;
    this.leftTerm = new KroneckerOperator(left, new IdentityOperator(right.rows(), right.dtype()));
    this.rightTerm = new KroneckerOperator(new IdentityOperator(left.rows(), left.dtype()), right);
  }

  /** A, the left (n×n) summand. */
  public LinearOperator left() {
    return left;
  }

  /** B, the right (m×m) summand. */
  public LinearOperator right() {
    return right;
  }

  @Override
  public int rows() {
    return Math.multiplyExact(left.rows(), right.rows());
  }

  @Override
  public int cols() {
    return rows();
  }

  @Override
  public DType dtype() {
    return left.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    Matrix out = leftTerm.apply(x);
    Operators.addInPlace(out, rightTerm.apply(x));
    return out;
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    Matrix out = leftTerm.applyTranspose(y);
    Operators.addInPlace(out, rightTerm.applyTranspose(y));
    return out;
  }

  @Override
  public LinearOperator transpose() {
    return new KroneckerSumOperator(left.transpose(), right.transpose());
  }

  @Override
  public Matrix toDense() {
    Matrix out = leftTerm.toDense();
    Operators.addInPlace(out, rightTerm.toDense());
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    if (left.is(Structure.SYMMETRIC) && right.is(Structure.SYMMETRIC)) {
      s.add(Structure.SYMMETRIC);
    }
    if (left.is(Structure.PSD) && right.is(Structure.PSD)) {
      s.add(Structure.PSD);
    }
    return s;
  }

  @Override
  public String toString() {
    return "KronSum(" + left + ", " + right + ")";
  }
}
