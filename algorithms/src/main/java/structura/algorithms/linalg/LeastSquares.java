package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Linear least squares min ‖A·X − B‖_F (Householder QR) and ridge regression
 * min ‖A·X − B‖²_F + λ‖X‖²_F (normal equations with Cholesky).
 *
 * <p><b>Method.</b> Least squares: A = QR ({@link HouseholderQr}), X = R⁻¹·(QᵀB)(0:n); backward
 * stable, needs m ≥ n and full column rank. Ridge: (AᵀA + λI)·X = AᵀB, with AᵀA from the backend's
 * Gram routine and the solve by {@link Cholesky}; for λ &gt; 0 the system is positive definite.
 *
 * <p><b>Source.</b> Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., §5.3.3 (QR least
 * squares) and §6.1.4 (Tikhonov/ridge); A. E. Hoerl and R. W. Kennard, "Ridge regression",
 * Technometrics 12(1), 1970.
 *
 * <p><b>Cost.</b> QR: 2mn² − 2n³/3 + O(mnr). Ridge: mn² (Gram, both triangles) + n³/3 + 2mnr.
 *
 * <p><b>Deviations.</b> Ridge through the normal equations squares the condition number of A;
 * the ridge λ bounds it by (σ₁² + λ)/λ. Use λ well above u·σ₁² or the QR path when λ = 0.
 */
public final class LeastSquares {
  private final Compute compute;


  /** @param compute backend for the level-3 work */
  public LeastSquares(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /**
   * Least-squares solution (m ≥ n, full column rank).
   *
   * @throws NumericalFailureException if A is numerically rank deficient
   */
  public Matrix solve(Matrix a, Matrix b) {
    return new HouseholderQr(compute, HouseholderQrOptions.defaults()).factor(a).solve(b);
  }

  /**
   * Ridge solution X = (AᵀA + λI)⁻¹AᵀB.
   *
   * @param lambda ridge parameter λ ≥ 0 (λ = 0 needs full column rank)
   * @throws NumericalFailureException if AᵀA + λI is not numerically positive definite
   */
  public Matrix ridge(Matrix a, Matrix b, double lambda) {
    Checks.input("LeastSquares.ridge", "a", a);
    Checks.input("LeastSquares.ridge", "b", b);
    Checks.nonNegative("LeastSquares.ridge", "lambda", lambda);
    if (b.rows() != a.rows()) {
      throw Checks.mismatch("LeastSquares.ridge: A has " + a.rows() + " rows but B has " + b.rows() + ".",
          "Pass B with as many rows as A.");
    }
    Matrix a64 = a.dtype() == DType.F64 ? a : a.toDType(DType.F64);
    Matrix b64 = b.dtype() == DType.F64 ? b : b.toDType(DType.F64);
    int n = a.cols();
    Matrix g = Matrix.zeros(DType.F64, n, n);
    compute.gram(Transpose.T, 1.0, a64, 0.0, g);
    for (int i = 0; i < n; i++) {
      g.set(i, i, g.get(i, i) + lambda);
    }
    Matrix rhs = compute.multiply(Transpose.T, a64, Transpose.N, b64);
    Matrix x = new Cholesky(compute, new CholeskyOptions(64)).solve(g, rhs);
    return b.dtype() == DType.F64 ? x : x.toDType(b.dtype());
  }
}
