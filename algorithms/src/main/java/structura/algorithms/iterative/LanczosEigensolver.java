package structura.algorithms.iterative;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;

/**
 * The k algebraically largest or smallest eigenpairs of a large symmetric operator (k ≪ n) from
 * products only: {@link Lanczos} with full re-orthogonalization from a seeded Gaussian start
 * vector, stopped once the k wanted Ritz pairs have converged.
 *
 * <p><b>Method.</b> After j steps, A·Q_j = Q_j·T_j + β_j·q_{j+1}·e_jᵀ. With T_j = S·diag(θ)·Sᵀ,
 * the Ritz pair (θ_i, Q_j·s_i) has residual norm β_j·|e_jᵀs_i| (exactly, in exact arithmetic;
 * full re-orthogonalization keeps it so in floating point). Every {@code checkEvery} steps, once
 * j ≥ k, the k wanted Ritz pairs are tested against tolerance·max|θ|; when all pass, the Ritz
 * vectors are formed and their residuals ‖A·v − θ·v‖ recomputed with one block product of k
 * columns, which decide {@code converged}. Golub and Van Loan, 4th ed., §10.1.4–10.1.5 (Ritz
 * pairs and their residuals); Parlett, "The Symmetric Eigenvalue Problem", §13.2. Extreme
 * eigenvalues converge first (Kaniel–Paige theory), at a rate set by the gap to the rest of the
 * spectrum relative to its width.
 *
 * <p><b>Cost.</b> m products with one vector (m the Krylov dimension reached, at most
 * {@code maxIterations}), 4·m²·n flops of re-orthogonalization, an O(j³) tridiagonal eigensolve
 * per check, n·m·k for the Ritz vectors and k products for the residual check. Memory: the basis,
 * n·m doubles.
 *
 * <p><b>Deviations.</b> No restarts: the Krylov dimension grows until convergence or the cap (a
 * thick-restart method would bound memory for slowly converging, clustered spectra). One start
 * vector sees one copy of a multiple eigenvalue: in exact arithmetic the Krylov space holds a
 * single vector of each eigenspace, so for an eigenvalue of multiplicity p the further p − 1
 * copies are missed and the next eigenvalues take their places, with small residuals (each
 * returned pair is a true eigenpair; the list may skip copies). Use the dense route
 * ({@code Algorithm.Eigh}) or a structural rule when multiplicities matter (a Kronecker sum of
 * equal factors has them). A start vector deficient in a wanted eigenvector (probability 0 for a
 * Gaussian one) would likewise miss it.
 *
 * <p><b>Errors.</b> {@code STRUCTURA-A002} for a non-square operator; {@code STRUCTURA-A001} for k
 * outside [1, n]; {@code STRUCTURA-N002} when the symmetry test fails; {@code STRUCTURA-A006} for
 * NaN or Inf in a product; {@code STRUCTURA-N003} (breakdown) when the Krylov space becomes
 * invariant at a dimension below k, so that fewer than k eigenpairs can be extracted from it.
 * Not converged is a result with {@code converged = false}, never an exception here.
 */
public final class LanczosEigensolver {
  private static final String NAME = "LanczosEigensolver";

  private LanczosEigensolver() {}

  /** The k algebraically largest eigenpairs of symmetric {@code a} (not modified), ascending. */
  public static LanczosEigensolverResult largest(LinearOperator a, int k, LanczosEigensolverOptions options) {
    return solve(a, k, true, options);
  }

  /** The k algebraically smallest eigenpairs of symmetric {@code a} (not modified), ascending. */
  public static LanczosEigensolverResult smallest(LinearOperator a, int k, LanczosEigensolverOptions options) {
    return solve(a, k, false, options);
  }

