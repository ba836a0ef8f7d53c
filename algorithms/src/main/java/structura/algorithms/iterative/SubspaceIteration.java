package structura.algorithms.iterative;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.HouseholderQr;
import structura.algorithms.linalg.HouseholderQrOptions;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;

/**
 * Subspace (block power) iteration for the r leading eigenvectors of a symmetric operator, with
 * the ℓ2→∞ (entrywise) stopping criterion of Charisopoulos, Benson and Damle, "Entrywise
 * convergence of iterative methods for eigenproblems" (NeurIPS 2020), beside the classical ℓ2
 * (Davis–Kahan) one.
 *
 * <p><b>Method.</b> V ← Q factor of the thin QR of A·V (Householder). After each product,
 * Rayleigh–Ritz: VᵀAV = S·D·Sᵀ, V ← VS, and the residual E = AV − VD (using the product already
 * made: AV·S). With ε₂ = ‖E‖₂ and ε_fac = ε₂/gap (notes §7.2, {@code ℓinfPert}):
 * ε_comp = 8·‖V‖_{2→∞}·ε_fac² + 2·(‖(I − VVᵀ)E‖_{2→∞}/gap)·(1 + 2ε_fac). The ℓ2 rule stops when
 * ε_fac ≤ ε; the ℓ2→∞ rule when min(ε_comp, ε_fac) ≤ ε.
 *
 * <p><b>Cost.</b> Per iteration one block product with r columns, a QR of n×r (2nr² flops), and
 * O(nr²) for the criterion. Memory O(nr).
 *
 * <p><b>Deviations.</b> The authors' code returns min(ε_comp, ε₂); ε₂ is not a bound on the
 * subspace distance unless gap ≥ 1, so the certified ε_fac is used instead. The criterion is
 * checked every iteration (the paper's code every n/num_logged). Rayleigh–Ritz runs every
 * iteration, which leaves the subspace unchanged.
 */
public final class SubspaceIteration {
  private static final String NAME = "SubspaceIteration";

  private SubspaceIteration() {}

  /**
   * The r leading eigenpairs of the symmetric operator {@code a}.
   *
   * @param a n×n symmetric operator with λ_r − λ_{r+1} ≥ gap
   * @param options rank, gap, tolerance, criterion
   */
  public static SubspaceIterationResult compute(LinearOperator a, SubspaceIterationOptions options) {
    Objects.requireNonNull(options, "options");
    IterativeChecks.square(NAME, a);
    int n = a.rows();
    int r = options.rank();
    if (r > n) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
          NAME + ": rank " + r + " exceeds n = " + n + ".", "Ask for at most n eigenvectors.");
    }
    Products products = new Products(a, ProductPrecision.F64, NAME);
    Compute compute = Compute.reference();
    double[] start = new double[n * r];
    ProbeDistribution.GAUSSIAN.fill(start, new SplittableRandom(options.seed()));
    Matrix v = orthonormalize(Blocks.wrap(start, n, r));
    double l2 = Double.POSITIVE_INFINITY;
    double l2inf = Double.POSITIVE_INFINITY;
    double[] values = new double[r];
    Matrix basis = v;
    int it = 0;
    while (it < options.maxIterations()) {
      Matrix av = Blocks.wrap(products.exact(Blocks.copyOf(v), r), n, r);
      it++;
      // Rayleigh–Ritz on span(V) with the product just made.
      Matrix h = compute.multiply(Transpose.T, v, Transpose.N, av);
      symmetrize(h);
      SymmetricEigen eig = SymmetricEigen.decompose(h);
      Matrix s = eig.vectors();
      values = eig.values();
      basis = compute.multiply(Transpose.N, v, Transpose.N, s);
      Matrix avs = compute.multiply(Transpose.N, av, Transpose.N, s);
      Matrix e = avs.copy();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < r; j++) {
          e.set(i, j, e.get(i, j) - basis.get(i, j) * values[j]);
        }
      }
      double eps2 = spectralNorm(e, compute);
      double fac = eps2 / options.gap();
      Matrix vte = compute.multiply(Transpose.T, basis, Transpose.N, e);
      Matrix projected = e.copy();
      compute.gemm(Transpose.N, Transpose.N, -1, basis, vte, 1, projected);
      double comp = 8 * rowNormMax(basis) * fac * fac + 2 * (rowNormMax(projected) / options.gap()) * (1 + 2 * fac);
      l2 = fac;
      l2inf = Math.min(comp, fac);
      double bound = options.criterion() == StoppingCriterion.L2 ? l2 : l2inf;
      options.listener().iteration(NAME, it, bound);
      if (bound <= options.tolerance()) {
        return new SubspaceIterationResult(basis, values, it, products.count(), l2, l2inf, true, StopReason.CONVERGED);
      }
      v = orthonormalize(avs);
    }
    return new SubspaceIterationResult(basis, values, it, products.count(), l2, l2inf, false, StopReason.MAX_ITERATIONS);
  }

  private static Matrix orthonormalize(Matrix y) {
    return new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(y.toDType(DType.F64)).q().toDType(DType.F64);
  }

  /** ‖E‖₂ = √λ_max(EᵀE). */
  private static double spectralNorm(Matrix e, Compute compute) {
    Matrix g = compute.multiply(Transpose.T, e, Transpose.N, e);
    symmetrize(g);
    return Math.sqrt(Math.max(0, SymmetricEigen.decompose(g).values()[0]));
  }

  /** ‖X‖_{2→∞}: the largest row norm. */
  static double rowNormMax(Matrix x) {
    double worst = 0;
    for (int i = 0; i < x.rows(); i++) {
      double s = 0;
      for (int j = 0; j < x.cols(); j++) {
        s += x.get(i, j) * x.get(i, j);
      }
      worst = Math.max(worst, s);
    }
    return Math.sqrt(worst);
  }

  private static void symmetrize(Matrix h) {
    for (int i = 0; i < h.rows(); i++) {
      for (int j = 0; j < i; j++) {
        double m = 0.5 * (h.get(i, j) + h.get(j, i));
        h.set(i, j, m);
        h.set(j, i, m);
      }
    }
  }
}
