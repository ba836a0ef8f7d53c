package structura.algorithms.linalg;

import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A data-dependent numerical failure ({@code STRUCTURA-N001}): for example a matrix passed to
 * {@link Cholesky} that is not numerically positive definite. Each method documents when it
 * throws this rather than returning a degraded result.
 */
public class NumericalFailureException extends StructuraException {
  private static final long serialVersionUID = 1L;

  /**
   * @param detail what failed, naming the argument and the step
   * @param remedy what to try instead
   */
  public NumericalFailureException(String detail, String remedy) {
    super(ErrorCode.NUMERICAL_FAILURE, detail, remedy);
  }
}
