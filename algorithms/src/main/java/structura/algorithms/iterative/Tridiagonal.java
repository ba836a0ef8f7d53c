package structura.algorithms.iterative;

import java.util.Objects;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.Matrix;

/**
 * A symmetric tridiagonal m×m matrix T with diagonal α (length m) and off-diagonal β (length
 * m − 1), as Lanczos produces it (Qᵀ·A·Q = T).
 *
 * @param alpha the diagonal
 * @param beta the off-diagonal
 */
public record Tridiagonal(double[] alpha, double[] beta) {
  /** Copies and checks the lengths. */
  public Tridiagonal {
    alpha = Objects.requireNonNull(alpha, "alpha").clone();
    beta = Objects.requireNonNull(beta, "beta").clone();
    if (beta.length != Math.max(0, alpha.length - 1)) {
      throw new IllegalArgumentException("beta needs " + Math.max(0, alpha.length - 1) + " entries, has " + beta.length);
    }
  }

  /** The order m. */
  public int size() {
    return alpha.length;
  }

  @Override
  public double[] alpha() {
    return alpha.clone();
  }

  @Override
  public double[] beta() {
    return beta.clone();
  }

  /** T as a dense m×m F64 matrix. */
  public Matrix toDense() {
    int m = alpha.length;
    Matrix t = Matrix.zeros(DType.F64, m, m);
    for (int i = 0; i < m; i++) {
      t.set(i, i, alpha[i]);
      if (i + 1 < m) {
        t.set(i, i + 1, beta[i]);
        t.set(i + 1, i, beta[i]);
      }
    }
    return t;
  }

  /**
   * The eigendecomposition T = S·diag(θ)·Sᵀ (EJML's symmetric QR algorithm through
   * {@link SymmetricEigen}; O(m³), m is small). θ decreasing.
   */
  public SymmetricEigen eigen() {
    return SymmetricEigen.decompose(toDense());
  }
}