  private static LanczosEigensolverResult solve(LinearOperator a, int k, boolean largest,
      LanczosEigensolverOptions o) {
    Objects.requireNonNull(o, "options");
    IterativeChecks.square(NAME, a);
    int n = a.rows();
    if (k < 1 || k > n) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          NAME + ": k = " + k + " is outside [1, " + n + "].", "Ask for between 1 and n eigenpairs.");
    }
    Products products = new Products(a, ProductPrecision.F64, NAME);
    if (o.checkSymmetry()) {
      IterativeChecks.symmetric(NAME, a, products, o.seed());
    }
    SplittableRandom rng = new SplittableRandom(o.seed());
    Matrix start = Matrix.zeros(DType.F64, n, 1);
    for (int i = 0; i < n; i++) {
      start.set(i, 0, rng.nextGaussian());
    }
    // invariance only when β is far below what the eigen test can resolve
    LanczosOptions lanczos = new LanczosOptions(o.maxIterations(), Math.max(1e-15, o.tolerance() * 1e-3), true, true,
        false, o.seed(), o.listener());
    Lanczos.EarlyStop stop = (steps, alpha, beta, nextBeta) -> steps >= k && steps % o.checkEvery() == 0
        && estimatesConverged(new Tridiagonal(java.util.Arrays.copyOf(alpha, steps),
            java.util.Arrays.copyOf(beta, steps - 1)).eigen(), k, largest, nextBeta, o.tolerance());
    LanczosResult run = Lanczos.run(a, start, lanczos, products, stop);
    Tridiagonal t = run.tridiagonal();
    int m = t.size();
    if (m < k) {
      throw new StructuraException(ErrorCode.ITERATION_BREAKDOWN,
          NAME + ": Lanczos broke down: the Krylov space of the start vector is invariant at dimension " + m
              + " < k = " + k + ", so only " + m + " eigenpairs can be extracted from it.",
          "Ask for at most " + m + " eigenpairs, or change the seed; an operator of rank " + m
              + " has only that many non-trivial directions reachable from one vector.");
    }
    SymmetricEigen eig = t.eigen();
    double[] theta = eig.values();  // decreasing
    double norm = 0;
    for (double v : theta) {
      norm = Math.max(norm, Math.abs(v));
    }
    Matrix q = run.basis();
    Matrix s = eig.vectors();
    double[] values = new double[k];
    double[] v = new double[n * k];  // row-major n×k, column c ↔ values[c] ascending
    for (int c = 0; c < k; c++) {
      int idx = largest ? k - 1 - c : m - 1 - c;
      values[c] = theta[idx];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < m; j++) {
          sum += q.get(i, j) * s.get(j, idx);
        }
        v[i * k + c] = sum;
      }
    }
    double[] av = products.exact(v, k);
    double[] residuals = new double[k];
    boolean converged = true;
    for (int c = 0; c < k; c++) {
      double r2 = 0;
      for (int i = 0; i < n; i++) {
        double r = av[i * k + c] - values[c] * v[i * k + c];
        r2 += r * r;
      }
      residuals[c] = Math.sqrt(r2);
      converged &= residuals[c] <= o.tolerance() * norm;
    }
    StopReason reason = converged ? StopReason.CONVERGED
        : run.reasons().get(0) == StopReason.MAX_ITERATIONS ? StopReason.MAX_ITERATIONS : StopReason.STAGNATED;
    return new LanczosEigensolverResult(values, Matrix.wrap(v, n, k), residuals, norm, m, products.count(),
        converged, reason);
  }

  /** Whether the k wanted Ritz pairs of T pass β·|e_jᵀs_i| ≤ tolerance·max|θ|. */
  private static boolean estimatesConverged(SymmetricEigen eig, int k, boolean largest, double beta, double tolerance) {
    double[] theta = eig.values();  // decreasing
    Matrix s = eig.vectors();
    int m = theta.length;
    double norm = Math.max(Math.abs(theta[0]), Math.abs(theta[m - 1]));
    for (int c = 0; c < k; c++) {
      int idx = largest ? c : m - 1 - c;
      if (beta * Math.abs(s.get(m - 1, idx)) > tolerance * norm) {
        return false;
      }
    }
    return true;
  }
}
