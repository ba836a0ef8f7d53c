package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Eigenpairs that an iterative eigensolver did not bring to their tolerance
 * ({@code STRUCTURA-N004}, as {@link NotConvergedException}), thrown by callers that must return
 * converged eigenpairs, such as the structured facade's {@code eigh(a, k, which)}. It keeps the
 * whole {@link LanczosEigensolverResult}: the Ritz values and vectors reached and each pair's
 * residual ‖A·v − θ·v‖. As a {@link NotConvergedException}, {@link #partialSolution()} is the n×k
 * block of Ritz vectors and {@link #residual()} the largest residual relative to ‖A‖.
 */
public class EigenpairsNotConvergedException extends NotConvergedException {
  private static final long serialVersionUID = 1L;

  private final transient LanczosEigensolverResult eigenpairs;

  /**
   * @param method the method that ran, for the message ("LanczosEigensolver")
   * @param eigenpairs its unconverged result
   * @param tolerance the relative residual each pair had to reach
   * @param remedy what to try instead
   */
  public EigenpairsNotConvergedException(String method, LanczosEigensolverResult eigenpairs, double tolerance,
      String remedy) {
    super(method, asSolveResult(eigenpairs), tolerance, remedy);
    this.eigenpairs = eigenpairs;
  }

  private static SolveResult asSolveResult(LanczosEigensolverResult r) {
    Objects.requireNonNull(r, "eigenpairs");
    double[] relative = r.residualNorms();
    for (int i = 0; i < relative.length; i++) {
      relative[i] = relative[i] == 0 ? 0 : relative[i] / r.normEstimate();
    }
    return new SolveResult(r.vectors(), r.iterations(), r.matrixVectorProducts(), relative, new double[0], false,
        r.reason());
  }

  /** The Ritz values, vectors and residuals reached. */
  public LanczosEigensolverResult eigenpairs() {
    return eigenpairs;
  }
}
