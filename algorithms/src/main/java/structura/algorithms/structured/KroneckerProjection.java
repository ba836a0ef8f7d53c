package structura.algorithms.structured;

import java.util.Objects;
import structura.algorithms.linalg.SvdResult;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Nearest Kronecker product (or sum of r Kronecker products) in the Frobenius norm, by the
 * Van Loan–Pitsianis rearrangement (C. F. Van Loan and N. Pitsianis, "Approximation with
 * Kronecker products", in Linear Algebra for Large Scale and Real-Time Applications, 1993;
 * Golub and Van Loan, 4th ed., §12.3.6).
 *
 * <p><b>Method.</b> For A of shape (m1·m2)×(n1·n2) with blocks A_ij (m2×n2), the rearrangement
 * R(A) is the (m1·n1)×(m2·n2) matrix whose row i·n1 + j is vec(A_ij) (row-major). R is an isometry
 * and R(B ⊗ C) = vec(B)·vec(C)ᵀ, so ‖A − Σ_k B_k ⊗ C_k‖_F = ‖R(A) − Σ_k vec(B_k)vec(C_k)ᵀ‖_F and
 * the optimum is the rank-r truncated SVD of R(A): B_k = reshape(√σ_k·u_k) (m1×n1),
 * C_k = reshape(√σ_k·v_k) (m2×n2), error sqrt(Σ_{k>r} σ_k²(R(A))).
 *
 * <p><b>Cost.</b> One SVD of the (m1·n1)×(m2·n2) rearrangement (exact or randomized, see
 * {@link ProjectionOptions}), O(mn) to rearrange and O(mn·r) to measure the error. Not modified: A.
 */
public final class KroneckerProjection {
  private final Compute compute;
  private final ProjectionOptions options;

  /**
   * @param compute the backend of the returned factors' GEMMs (and of a randomized SVD)
   * @param options SVD choice
   */
  public KroneckerProjection(Compute compute, ProjectionOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * The nearest Σ_{k<terms} B_k ⊗ C_k to {@code a} with B_k of shape m1×n1 (C_k's shape follows:
   * (rows/m1)×(cols/n1)); a single Kronecker operator for one term, else their sum. In a's dtype.
   */
  public StructureProjection project(Matrix a, int m1, int n1, int terms) {
    ProjectionSupport.requireFiniteMatrix("KroneckerProjection.project", "a", a);
    if (m1 < 1 || n1 < 1 || a.rows() % m1 != 0 || a.cols() % n1 != 0) {
      throw ProjectionSupport.shape("KroneckerProjection.project", "a is " + a.rows() + "x" + a.cols()
          + " but the left factor is " + m1 + "x" + n1 + ".", "Choose m1 dividing the rows of a and n1 dividing its columns.");
    }
    int m2 = a.rows() / m1;
    int n2 = a.cols() / n1;
    if (terms < 1 || terms > Math.min(m1 * n1, m2 * n2)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
          "KroneckerProjection.project: terms = " + terms + " is outside [1, " + Math.min(m1 * n1, m2 * n2) + "].",
          "Pass at least one and at most min(m1·n1, m2·n2) terms.");
    }
    Matrix r = rearrange(a, m1, n1, m2, n2);
    SvdResult svd = ProjectionSupport.leadingSvd(compute, r, terms, options);
    Matrix u = svd.u();
    Matrix vt = svd.vt();
    double[] s = svd.singularValues();
    LinearOperator[] sum = new LinearOperator[terms];
    for (int k = 0; k < terms; k++) {
      double root = Math.sqrt(s[k]);
      Matrix b = Matrix.zeros(a.dtype(), m1, n1);
      for (int i = 0; i < m1; i++) {
        for (int j = 0; j < n1; j++) {
          b.set(i, j, root * u.get(i * n1 + j, k));
        }
      }
      Matrix c = Matrix.zeros(a.dtype(), m2, n2);
      for (int p = 0; p < m2; p++) {
        for (int q = 0; q < n2; q++) {
          c.set(p, q, root * vt.get(k, p * n2 + q));
        }
      }
      sum[k] = Operators.kronecker(Operators.dense(b, compute), Operators.dense(c, compute));
    }
    return ProjectionSupport.measured(a, terms == 1 ? sum[0] : Operators.sum(sum));
  }

  /** R(A): row i·n1 + j holds block A_ij (rows i·m2.., columns j·n2..) read row-major. F64. */
  static Matrix rearrange(Matrix a, int m1, int n1, int m2, int n2) {
    Matrix r = Matrix.zeros(structura.api.DType.F64, m1 * n1, m2 * n2);
    for (int i = 0; i < m1; i++) {
      for (int j = 0; j < n1; j++) {
        for (int p = 0; p < m2; p++) {
          for (int q = 0; q < n2; q++) {
            r.set(i * n1 + j, p * n2 + q, a.get(i * m2 + p, j * n2 + q));
          }
        }
      }
    }
    return r;
  }
}
