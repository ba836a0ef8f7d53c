package structura.algorithms.linalg;

import java.util.Objects;

/**
 * Options of {@link NystromApproximation}.
 *
 * @param rank number of landmark columns k (at least 1)
 * @param selection how the landmarks are chosen; default {@link Selection#PIVOTED_CHOLESKY}
 * @param ridge relative ridge for {@link Selection#RIDGE_LEVERAGE}: λ = ridge·trace(K)/n;
 *     default 1e-2 (MoDeGPT's {@code nystrom_ridge} default, made scale-free)
 * @param seed seed of {@link Selection#UNIFORM}; default 0
 */
public record NystromOptions(int rank, Selection selection, double ridge, long seed) {
  /** Landmark selection rules. */
  public enum Selection {
    /** k distinct indices uniformly at random (Williams and Seeger 2001). */
    UNIFORM,
    /** The greedy pivots of a partial pivoted Cholesky (adaptive, deterministic). */
    PIVOTED_CHOLESKY,
    /**
     * The k largest ridge leverage scores s_i = [K(K+λI)⁻¹]_ii, deterministic top-k as in MoDeGPT
     * (Alaoui and Mahoney 2015 sample them; taking the top k is the MoDeGPT variant).
     */
    RIDGE_LEVERAGE
  }

  /** Validates. */
  public NystromOptions {
    Checks.positive("NystromOptions", "rank", rank);
    Objects.requireNonNull(selection, "selection");
    if (!(ridge > 0) || Double.isInfinite(ridge)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "NystromOptions: ridge = " + ridge + " must be positive and finite.", "Pass a relative ridge such as 1e-2.");
    }
  }

  /** Rank k with the given selection, ridge 1e-2, seed 0. */
  public static NystromOptions of(int rank, Selection selection) {
    return new NystromOptions(rank, selection, 1e-2, 0);
  }
}
