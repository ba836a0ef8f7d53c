package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.DIAGONAL;

import structura.algorithms.iterative.ConjugateGradient;
import structura.algorithms.iterative.ConjugateGradientOptions;
import structura.algorithms.iterative.Gmres;
import structura.algorithms.iterative.GmresOptions;
import structura.algorithms.iterative.EigenpairsNotConvergedException;
import structura.algorithms.iterative.JacobiPreconditioner;
import structura.algorithms.iterative.LanczosEigensolver;
import structura.algorithms.iterative.LanczosEigensolverOptions;
import structura.algorithms.iterative.LanczosEigensolverResult;
import structura.api.DType;
import structura.api.operator.Operators;
import java.util.ArrayList;
import java.util.List;
import structura.api.InvalidArgumentException;
import structura.api.operator.LinearOperator;

/** The iterative base cases of the dispatch table (inverse and solve of unstructured leaves); package-private. */
final class IterativeRoutes {
  private static final String CG_REMEDY = "Raise maxIterations or loosen the tolerance of Algorithm.Cg (or of "
      + "Algorithm.Auto's cg options), add a preconditioner, or force the dense route with Algorithm.Cholesky.";
  private static final String GMRES_REMEDY = "Raise maxIterations or the restart length of Algorithm.Gmres (or of "
      + "Algorithm.Auto's gmres options), add a preconditioner, tag a positive definite operator Structure.PSD so CG "
      + "runs, or force the dense route with Algorithm.Lu.";

  private static final String LANCZOS_REMEDY = "Raise maxIterations of Algorithm.Lanczos (or of Algorithm.Auto's "
      + "lanczos options), loosen its tolerance, ask for fewer eigenpairs, or force the dense route with "
      + "Algorithm.Eigh (O(n^3)).";

  private IterativeRoutes() {}

  /**
   * The k wanted eigenpairs of {@code c}'s operator by {@link LanczosEigensolver} with
   * {@code options}; residuals returned with them. A miss throws
   * {@link EigenpairsNotConvergedException} ({@code STRUCTURA-N004}) with the Ritz pairs reached.
   */
  static Eigendecomposition lanczosEigh(Call c, LanczosEigensolverOptions options) {
    LanczosEigensolverResult r = c.which() == Which.SMALLEST
        ? LanczosEigensolver.smallest(c.operator(), c.wanted(), options)
        : LanczosEigensolver.largest(c.operator(), c.wanted(), options);
    if (!r.converged()) {
      throw new EigenpairsNotConvergedException("LanczosEigensolver", r, options.tolerance(), LANCZOS_REMEDY);
    }
    DType dtype = c.operator().dtype();
    return new Eigendecomposition(r.values(), Operators.denseOnReference(r.vectors().toDType(dtype)),
        r.residualNorms());
  }

  /** True when {@code c} is an {@code Auto} request above its dense limit (the rule has matched Auto already). */
  static boolean aboveDenseLimit(Call c) {
    return c.n() > ((Algorithm.Auto) c.algorithm()).denseLimit();
  }

  /** A⁻¹ by CG with {@code options} as given. */
  static LinearOperator cgInverse(LinearOperator a, ConjugateGradientOptions options) {
    return new IterativeInverse(a, "ConjugateGradient", options.tolerance(), CG_REMEDY,
        (op, b) -> ConjugateGradient.solve(op, b, options));
  }

  /** A⁻¹ by GMRES with {@code options} as given. */
  static LinearOperator gmresInverse(LinearOperator a, GmresOptions options) {
    return new IterativeInverse(a, "Gmres", options.tolerance(), GMRES_REMEDY, (op, b) -> Gmres.solve(op, b, options));
  }

  /**
   * Auto's CG: its options, plus a Jacobi preconditioner diag(A) when they name none and the
   * table computes the diagonal by a structural rule (a dense or diagonal operator, a sum or
   * Kronecker product of them), so it costs no products with A. A diagonal with a non-positive
   * entry (A is then not positive definite) gets no preconditioner; CG reports the indefiniteness.
   */
  static LinearOperator autoCg(Call c) {
    ConjugateGradientOptions options = ((Algorithm.Auto) c.algorithm()).cg();
    if (options.preconditioner() == null) {
      double[] d = structuralDiagonal(c);
      if (d != null && allPositiveFinite(d)) {
        options = options.withPreconditioner(JacobiPreconditioner.of(d));
      }
    }
    return cgInverse(c.operator(), options);
  }

  /** Auto's GMRES with its options. */
  static LinearOperator autoGmres(Call c) {
    return gmresInverse(c.operator(), ((Algorithm.Auto) c.algorithm()).gmres());
  }

  /**
   * diag(A) when every step of its recursion is a structural rule (so no product with A is
   * needed), else null: the table's diagonal rules below structural precedence (the exact
   * identity-column probe) are left out, and a request they alone could answer finds no rule.
   */
  private static double[] structuralDiagonal(Call c) {
    List<Rule<?>> structural = new ArrayList<>();
    for (Rule<?> r : c.table().rules()) {
      if (r.function() != DIAGONAL || r.precedence() >= Rules.STRUCTURAL) {
        structural.add(r);
      }
    }
    DispatchTable table = new DispatchTable(structural);
    try {
      return table.run(DIAGONAL, new Call(c.operator(), c.algorithm(), null, table));
    } catch (InvalidArgumentException noStructuralRule) {
      return null;
    }
  }

  private static boolean allPositiveFinite(double[] d) {
    for (double v : d) {
      if (!(v > 0) || Double.isInfinite(v)) {
        return false;
      }
    }
    return true;
  }
}
