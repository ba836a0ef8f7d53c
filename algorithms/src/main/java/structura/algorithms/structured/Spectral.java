package structura.algorithms.structured;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * Matrix functions through an eigendecomposition, f(A) = V·diag(f(λ))·Vᵀ, with V as structured
 * as the eigh rules make it (a Kronecker product of factor eigenvectors stays one), plus the
 * sorting permutation shared by the eigen rules.
 */
final class Spectral {
  private Spectral() {}

  /**
   * f(A) for symmetric A. Eigenvalues within rounding of zero (|λ| ≤ n·ε·max|λ|) are read as
   * exactly 0 when f is undefined at them (sqrt of −1e-17), so a PSD-by-construction operator
   * keeps its square root; a clearly out-of-domain eigenvalue is an error naming it.
   */
  static LinearOperator function(Call c, DoubleUnaryOperator f, String what) {
    Eigendecomposition e = eigh(c, c.operator());
    double[] lambda = e.values();
    double max = 0;
    for (double l : lambda) {
      max = Math.max(max, Math.abs(l));
    }
    double roundingZero = lambda.length * Math.ulp(1.0) * max;
    double[] fl = new double[lambda.length];
    for (int i = 0; i < lambda.length; i++) {
      double v = f.applyAsDouble(lambda[i]);
      if (!Double.isFinite(v) && Math.abs(lambda[i]) <= roundingZero) {
        v = f.applyAsDouble(0.0);
      }
      if (!Double.isFinite(v)) {
        throw new NumericalFailureException("Linalg." + what + ": f is not finite at eigenvalue " + lambda[i]
            + " of argument 'a' (f(λ) = " + v + ").",
            "Use an operator whose spectrum lies in f's domain (a PSD operator for sqrt, log and inverseSqrt).");
      }
      fl[i] = v;
    }
    LinearOperator v = e.vectors();
    return Operators.product(v, Operators.diagonal(c.operator().dtype(), fl), v.transpose());
  }

  /** eigh of {@code a} with the caller's algorithm when it is Eigh, else Auto (an LU request means nothing to eigh). */
  static Eigendecomposition eigh(Call c, LinearOperator a) {
    Algorithm alg = c.algorithm() instanceof Algorithm.Eigh ? c.algorithm() : new Algorithm.Auto();
    return c.table().run(LinalgFunction.EIGH, new Call(a, alg, null, c.table()));
  }

  /** Values sorted ascending with the n×n permutation Q whose column j is e_{order[j]}. */
  static Eigendecomposition sortedWith(double[] values, LinearOperator vectors, DType dtype) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] sorted = new double[n];
    int[] perm = new int[n];
    for (int j = 0; j < n; j++) {
      sorted[j] = values[order[j]];
      perm[order[j]] = j; // Q[i][perm[i]] = 1, so Q·e_j = e_{order[j]}
    }
    return new Eigendecomposition(sorted, Operators.product(vectors, Operators.permutation(dtype, perm)));
  }
}
