package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.INVERSE;

import java.util.List;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.PermutationOperator;
import structura.api.operator.ProductOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.Structure;
import structura.api.operator.SumOperator;
import structura.api.operator.TransposedOperator;
import structura.api.operator.TriangularOperator;

/** The rows of the dispatch table for A⁻¹ (and so for solve). */
final class InverseRules {
  private InverseRules() {}

  static List<Rule<?>> rules() {
    return List.of(
        Rules.structural(INVERSE, "I⁻¹ = I", IdentityOperator.class, c -> c.operator()),
        Rules.structural(INVERSE, "(αA)⁻¹ = α⁻¹·A⁻¹", ScaledOperator.class, InverseRules::scaled),
        Rules.structural(INVERSE, "diag(d)⁻¹ = diag(1/d)", DiagonalOperator.class, InverseRules::diagonal),
        Rules.structural(INVERSE, "P⁻¹ = Pᵀ", PermutationOperator.class, c -> c.operator().transpose()),
        Rules.structural(INVERSE, "T⁻¹ by substitution", TriangularOperator.class, InverseRules::triangular),
        Rules.structural(INVERSE, "(Aᵀ)⁻¹ = (A⁻¹)ᵀ", TransposedOperator.class,
            c -> c.recurse(INVERSE, ((TransposedOperator) c.operator()).inner()).transpose()),
        Rules.structural(INVERSE, "(A⊗B)⁻¹ = A⁻¹⊗B⁻¹", KroneckerOperator.class, "square factors",
            c -> square(((KroneckerOperator) c.operator()).left()), InverseRules::kronecker),
        Rules.structural(INVERSE, "(A⊕B)⁻¹ = (U⊗V)·diag(1/(λ_i+μ_j))·(U⊗V)ᵀ", KroneckerSumOperator.class,
            "symmetric summands", c -> Symmetry.known(c.operator()),
            c -> Spectral.function(c, x -> 1 / x, "inverse")),
        Rules.structural(INVERSE, "diag(A_i)⁻¹ = diag(A_i⁻¹), blocks in parallel", BlockDiagonalOperator.class,
            "square blocks", c -> Rules.allSquare(((BlockDiagonalOperator) c.operator()).blocks()),
            c -> Blocks.map(c, INVERSE)),
        Rules.structural(INVERSE, "Woodbury: (D + USVᵀ)⁻¹ = D⁻¹ − D⁻¹U(I + SVᵀD⁻¹U)⁻¹SVᵀD⁻¹", SumOperator.class,
            "two terms: low rank + diagonal, identity, scaled, triangular or permutation",
            c -> LowRankPlus.split(c.operator()) != null, InverseRules::woodbury),
        Rules.structural(INVERSE, "(A₁⋯A_t)⁻¹ = A_t⁻¹⋯A₁⁻¹", ProductOperator.class, "square factors",
            c -> Rules.allSquare(((ProductOperator) c.operator()).factors()), InverseRules::product),
        new Rule<>(INVERSE, "orthogonal: A⁻¹ = Aᵀ", LinearOperator.class, Algorithm.class, Rules.TAG,
            "tagged ORTHOGONAL", c -> c.operator().is(Structure.ORTHOGONAL), c -> c.operator().transpose()),
        new Rule<>(INVERSE, "CG, Jacobi-preconditioned when the diagonal is structural (PSD, n > denseLimit)",
            LinearOperator.class, Algorithm.Auto.class, Rules.ITERATIVE, "tagged PSD, n > denseLimit",
            c -> c.operator().is(Structure.PSD) && IterativeRoutes.aboveDenseLimit(c), IterativeRoutes::autoCg),
        new Rule<>(INVERSE, "GMRES (n > denseLimit)", LinearOperator.class, Algorithm.Auto.class,
            Rules.ITERATIVE_FALLBACK, "n > denseLimit", IterativeRoutes::aboveDenseLimit, IterativeRoutes::autoGmres),
        new Rule<>(INVERSE, "dense Cholesky (PSD)", LinearOperator.class, Algorithm.Auto.class, Rules.DENSE,
            "tagged PSD", c -> c.operator().is(Structure.PSD), c -> DenseRoutes.choleskyInverse(c.operator())),
        new Rule<>(INVERSE, "dense LU", LinearOperator.class, Algorithm.Auto.class, Rules.DENSE_FALLBACK,
            "", c -> true, c -> DenseRoutes.luInverse(c.operator())),
        new Rule<>(INVERSE, "dense Cholesky", LinearOperator.class, Algorithm.Cholesky.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.choleskyInverse(c.operator())),
        new Rule<>(INVERSE, "dense LU", LinearOperator.class, Algorithm.Lu.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.luInverse(c.operator())),
        new Rule<>(INVERSE, "CG", LinearOperator.class, Algorithm.Cg.class, Rules.DENSE,
            "", c -> true, c -> IterativeRoutes.cgInverse(c.operator(), ((Algorithm.Cg) c.algorithm()).options())),
        new Rule<>(INVERSE, "GMRES", LinearOperator.class, Algorithm.Gmres.class, Rules.DENSE,
            "", c -> true, c -> IterativeRoutes.gmresInverse(c.operator(), ((Algorithm.Gmres) c.algorithm()).options())));
  }

