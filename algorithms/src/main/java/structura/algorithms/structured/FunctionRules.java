package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.MATRIX_FUNCTION;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.ScaledOperator;
import structura.api.operator.TransposedOperator;

/**
 * The rows for f(A) of a symmetric A (sqrt, inverseSqrt, exp, log, any scalar f): closed forms
 * for identity and diagonal, blockwise for block-diagonal, and V·f(Λ)·Vᵀ through the structured
 * eigendecomposition for Kronecker, Kronecker-sum and scaled operators, so f(A⊗B) stays a
 * product of Kronecker-structured factors and is never densified.
 */
final class FunctionRules {
  private FunctionRules() {}

  static List<Rule<?>> rules() {
    String viaEigh = "symmetric factors";
    return List.of(
        Rules.structural(MATRIX_FUNCTION, "f(I) = f(1)·I", IdentityOperator.class,
            c -> Operators.diagonal(c.operator().dtype(), values(c, filled(c.n(), 1)))),
        Rules.structural(MATRIX_FUNCTION, "f(diag(d)) = diag(f(d))", DiagonalOperator.class,
            c -> Operators.diagonal(c.operator().dtype(), values(c, ((DiagonalOperator) c.operator()).diagonal()))),
        Rules.structural(MATRIX_FUNCTION, "f(Aᵀ) = f(A) (A symmetric)", TransposedOperator.class, "symmetric A",
            c -> Symmetry.known(c.operator()), c -> c.recurse(MATRIX_FUNCTION, ((TransposedOperator) c.operator()).inner())),
        Rules.structural(MATRIX_FUNCTION, "f(diag(A_i)) = diag(f(A_i)), blocks in parallel", BlockDiagonalOperator.class,
            "square blocks", c -> Rules.allSquare(((BlockDiagonalOperator) c.operator()).blocks()),
            c -> Blocks.map(c, MATRIX_FUNCTION)),
        Rules.structural(MATRIX_FUNCTION, "f(A⊗B) = (U⊗V)·f(λ_i·μ_j)·(U⊗V)ᵀ", KroneckerOperator.class, viaEigh,
            c -> Symmetry.known(c.operator()), c -> Spectral.function(c, c.scalarFunction(), "apply")),
        Rules.structural(MATRIX_FUNCTION, "f(A⊕B) = (U⊗V)·f(λ_i+μ_j)·(U⊗V)ᵀ", KroneckerSumOperator.class, viaEigh,
            c -> Symmetry.known(c.operator()), c -> Spectral.function(c, c.scalarFunction(), "apply")),
        Rules.structural(MATRIX_FUNCTION, "f(αA) = V·f(α·λ)·Vᵀ", ScaledOperator.class, "symmetric A",
            c -> Symmetry.known(c.operator()), c -> Spectral.function(c, c.scalarFunction(), "apply")),
        new Rule<>(MATRIX_FUNCTION, "dense symmetric eigensolver: V·f(Λ)·Vᵀ", LinearOperator.class,
            Algorithm.Auto.class, Rules.DENSE, "", c -> true, c -> Spectral.function(c, c.scalarFunction(), "apply")),
        new Rule<>(MATRIX_FUNCTION, "dense symmetric eigensolver: V·f(Λ)·Vᵀ", LinearOperator.class,
            Algorithm.Eigh.class, Rules.DENSE, "", c -> true, c -> Spectral.function(c, c.scalarFunction(), "apply")));
  }

  private static double[] filled(int n, double v) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, v);
    return d;
  }

  /** f applied entrywise; a non-finite f(d_i) is an error naming the entry. */
  private static double[] values(Call c, double[] d) {
    DoubleUnaryOperator f = c.scalarFunction();
    for (int i = 0; i < d.length; i++) {
      double v = f.applyAsDouble(d[i]);
      if (!Double.isFinite(v)) {
        throw new NumericalFailureException("Linalg.apply: f is not finite at eigenvalue " + d[i] + " of argument 'a' (f = "
            + v + ").", "Use an operator whose spectrum lies in f's domain (a PSD operator for sqrt, log and inverseSqrt).");
      }
      d[i] = v;
    }
    return d;
  }

}
