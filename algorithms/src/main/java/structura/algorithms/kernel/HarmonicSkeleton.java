package structura.algorithms.kernel;

import java.util.Arrays;
import java.util.Objects;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * The result of {@link HarmonicLowRank#approximate}: the Nyström approximation
 * K ≈ K[:, S]·K[S, S]⁺·K[S, :] = F·Fᵀ on skeleton points S chosen by a rank-revealing (pivoted
 * Cholesky) factorisation of the harmonic proxy K̃ = U·diag(λ)·Uᵀ, together with that proxy.
 *
 * <p>Why both: the harmonic expansion ({@link HarmonicExpansion}) finds, in linear time, how much
 * rank a tolerance needs and which points carry it, but its own factor U is a fixed analytic basis
 * (about one centre) and wastes rank on data that fill only part of the ball (a surface such as
 * the bunny). Projecting onto actual kernel columns at the selected points gives an approximation
 * that is exact on those columns, with rank |S| ≤ rank(U). Immutable.
 *
 * @param proxy the harmonic expansion used to choose S
 * @param nystrom the Nyström approximation on S (its {@code landmarks} are S, ascending)
 */
public record HarmonicSkeleton(HarmonicExpansion proxy, KernelNystrom.Result nystrom) {
  /** Validates. */
  public HarmonicSkeleton {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(nystrom, "nystrom");
  }

  /** The rank of the approximation: the columns of F (|S| less numerically zero eigenvalues of K[S, S]). */
  public int rank() {
    return nystrom.factor().cols();
  }

  /** The skeleton point indices S (ascending). A copy. */
  public int[] skeleton() {
    return nystrom.landmarks().clone();
  }

  /** F (N×rank, F64) with K ≈ F·Fᵀ; shared, do not modify. */
  public Matrix factor() {
    return nystrom.factor();
  }

  /** K ≈ F·Fᵀ as a symmetric operator (N×N, F64); products cost 4·N·rank flops per column. */
  public LinearOperator operator() {
    return nystrom.operator();
  }

  /** Whether the proxy reached its tolerance (see {@link HarmonicExpansion#toleranceReached()}). */
  public boolean toleranceReached() {
    return proxy.toleranceReached();
  }

  /**
   * K(targets, X) ≈ F(targets)·Fᵀ (M×N) for any targets (M×d, not modified): F(x) = k(x, X_S)·M,
   * N.B. unlike the proxy's features, valid everywhere (it is built from kernel values).
   */
  public LinearOperator crossOperator(Matrix targets) {
    double[] ones = new double[rank()];
    Arrays.fill(ones, 1);
    return Operators.lowRank(nystrom.features(targets), ones, nystrom.factor(), nystrom.compute());
  }

  @Override
  public String toString() {
    return "HarmonicSkeleton(rank " + rank() + " on " + nystrom.landmarks().length + " skeleton points; proxy " + proxy + ")";
  }
}
