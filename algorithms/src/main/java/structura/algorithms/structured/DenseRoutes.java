package structura.algorithms.structured;

import java.util.Arrays;
import java.util.Comparator;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.NumericalFailureException;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.DenseOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;
import structura.api.operator.TaggedOperator;

/**
 * The dense base cases of the dispatch table: what an unstructured operator (or an
 * unstructured leaf of a structured one) gets. Every route forms the dense n×n matrix in
 * double (O(n²) memory) and runs an O(n³) factorization.
 */
final class DenseRoutes {
  private DenseRoutes() {}

  /** The operator's dense matrix in double. */
  static Matrix dense(LinearOperator a) {
    return a.toDense().toDType(DType.F64);
  }

  /**
   * The backend the operator's matrix lives on (a dense operator's, through tags), so that its
   * factorization's trailing updates run there too; the reference backend for anything else (an
   * operator formed densely from structure has no backend of its own). Before, every dense
   * Cholesky ran on the reference backend whatever the operator's.
   */
  static Compute computeOf(LinearOperator a) {
    LinearOperator x = a;
    while (x instanceof TaggedOperator t) {
      x = t.inner();
    }
    return x instanceof DenseOperator d ? d.compute() : Compute.reference();
  }

  /** L with A = L·Lᵀ from our blocked Cholesky; the failure names the pivot and says A was declared PSD when it was. */
  static double[] choleskyFactor(LinearOperator a) {
    try {
      return new Cholesky(computeOf(a), CholeskyOptions.defaults()).factor(dense(a)).f64();
    } catch (NumericalFailureException e) {
      String tagged = a.is(Structure.PSD) ? " Argument 'a' is tagged PSD but is not positive definite: " : " ";
      throw new NumericalFailureException("Linalg:" + tagged + e.detail(), e.remedy());
    }
  }

  /** A⁻¹ = L⁻ᵀ·L⁻¹ as two triangular solves. */
  static LinearOperator choleskyInverse(LinearOperator a) {
    int n = a.rows();
    double[] l = choleskyFactor(a);
    LinearOperator lInv = new TriangularSolveOperator(l, n, true, a.dtype(), "a");
    return Operators.product(lInv.transpose(), lInv);
  }

  /** log det A = 2·Σ log l_ii, sign +1. */
  static LogDeterminant choleskyLogdet(LinearOperator a) {
    int n = a.rows();
    double[] l = choleskyFactor(a);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.log(l[i * n + i]);
    }
    return new LogDeterminant(1, 2 * sum);
  }

  static LinearOperator luInverse(LinearOperator a) {
    return DenseLuInverse.of(dense(a), a.dtype(), "a");
  }

  static LogDeterminant luLogdet(LinearOperator a) {
    return DenseLuInverse.logdet(dense(a));
  }

  /** All eigenpairs, ascending, of the symmetric dense matrix of {@code a} (checked). */
  static Eigendecomposition symmetricEigen(LinearOperator a) {
    Matrix m = dense(a);
    requireSymmetric(m, a.dtype());
    SymmetricEigen e = SymmetricEigen.decompose(m);
    double[] desc = e.values();
    Matrix vDesc = e.vectors();
    int n = desc.length;
    double[] values = new double[n];
    Matrix v = Matrix.zeros(a.dtype(), n, n);
    for (int c = 0; c < n; c++) {
      values[c] = desc[n - 1 - c];
      for (int i = 0; i < n; i++) {
        v.set(i, c, vDesc.get(i, n - 1 - c));
      }
    }
    return new Eigendecomposition(values, Operators.denseOnReference(v));
  }

  /** All eigenvalues of a general square matrix through EJML's Hessenberg QR. */
  static Eigenvalues generalEigenvalues(LinearOperator a) {
    Matrix m = dense(a);
    int n = m.rows();
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
    if (!eig.decompose(DMatrixRMaj.wrap(n, n, m.f64().clone()))) {
      throw new NumericalFailureException("Linalg.eig: EJML's QR algorithm did not converge on argument 'a'.",
          "Check that the operator is finite; try eigh if it is symmetric.");
    }
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      Complex_F64 c = eig.getEigenvalue(i);
      re[i] = c.real;
      im[i] = c.imaginary;
    }
    return sorted(re, im);
  }

  /** Eigenvalues ordered by modulus, then real part, then imaginary part (the {@link Eigenvalues} order). */
  static Eigenvalues sorted(double[] re, double[] im) {
    Integer[] order = new Integer[re.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> Math.hypot(re[i], im[i]))
        .thenComparingDouble(i -> re[i]).thenComparingDouble(i -> im[i]));
    double[] r = new double[re.length];
    double[] m = new double[re.length];
    for (int i = 0; i < order.length; i++) {
      r[i] = re[order[i]];
      m[i] = im[order[i]];
    }
    return new Eigenvalues(r, m);
  }

  /**
   * Throws {@code STRUCTURA-A006} unless |a_ij − a_ji| ≤ 1e-10·max|a| for all i, j (rounding of a
   * product such as G·Gᵀ stays far below it in F64; F32 inputs are rounded at 1e-7 and use
   * 1e-5).
   */
  static void requireSymmetric(Matrix m, DType dtype) {
    double tol = symmetryTolerance(m, dtype);
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(m.get(i, j) - m.get(j, i)) > tol) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "Linalg: argument 'a' is not symmetric: a(" + i + ", " + j + ") = " + m.get(i, j) + " but a(" + j + ", " + i
                  + ") = " + m.get(j, i) + ".",
              "eigh, sqrt, inverseSqrt and apply(f, a) need a symmetric operator; use eig for general ones.");
        }
      }
    }
  }

  /** True when the dense matrix is symmetric to the tolerance of {@link #requireSymmetric}. */
  static boolean isSymmetric(Matrix m, DType dtype) {
    double tol = symmetryTolerance(m, dtype);
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(m.get(i, j) - m.get(j, i)) > tol) {
          return false;
        }
      }
    }
    return true;
  }

  private static double symmetryTolerance(Matrix m, DType dtype) {
    double max = 0;
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        max = Math.max(max, Math.abs(m.get(i, j)));
      }
    }
    return max * (dtype == DType.F32 ? 1e-5 : 1e-10);
  }
}
