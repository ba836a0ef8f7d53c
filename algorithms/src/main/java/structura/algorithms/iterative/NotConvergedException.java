package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;

/**
 * An iterative solve stopped before its tolerance ({@code STRUCTURA-N004}). The iterative
 * methods themselves return a {@link SolveResult} with {@code converged = false}; this exception
 * is for callers that must return an answer, such as the structured facade's {@code solve}, and
 * so may not hand back an unconverged one silently. It keeps the whole result so the partial
 * solution and its residuals are not lost.
 */
public class NotConvergedException extends StructuraException {
  private static final long serialVersionUID = 1L;

  private final transient SolveResult result;
  private final double tolerance;

  /**
   * @param method the method that ran, for the message ("ConjugateGradient")
   * @param result its unconverged result
   * @param tolerance the relative residual it had to reach
   * @param remedy what to try instead
   */
  public NotConvergedException(String method, SolveResult result, double tolerance, String remedy) {
    super(ErrorCode.NOT_CONVERGED, method + " stopped (" + result.reason() + ") after " + result.iterations()
        + " iterations with relative residual " + result.maxResidual() + " > tolerance " + tolerance + ".", remedy);
    this.result = Objects.requireNonNull(result, "result");
    this.tolerance = tolerance;
  }

  /** The iterate when the method stopped, n×k, F64. */
  public Matrix partialSolution() {
    return result.solution();
  }

  /** The largest per-column relative residual ‖b_j − A·x_j‖/‖b_j‖ of the partial solution. */
  public double residual() {
    return result.maxResidual();
  }

  /** The tolerance that was not reached. */
  public double tolerance() {
    return tolerance;
  }

  /** The whole unconverged result: per-column residuals, history, iterations, products, stop reason. */
  public SolveResult result() {
    return result;
  }
}
