package structura.algorithms.structured;

import java.util.function.BiFunction;
import structura.algorithms.iterative.NotConvergedException;
import structura.algorithms.iterative.SolveResult;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * A⁻¹ as an operator that runs an iterative solver on each apply: apply(X) solves A·Z = X, and
 * applyTranspose(Y) solves Aᵀ·Z = Y, each as one block solve of k right-hand sides. Nothing is
 * factored up front, so the cost is the solver's (iterations × one block product with A) per
 * apply. A solve that misses its tolerance throws {@link NotConvergedException}
 * ({@code STRUCTURA-N004}) with the partial solution, never a silent approximation. Inputs are
 * solved in the operator's dtype; the F64 solution is rounded to it.
 */
final class IterativeInverse implements LinearOperator {
  private final LinearOperator a;
  private final String method;
  private final double tolerance;
  private final String remedy;
  private final BiFunction<LinearOperator, Matrix, SolveResult> solver;

  /**
   * @param a the square operator to invert (not modified)
   * @param method the solver's name, for messages and {@link #toString}
   * @param tolerance the relative residual the solver stops at, for the non-convergence message
   * @param remedy what to try when a solve does not converge
   * @param solver solves (operator, right-hand sides); called with A or Aᵀ
   */
  IterativeInverse(LinearOperator a, String method, double tolerance, String remedy,
      BiFunction<LinearOperator, Matrix, SolveResult> solver) {
    this.a = a;
    this.method = method;
    this.tolerance = tolerance;
    this.remedy = remedy;
    this.solver = solver;
  }

  @Override
  public int rows() {
    return a.rows();
  }

  @Override
  public int cols() {
    return a.cols();
  }

  @Override
  public DType dtype() {
    return a.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    return solve(a, x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    return solve(a.transpose(), y);
  }

  private Matrix solve(LinearOperator op, Matrix b) {
    if (b.rows() != a.rows() || b.dtype() != a.dtype()) {
      throw new InvalidArgumentException(b.dtype() != a.dtype() ? ErrorCode.DTYPE_MISMATCH : ErrorCode.DIMENSION_MISMATCH,
          this + ": the input is " + b.rows() + "x" + b.cols() + " " + b.dtype() + " but " + a.rows() + " rows of "
              + a.dtype() + " are needed.", "Pass an n x k matrix in the operator's dtype.");
    }
    SolveResult r = solver.apply(op, b);
    if (!r.converged()) {
      throw new NotConvergedException("Linalg (" + method + " on " + a + ")", r, tolerance, remedy);
    }
    if (a.dtype() == DType.F64) {
      return r.solution();
    }
    Matrix out = Matrix.zeros(a.dtype(), b.rows(), b.cols());
    out.copyFrom(r.solution());
    return out;
  }

  @Override
  public String toString() {
    return method + "Inverse(" + a + ")";
  }
}
