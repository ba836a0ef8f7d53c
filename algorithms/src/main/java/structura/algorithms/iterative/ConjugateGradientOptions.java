package structura.algorithms.iterative;

import java.util.Objects;
import structura.api.Matrix;

/**
 * Options of {@link ConjugateGradient}. Start from {@link #defaults()} or
 * {@link #lowPrecision(ProductPrecision)} and change fields with the {@code with…} methods.
 *
 * @param tolerance stop column j when ‖b_j − A·x_j‖ ≤ tolerance·‖b_j‖ (relative residual, as CoLA
 *     and GPyTorch stop on the normalized system); default 1e-6; in (0, 1)
 * @param maxIterations cap on iterations, counted over all restarts; default 1000; ≥ 1
 * @param preconditioner P ≈ A (symmetric positive definite), or null for none (default)
 * @param reorthogonalize re-orthogonalize each new residual against all previous ones in the
 *     P⁻¹ inner product (two Gram–Schmidt passes), restoring the orthogonality that rounding
 *     destroys; costs O(i·n·k) per iteration i and stores 2·i vectors per column; default false
 * @param productPrecision format operator products are rounded to; default
 *     {@link ProductPrecision#F64} (none)
 * @param compensated accumulate the solution with Kahan-compensated sums, so the many small late
 *     updates are not lost against a large x; default false
 * @param maxResidualReplacements how many times a stop of the recurrence may be followed by a
 *     restart from the true residual b − A·x (computed with unrounded products) when that residual
 *     still misses the tolerance: iterative refinement, the way a low-precision solve reaches the
 *     F64 answer; default 1 (a single safety restart)
 * @param replacementReduction with product rounding, a cycle also ends (and the residual is
 *     replaced) once the recurrence residual fell by this factor since the cycle began, since
 *     beyond about the format's unit roundoff the recurrence no longer tracks the true residual;
 *     default 1e-2; in (0, 1); ignored for F64 products
 * @param initialGuess X₀ (n×k), or null for zero (default)
 * @param checkSymmetry run the two-product randomized symmetry test first (skipped for operators
 *     tagged symmetric or PSD); default true
 * @param seed seed of the symmetry test's random vectors; default 0
 * @param listener progress, once per iteration; default {@link IterationListener#NONE}
 */
public record ConjugateGradientOptions(double tolerance, int maxIterations, Preconditioner preconditioner,
    boolean reorthogonalize, ProductPrecision productPrecision, boolean compensated, int maxResidualReplacements,
    double replacementReduction, Matrix initialGuess, boolean checkSymmetry, long seed, IterationListener listener) {

  /** Validates. */
  public ConjugateGradientOptions {
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "ConjugateGradientOptions: tolerance = " + tolerance + " must be in (0, 1).", "Pass for example 1e-6.");
    }
    IterativeChecks.atLeast("ConjugateGradientOptions", "maxIterations", maxIterations, 1);
    IterativeChecks.atLeast("ConjugateGradientOptions", "maxResidualReplacements", maxResidualReplacements, 0);
    if (!(replacementReduction > 0 && replacementReduction < 1)) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "ConjugateGradientOptions: replacementReduction = " + replacementReduction + " must be in (0, 1).",
          "Pass for example 1e-2.");
    }
    Objects.requireNonNull(productPrecision, "productPrecision");
    Objects.requireNonNull(listener, "listener");
  }

  /** Tolerance 1e-6, 1000 iterations, no preconditioner, F64 products, no re-orthogonalization. */
  public static ConjugateGradientOptions defaults() {
    return new ConjugateGradientOptions(1e-6, 1000, null, false, ProductPrecision.F64, false, 1, 1e-2, null, true, 0,
        IterationListener.NONE);
  }

  /**
   * Products rounded to {@code precision} with the stabilisers of Maddox, Potapczynski and Wilson
   * (UAI 2022): full re-orthogonalization and compensated accumulation, plus up to 50 residual
   * replacements from unrounded products so the solve reaches the F64 answer.
   */
  public static ConjugateGradientOptions lowPrecision(ProductPrecision precision) {
    return defaults().withProductPrecision(precision).withReorthogonalization(true).withCompensation(true)
        .withMaxResidualReplacements(50);
  }

  public ConjugateGradientOptions withTolerance(double v) {
    return new ConjugateGradientOptions(v, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withMaxIterations(int v) {
    return new ConjugateGradientOptions(tolerance, v, preconditioner, reorthogonalize, productPrecision, compensated,
        maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withPreconditioner(Preconditioner v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, v, reorthogonalize, productPrecision, compensated,
        maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withReorthogonalization(boolean v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, v, productPrecision, compensated,
        maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withProductPrecision(ProductPrecision v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, v, compensated,
        maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withCompensation(boolean v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision, v,
        maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withMaxResidualReplacements(int v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, v, replacementReduction, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withReplacementReduction(double v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, v, initialGuess, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withInitialGuess(Matrix v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, replacementReduction, v, checkSymmetry, seed, listener);
  }

  public ConjugateGradientOptions withSymmetryCheck(boolean v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, replacementReduction, initialGuess, v, seed, listener);
  }

  public ConjugateGradientOptions withSeed(long v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, v, listener);
  }

  public ConjugateGradientOptions withListener(IterationListener v) {
    return new ConjugateGradientOptions(tolerance, maxIterations, preconditioner, reorthogonalize, productPrecision,
        compensated, maxResidualReplacements, replacementReduction, initialGuess, checkSymmetry, seed, v);
  }
}
