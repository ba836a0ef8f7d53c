package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * A ⊗ B for A (mA×nA) and B (mB×nB): the (mA·mB)×(nA·nB) matrix with blocks a_ij·B.
 *
 * <p>Applied without its dense form, through the identity (A⊗B)·vec(X) = vec(A·X·Bᵀ) for
 * row-major vec: each of the k input vectors is read as an nA×nB matrix, B is applied to the nA
 * row-slices of the whole block at once and A to the result. Cost: nA applies of B to nB×k
 * blocks plus one apply of A to an nA×(mB·k) block, i.e. O(k·(nA·mB·nB + mA·nA·mB)) for dense
 * factors instead of O(k·mA·mB·nA·nB).
 */
public final class KroneckerOperator implements LinearOperator {
  private final LinearOperator left;
  private final LinearOperator right;

  KroneckerOperator(LinearOperator left, LinearOperator right) {
    this.left = left;
    this.right = right;
  }

  /** A, the left factor. */
  public LinearOperator left() {
    return left;
  }

  /** B, the right factor. */
  public LinearOperator right() {
    return right;
  }

  @Override
  public int rows() {
    return Math.multiplyExact(left.rows(), right.rows());
  }

  @Override
  public int cols() {
    return Math.multiplyExact(left.cols(), right.cols());
  }

  @Override
  public DType dtype() {
    return left.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    return applyFactors(left, right, x, false);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return applyFactors(left, right, y, true);
  }

  private static Matrix applyFactors(LinearOperator a, LinearOperator b, Matrix x, boolean transpose) {
    int nA = transpose ? a.rows() : a.cols();
    int mA = transpose ? a.cols() : a.rows();
    int nB = transpose ? b.rows() : b.cols();
    int mB = transpose ? b.cols() : b.rows();
    int k = x.cols();
    DType dtype = a.dtype();
    if (k == 0 || mA == 0 || mB == 0) {
      return Matrix.zeros(dtype, mA * mB, k);
    }
    // step 1: Y1[p] = op(B)·X[p] for each of the nA slices X[p] (nB×k, rows p·nB ...)
    Matrix y1 = Matrix.zeros(dtype, nA * mB, k);
    for (int p = 0; p < nA; p++) {
      Matrix slice = x.view(p * nB, 0, nB, k);
      Matrix r = transpose ? b.applyTranspose(slice) : b.apply(slice);
      y1.view(p * mB, 0, mB, k).copyFrom(r);
    }
    // step 2: read Y1 as nA×(mB·k) and apply op(A): the result read as (mA·mB)×k is the answer
    Matrix wide = dtype == DType.F32 ? Matrix.wrap(y1.f32(), nA, mB * k) : Matrix.wrap(y1.f64(), nA, mB * k);
    Matrix z = transpose ? a.applyTranspose(wide) : a.apply(wide);
    return dtype == DType.F32 ? Matrix.wrap(z.f32(), mA * mB, k) : Matrix.wrap(z.f64(), mA * mB, k);
  }

  @Override
  public Matrix toDense() {
    Matrix a = left.toDense();
    Matrix b = right.toDense();
    Matrix out = Matrix.zeros(dtype(), rows(), cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        double aij = a.get(i, j);
        for (int r = 0; r < b.rows(); r++) {
          for (int c = 0; c < b.cols(); c++) {
            out.set(i * b.rows() + r, j * b.cols() + c, aij * b.get(r, c));
          }
        }
      }
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    for (Structure t : Structure.values()) {
      if (left.is(t) && right.is(t)) {
        s.add(t);
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return "Kron(" + left + ", " + right + ")";
  }
}
