package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.INVERSE;
import static structura.algorithms.structured.LinalgFunction.LOGDET;

import java.util.List;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.PermutationOperator;
import structura.api.operator.ProductOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.Structure;
import structura.api.operator.SumOperator;
import structura.api.operator.TransposedOperator;
import structura.api.operator.TriangularOperator;

/** The rows for sign and log|det A|, summed in logs so that nothing overflows. */
final class LogdetRules {
  private LogdetRules() {}

  static List<Rule<?>> rules() {
    return List.of(
        Rules.structural(LOGDET, "log det I = 0", IdentityOperator.class, c -> LogDeterminant.ONE),
        Rules.structural(LOGDET, "det(αA) = αⁿ·det A", ScaledOperator.class, LogdetRules::scaled),
        Rules.structural(LOGDET, "det diag(d) = Π d_i", DiagonalOperator.class,
            c -> ofValues(((DiagonalOperator) c.operator()).diagonal())),
        Rules.structural(LOGDET, "det P = sign of the permutation", PermutationOperator.class,
            c -> new LogDeterminant(((PermutationOperator) c.operator()).sign(), 0)),
        Rules.structural(LOGDET, "det T = Π t_ii", TriangularOperator.class, LogdetRules::triangular),
        Rules.structural(LOGDET, "det Aᵀ = det A", TransposedOperator.class,
            c -> c.recurse(LOGDET, ((TransposedOperator) c.operator()).inner())),
        Rules.structural(LOGDET, "det(A⊗B) = det(A)^m·det(B)^n", KroneckerOperator.class, "square factors",
            c -> ((KroneckerOperator) c.operator()).left().rows() == ((KroneckerOperator) c.operator()).left().cols(),
            LogdetRules::kronecker),
        Rules.structural(LOGDET, "det(A⊕B) = Π (λ_i+μ_j)", KroneckerSumOperator.class, "symmetric summands",
            c -> Symmetry.known(c.operator()), c -> ofValues(Spectral.eigh(c, c.operator()).values())),
        Rules.structural(LOGDET, "det diag(A_i) = Π det A_i, blocks in parallel", BlockDiagonalOperator.class,
            "square blocks", c -> Rules.allSquare(((BlockDiagonalOperator) c.operator()).blocks()),
            c -> Blocks.each(c, LOGDET, ((BlockDiagonalOperator) c.operator()).blocks()).stream()
                .reduce(LogDeterminant.ONE, LogDeterminant::times)),
        Rules.structural(LOGDET, "determinant lemma: det(D + USVᵀ) = det D·det(I + SVᵀD⁻¹U)", SumOperator.class,
            "two terms: low rank + diagonal, identity, scaled, triangular or permutation",
            c -> LowRankPlus.split(c.operator()) != null, LogdetRules::lemma),
        Rules.structural(LOGDET, "det(A₁⋯A_t) = Π det A_i", ProductOperator.class, "square factors",
            c -> Rules.allSquare(((ProductOperator) c.operator()).factors()),
            c -> ((ProductOperator) c.operator()).factors().stream().map(f -> c.recurse(LOGDET, f))
                .reduce(LogDeterminant.ONE, LogDeterminant::times)),
        new Rule<>(LOGDET, "dense Cholesky: 2·Σ log l_ii (PSD)", LinearOperator.class, Algorithm.Auto.class,
            Rules.DENSE, "tagged PSD", c -> c.operator().is(Structure.PSD), c -> DenseRoutes.choleskyLogdet(c.operator())),
        new Rule<>(LOGDET, "dense LU: Σ log|u_ii|, sign from u_ii and pivots", LinearOperator.class,
            Algorithm.Auto.class, Rules.DENSE_FALLBACK, "", c -> true, c -> DenseRoutes.luLogdet(c.operator())),
        new Rule<>(LOGDET, "dense Cholesky: 2·Σ log l_ii", LinearOperator.class, Algorithm.Cholesky.class,
            Rules.DENSE, "", c -> true, c -> DenseRoutes.choleskyLogdet(c.operator())),
        new Rule<>(LOGDET, "dense LU: Σ log|u_ii|, sign from u_ii and pivots", LinearOperator.class,
            Algorithm.Lu.class, Rules.DENSE, "", c -> true, c -> DenseRoutes.luLogdet(c.operator())));
  }

  /** sign and log|Π v_i| summed in logs; a zero makes it singular. */
  static LogDeterminant ofValues(double[] values) {
    double sign = 1;
    double log = 0;
    for (double v : values) {
      if (v == 0) {
        return new LogDeterminant(0, Double.NEGATIVE_INFINITY);
      }
      sign *= Math.signum(v);
      log += Math.log(Math.abs(v));
    }
    return new LogDeterminant(sign, log);
  }

  private static LogDeterminant scaled(Call c) {
    ScaledOperator s = (ScaledOperator) c.operator();
    double[] alpha = new double[c.n()];
    java.util.Arrays.fill(alpha, s.alpha());
    return ofValues(alpha).times(c.recurse(LOGDET, s.inner()));
  }

  private static LogDeterminant triangular(Call c) {
    TriangularOperator t = (TriangularOperator) c.operator();
    double[] d = new double[t.rows()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.diagonalEntry(i);
    }
    return ofValues(d);
  }

  private static LogDeterminant kronecker(Call c) {
    KroneckerOperator k = (KroneckerOperator) c.operator();
    LogDeterminant a = c.recurse(LOGDET, k.left());
    LogDeterminant b = c.recurse(LOGDET, k.right());
    return a.pow(k.right().rows()).times(b.pow(k.left().rows()));
  }

  private static LogDeterminant lemma(Call c) {
    LowRankPlus parts = LowRankPlus.split(c.operator());
    LogDeterminant d = c.recurse(LOGDET, parts.easy());
    if (d.sign() == 0) {
      // D singular: the lemma needs D⁻¹, yet D + USVᵀ may be regular; answer densely rather than wrongly
      return DenseRoutes.luLogdet(c.operator());
    }
    LinearOperator dInverse = c.recurse(INVERSE, parts.easy());
    return d.times(DenseLuInverse.logdet(WoodburyInverse.capacitance(dInverse, parts.lowRank())));
  }

}
