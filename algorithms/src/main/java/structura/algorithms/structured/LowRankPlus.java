package structura.algorithms.structured;

import java.util.List;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.LowRankOperator;
import structura.api.operator.PermutationOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.SumOperator;
import structura.api.operator.TriangularOperator;

/**
 * A sum D + U·S·Vᵀ split into its easily invertible part D and its low-rank part (CoLA's open
 * request #48, generalised as its reviewers asked): D is diagonal, identity, scaled (of
 * anything the table inverts), triangular or a permutation.
 *
 * @param easy D
 * @param lowRank U·S·Vᵀ
 */
record LowRankPlus(LinearOperator easy, LowRankOperator lowRank) {
  private static final List<Class<? extends LinearOperator>> EASY = List.of(DiagonalOperator.class,
      IdentityOperator.class, ScaledOperator.class, TriangularOperator.class, PermutationOperator.class);

  /** The split of {@code a}, or null when it is not a two-term sum of that form. */
  static LowRankPlus split(LinearOperator a) {
    if (!(a instanceof SumOperator s) || s.terms().size() != 2 || a.rows() != a.cols()) {
      return null;
    }
    LinearOperator x = s.terms().get(0);
    LinearOperator y = s.terms().get(1);
    if (x instanceof LowRankOperator l && easy(y)) {
      return new LowRankPlus(y, l);
    }
    if (y instanceof LowRankOperator l && easy(x)) {
      return new LowRankPlus(x, l);
    }
    return null;
  }

  private static boolean easy(LinearOperator d) {
    return EASY.stream().anyMatch(c -> c.isInstance(d));
  }
}
