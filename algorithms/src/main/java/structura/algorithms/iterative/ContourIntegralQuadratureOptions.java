package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link ContourIntegralQuadrature}.
 *
 * @param quadraturePoints N, shifted solves in the rational approximation; default 15 (GPyTorch's
 *     {@code num_contour_quadrature})
 * @param lanczosIterations Lanczos steps for the spectrum bounds; default 20 (GPyTorch's
 *     {@code max_lanczos_quadrature_iterations})
 * @param lambdaMin a known lower bound on A's spectrum (for a kernel matrix K + σ²I, σ²), or NaN
 *     (default) to estimate it as half the smallest Ritz value (the Ritz value is an upper bound on
 *     λ_min; halving keeps the rule accurate a little below it)
 * @param lambdaMax a known upper bound, or NaN (default) to estimate it as 1.1 × the largest Ritz
 *     value (a lower bound on λ_max that converges quickly)
 * @param minres tolerance and iteration cap of the shifted solves; default
 *     {@link MultiShiftMinresOptions#defaults()} (relative residual 1e-5)
 */
public record ContourIntegralQuadratureOptions(int quadraturePoints, int lanczosIterations, double lambdaMin,
    double lambdaMax, MultiShiftMinresOptions minres) {
  /** Validates. */
  public ContourIntegralQuadratureOptions {
    IterativeChecks.atLeast("ContourIntegralQuadratureOptions", "quadraturePoints", quadraturePoints, 1);
    IterativeChecks.atLeast("ContourIntegralQuadratureOptions", "lanczosIterations", lanczosIterations, 1);
    if (!Double.isNaN(lambdaMin)) {
      IterativeChecks.positive("ContourIntegralQuadratureOptions", "lambdaMin", lambdaMin);
    }
    if (!Double.isNaN(lambdaMax)) {
      IterativeChecks.positive("ContourIntegralQuadratureOptions", "lambdaMax", lambdaMax);
    }
    Objects.requireNonNull(minres, "minres");
  }

  /** 15 points, 20 Lanczos steps, estimated bounds, MINRES tolerance 1e-5. */
  public static ContourIntegralQuadratureOptions defaults() {
    return new ContourIntegralQuadratureOptions(15, 20, Double.NaN, Double.NaN, MultiShiftMinresOptions.defaults());
  }

  public ContourIntegralQuadratureOptions withQuadraturePoints(int v) {
    return new ContourIntegralQuadratureOptions(v, lanczosIterations, lambdaMin, lambdaMax, minres);
  }

  public ContourIntegralQuadratureOptions withLanczosIterations(int v) {
    return new ContourIntegralQuadratureOptions(quadraturePoints, v, lambdaMin, lambdaMax, minres);
  }

  public ContourIntegralQuadratureOptions withSpectrumBounds(double min, double max) {
    return new ContourIntegralQuadratureOptions(quadraturePoints, lanczosIterations, min, max, minres);
  }

  public ContourIntegralQuadratureOptions withMinres(MultiShiftMinresOptions v) {
    return new ContourIntegralQuadratureOptions(quadraturePoints, lanczosIterations, lambdaMin, lambdaMax, v);
  }
}