  private static boolean square(LinearOperator a) {
    return a.rows() == a.cols();
  }

  private static LinearOperator scaled(Call c) {
    ScaledOperator s = (ScaledOperator) c.operator();
    if (s.alpha() == 0) {
      throw new NumericalFailureException("Linalg: argument 'a' is singular: it is 0 times an operator.",
          "A zero multiple has no inverse.");
    }
    return Operators.scale(1 / s.alpha(), c.recurse(INVERSE, s.inner()));
  }

  private static LinearOperator diagonal(Call c) {
    double[] d = ((DiagonalOperator) c.operator()).diagonal();
    for (int i = 0; i < d.length; i++) {
      if (d[i] == 0) {
        throw new NumericalFailureException("Linalg: argument 'a' is singular: diagonal entry " + i + " is 0.",
            "A diagonal operator is invertible only when every entry is non-zero.");
      }
      d[i] = 1 / d[i];
    }
    return Operators.diagonal(c.operator().dtype(), d);
  }

  private static LinearOperator triangular(Call c) {
    TriangularOperator t = (TriangularOperator) c.operator();
    return new TriangularSolveOperator(t.matrix().toDType(structura.api.DType.F64).f64(), t.rows(), t.lower(),
        t.dtype(), "a");
  }

  private static LinearOperator kronecker(Call c) {
    KroneckerOperator k = (KroneckerOperator) c.operator();
    return Operators.kronecker(factorInverse(c, k.left(), "left"), factorInverse(c, k.right(), "right"));
  }

  /** A factor's inverse; a singular factor is reported as such, naming it (A⊗B is singular iff A or B is). */
  private static LinearOperator factorInverse(Call c, LinearOperator factor, String which) {
    try {
      return c.recurse(INVERSE, factor);
    } catch (NumericalFailureException e) {
      throw new NumericalFailureException("Linalg: argument 'a' is a Kronecker product whose " + which
          + " factor is singular, so it is singular too: " + e.detail(), e.remedy());
    }
  }

  private static LinearOperator woodbury(Call c) {
    LowRankPlus parts = LowRankPlus.split(c.operator());
    LinearOperator dInverse;
    try {
      dInverse = c.recurse(INVERSE, parts.easy());
    } catch (NumericalFailureException singularD) {
      // Woodbury needs D⁻¹, yet D + USVᵀ may be regular: answer densely rather than refuse
      return DenseRoutes.luInverse(c.operator());
    }
    return new WoodburyInverse(dInverse, parts.lowRank());
  }

  private static LinearOperator product(Call c) {
    List<LinearOperator> f = ((ProductOperator) c.operator()).factors();
    LinearOperator[] inv = new LinearOperator[f.size()];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = c.recurse(INVERSE, f.get(f.size() - 1 - i));
    }
    return Operators.product(inv);
  }

}
