package structura.algorithms.iterative;

import java.util.Objects;

/**
 * Options of {@link StochasticLanczosQuadrature}.
 *
 * @param lanczosIterations Lanczos steps m per probe (the quadrature has m nodes; for log on a
 *     spectrum with condition number κ, m ≈ √κ·log(1/ε)/4 suffices, Ubaru, Chen and Saad 2017,
 *     Thm. 4.1); default 50
 * @param reorthogonalize full re-orthogonalization in Lanczos; not needed for quadrature (the
 *     Gauss rule stays accurate without it) and costs m·n doubles per probe; default false
 * @param probes the probe loop: tolerance on the relative standard error, probe cap, block size,
 *     distribution, seed; default {@link HutchinsonOptions#defaults()} with at most 100 probes in
 *     blocks of 10
 */
public record StochasticLanczosQuadratureOptions(int lanczosIterations, boolean reorthogonalize,
    HutchinsonOptions probes) {
  /** Validates. */
  public StochasticLanczosQuadratureOptions {
    IterativeChecks.atLeast("StochasticLanczosQuadratureOptions", "lanczosIterations", lanczosIterations, 1);
    Objects.requireNonNull(probes, "probes");
  }

  /** 50 Lanczos steps, no re-orthogonalization, up to 100 Rademacher probes, relative standard error 1e-2. */
  public static StochasticLanczosQuadratureOptions defaults() {
    return new StochasticLanczosQuadratureOptions(50, false,
        HutchinsonOptions.defaults().withMaxProbes(100).withBlockSize(10));
  }

  public StochasticLanczosQuadratureOptions withLanczosIterations(int v) {
    return new StochasticLanczosQuadratureOptions(v, reorthogonalize, probes);
  }

  public StochasticLanczosQuadratureOptions withReorthogonalization(boolean v) {
    return new StochasticLanczosQuadratureOptions(lanczosIterations, v, probes);
  }

  public StochasticLanczosQuadratureOptions withProbes(HutchinsonOptions v) {
    return new StochasticLanczosQuadratureOptions(lanczosIterations, reorthogonalize, v);
  }
}
