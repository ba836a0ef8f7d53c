package structura.algorithms.iterative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;

/**
 * The Arnoldi process for a square, possibly non-symmetric operator: an orthonormal basis Q_m of
 * span{v, Av, …, A^{m−1}v} and the upper Hessenberg H_m = Q_mᵀAQ_m, whose eigenvalues (Ritz
 * values) approximate A's extreme eigenvalues.
 *
 * <p><b>Method.</b> Saad, "Numerical Methods for Large Eigenvalue Problems", 2nd ed., Alg. 6.1,
 * with classical Gram–Schmidt applied twice (CoLA's {@code arnoldi.py} uses one modified
 * Gram–Schmidt pass). Stops at m = min(maxIterations, n) or when h_{j+1,j} ≤ tol·‖H‖ (an invariant
 * subspace).
 *
 * <p><b>Cost.</b> m products and 4·m²·n/2 flops; memory (m + 1)·n doubles.
 *
 * <p><b>Errors.</b> A zero start vector throws {@link ErrorCode#ITERATION_BREAKDOWN}.
 */
public final class Arnoldi {
  private static final String NAME = "Arnoldi";

  private Arnoldi() {}

  /**
   * Runs Arnoldi from {@code start}.
   *
   * @param a n×n operator
   * @param start n×1 start vector, non-zero and finite
   * @param maxIterations largest dimension m (capped at n), ≥ 1
   * @param tolerance relative size of h_{j+1,j} below which the space is taken as invariant, in (0, 1)
   */
  public static ArnoldiResult decompose(LinearOperator a, Matrix start, int maxIterations, double tolerance) {
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "start", a, start);
    IterativeChecks.atLeast(NAME, "maxIterations", maxIterations, 1);
    if (start.cols() != 1) {
      throw new structura.api.InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          NAME + ": start has " + start.cols() + " columns; one start vector is needed.", "Pass an n x 1 block.");
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          NAME + ": tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-10.");
    }
    int n = a.rows();
    int m = Math.min(maxIterations, n);
    Products products = new Products(a, ProductPrecision.F64, NAME);
    double[] q = Blocks.copyOf(start);
    double norm = GramSchmidt.norm(q);
    if (!(norm > 0)) {
      throw new StructuraException(ErrorCode.ITERATION_BREAKDOWN, NAME + ": the start vector is zero.",
          "Pass a non-zero start vector.");
    }
    for (int i = 0; i < n; i++) {
      q[i] /= norm;
    }
    List<double[]> basis = new ArrayList<>();
    basis.add(q);
    double[][] h = new double[m + 1][m];
    double scale = 0;
    double last = 0;
    StopReason reason = StopReason.MAX_ITERATIONS;
    int size = 0;
    for (int j = 0; j < m; j++) {
      double[] w = products.exact(basis.get(j), 1);
      double[] c = GramSchmidt.orthogonalize(basis, w);
      double hn = GramSchmidt.norm(w);
      for (int i = 0; i <= j; i++) {
        h[i][j] = c[i];
        scale = Math.max(scale, Math.abs(c[i]));
      }
      scale = Math.max(scale, hn);
      h[j + 1][j] = hn;
      last = hn;
      size = j + 1;
      if (hn <= tolerance * scale) {
        reason = StopReason.INVARIANT_SUBSPACE;
        break;
      }
      if (j + 1 < m) {
        for (int i = 0; i < n; i++) {
          w[i] /= hn;
        }
        basis.add(w);
      }
    }
    Matrix qm = Matrix.zeros(DType.F64, n, size);
    Matrix hm = Matrix.zeros(DType.F64, size, size);
    for (int j = 0; j < size; j++) {
      double[] v = basis.get(j);
      for (int i = 0; i < n; i++) {
        qm.set(i, j, v[i]);
      }
      for (int i = 0; i < size; i++) {
        hm.set(i, j, h[i][j]);
      }
    }
    return new ArnoldiResult(qm, hm, last, reason, products.count());
  }
}
