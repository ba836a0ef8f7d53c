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
 * The symmetric Lanczos process: for A symmetric and a start vector v, an orthonormal basis Q
 * (n×m) of the Krylov space span{v, Av, …, A^{m−1}v} and the tridiagonal T = QᵀAQ. A block of k
 * start vectors runs k independent processes sharing one block product per step (as CoLA's
 * batched Lanczos), which is how stochastic Lanczos quadrature runs its probes.
 *
 * <p><b>Method.</b> w = Aq_j − α_j q_j − β_{j−1} q_{j−1} with α_j = ⟨Aq_j, q_j⟩; with
 * re-orthogonalization, w is then orthogonalized against every earlier q twice (classical
 * Gram–Schmidt twice, CoLA's {@code do_double_gram}); β_j = ‖w‖, q_{j+1} = w/β_j. A column stops
 * when β_j ≤ tol·max(|α|, |β|) so far (an invariant subspace: the Ritz values of T are then
 * eigenvalues of A) or at m = min(maxIterations, n). Golub and Van Loan, 4th ed., Alg. 10.1.1;
 * CoLA {@code decompositions/lanczos.py}.
 *
 * <p><b>Cost.</b> m block products with k columns; O(mnk) vector work, plus 4·m²·n·k/2 flops
 * for re-orthogonalization. Memory: the basis, m·n·k doubles, when kept or re-orthogonalizing;
 * otherwise O(nk).
 *
 * <p><b>Errors.</b> A zero or non-finite start column, or a non-finite coefficient, throws
 * {@link ErrorCode#ITERATION_BREAKDOWN}; a failed symmetry test throws
 * {@link ErrorCode#NOT_SYMMETRIC_POSITIVE_DEFINITE}. Without re-orthogonalization, rounding makes
 * T acquire spurious copies of converged Ritz values (Paige); quadrature is unaffected, but use
 * re-orthogonalization for eigenvalues.
 */
public final class Lanczos {
  private static final String NAME = "Lanczos";

  private Lanczos() {}

  /**
   * Runs Lanczos from each column of {@code start}.
   *
   * @param a n×n symmetric operator (not modified)
   * @param start n×k start vectors, non-zero and finite (not modified)
   * @param options dimension, tolerance, re-orthogonalization
   */
  public static LanczosResult decompose(LinearOperator a, Matrix start, LanczosOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    IterativeChecks.rightHandSide(NAME, "start", a, start);
    Products products = new Products(a, ProductPrecision.F64, NAME);
    if (options.checkSymmetry()) {
      IterativeChecks.symmetric(NAME, a, products, options.seed());
    }
    return run(a, start, options, products);
  }

  /**
   * Asked after each step of column 0 whose β is above the invariance tolerance: stop there
   * (reason {@link StopReason#CONVERGED}) with the Krylov space built so far? Lets a caller such
   * as {@link LanczosEigensolver} stop once its Ritz pairs have converged.
   */
  interface EarlyStop {
    /**
     * @param steps the Krylov dimension j so far
     * @param alpha α_1..α_j in the first j entries
     * @param beta β_1..β_{j−1} in the first j − 1 entries
     * @param nextBeta β_j = ‖w‖, the coupling to the next basis vector
     */
    boolean stop(int steps, double[] alpha, double[] beta, double nextBeta);
  }

  static LanczosResult run(LinearOperator a, Matrix start, LanczosOptions o, Products products) {
    return run(a, start, o, products, null);
  }

  static LanczosResult run(LinearOperator a, Matrix start, LanczosOptions o, Products products, EarlyStop earlyStop) {
    int n = a.rows();
    int k = start.cols();
    int m = Math.min(o.maxIterations(), n);
    double[] q = Blocks.copyOf(start);
    double[] startNorms = Blocks.norms(q, n, k);
    for (int j = 0; j < k; j++) {
      if (!(startNorms[j] > 0)) {
        throw new StructuraException(ErrorCode.ITERATION_BREAKDOWN,
            NAME + ": start vector " + j + " is zero, so the Krylov space is empty.", "Pass a non-zero start vector.");
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        q[i * k + j] /= startNorms[j];
      }
    }
    boolean keep = o.keepBasis() || o.reorthogonalize();
    List<double[]> basis = new ArrayList<>();
    double[][] alpha = new double[k][m];
    double[][] beta = new double[k][m];
    int[] size = new int[k];
    StopReason[] reason = new StopReason[k];
    boolean[] active = new boolean[k];
    java.util.Arrays.fill(active, true);
    double[] scale = new double[k];
    double[] prev = new double[n * k];
    double[] prevBeta = new double[k];
    int activeCount = k;
    for (int step = 0; step < m && activeCount > 0; step++) {
      if (keep) {
        basis.add(q.clone());
      }
      double[] w = products.exact(q, k);
      double[] al = Blocks.dots(w, q, n, k);
      for (int i = 0; i < n; i++) {
        int row = i * k;
        for (int j = 0; j < k; j++) {
          w[row + j] -= al[j] * q[row + j] + prevBeta[j] * prev[row + j];
        }
      }
      if (o.reorthogonalize()) {
        for (int pass = 0; pass < 2; pass++) {
          for (double[] b : basis) {
            double[] c = Blocks.dots(w, b, n, k);
            for (int j = 0; j < k; j++) {
              c[j] = -c[j];
            }
            Blocks.axpy(c, b, w, n, k);
          }
        }
      }
      double[] be = Blocks.norms(w, n, k);
      for (int j = 0; j < k; j++) {
        if (!active[j]) {
          continue;
        }
        if (!Double.isFinite(al[j]) || !Double.isFinite(be[j])) {
          throw new StructuraException(ErrorCode.ITERATION_BREAKDOWN,
              NAME + ": coefficient α = " + al[j] + ", β = " + be[j] + " at step " + (step + 1) + " of column " + j + ".",
              "Check the operator for overflow; scale it to a moderate norm.");
        }
        alpha[j][step] = al[j];
        size[j] = step + 1;
        scale[j] = Math.max(scale[j], Math.max(Math.abs(al[j]), be[j]));
        if (be[j] <= o.tolerance() * scale[j]) {
          reason[j] = StopReason.INVARIANT_SUBSPACE;
          active[j] = false;
          activeCount--;
        } else if (step == m - 1) {
          reason[j] = StopReason.MAX_ITERATIONS;
          active[j] = false;
          activeCount--;
        } else if (j == 0 && earlyStop != null && earlyStop.stop(step + 1, alpha[j], beta[j], be[j])) {
          reason[j] = StopReason.CONVERGED;
          active[j] = false;
          activeCount--;
        } else {
          beta[j][step] = be[j];
        }
      }
      double[] next = w;
      for (int i = 0; i < n; i++) {
        int row = i * k;
        for (int j = 0; j < k; j++) {
          next[row + j] = active[j] ? w[row + j] / be[j] : 0;
        }
      }
      for (int j = 0; j < k; j++) {
        prevBeta[j] = active[j] ? be[j] : 0;
      }
      prev = q;
      q = next;
      double progress = 0;
      for (int j = 0; j < k; j++) {
        progress = Math.max(progress, active[j] ? be[j] / scale[j] : 0);
      }
      o.listener().iteration(NAME, step + 1, progress);
    }
    List<Tridiagonal> ts = new ArrayList<>();
    List<Matrix> bases = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      int mj = size[j];
      ts.add(new Tridiagonal(java.util.Arrays.copyOf(alpha[j], mj), java.util.Arrays.copyOf(beta[j], Math.max(0, mj - 1))));
      if (o.keepBasis()) {
        Matrix qj = Matrix.zeros(DType.F64, n, mj);
        for (int s = 0; s < mj; s++) {
          double[] b = basis.get(s);
          for (int i = 0; i < n; i++) {
            qj.set(i, s, b[i * k + j]);
          }
        }
        bases.add(qj);
      }
    }
    return new LanczosResult(ts, bases, startNorms, List.of(reason), products.count());
  }
}
