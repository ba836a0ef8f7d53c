package structura.api.operator;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * The integer sizes of an {@link EinsumOperator}: the input length factors as
 * d_in = alpha·beta·gamma, the output length as d_out = delta·epsilon·phi, and rho is the rank
 * (the names follow θ = (α, β, γ, δ, ε, φ, ρ) of Potapczynski et al., NeurIPS 2024; see
 * {@link EinsumTheta#dims} for the sizes a θ gives).
 *
 * @param alpha dα, input digit contracted by the first core (least significant)
 * @param beta dβ, input digit contracted by the second core
 * @param gamma dγ, input digit shared by both cores (most significant)
 * @param delta dδ, output digit produced by the first core (least significant)
 * @param epsilon dε, output digit produced by the second core
 * @param phi dφ, output digit shared by both cores (most significant)
 * @param rho dρ, the rank contracted between the cores
 */
public record EinsumDims(int alpha, int beta, int gamma, int delta, int epsilon, int phi, int rho) {
  /** Checks that every size is positive and both lengths fit in an int. */
  public EinsumDims {
    for (int v : new int[] {alpha, beta, gamma, delta, epsilon, phi, rho}) {
      if (v < 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "EinsumDims: every size must be at least 1, got " + v + " in (" + alpha + "|" + beta + "|" + gamma + "|"
                + delta + "|" + epsilon + "|" + phi + "|" + rho + ").", "Pass positive sizes.");
      }
    }
    if ((long) alpha * beta * gamma > Integer.MAX_VALUE || (long) delta * epsilon * phi > Integer.MAX_VALUE) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "EinsumDims: d_in or d_out exceeds 2^31 - 1.", "Use smaller sizes.");
    }
  }

  /** d_in = alpha·beta·gamma. */
  public int in() {
    return alpha * beta * gamma;
  }

  /** d_out = delta·epsilon·phi. */
  public int out() {
    return delta * epsilon * phi;
  }

  /** Entries of the first core A: phi·gamma·delta·rho·alpha. */
  public long firstCoreSize() {
    return (long) phi * gamma * delta * rho * alpha;
  }

  /** Entries of the second core B: phi·epsilon·rho·gamma·beta. */
  public long secondCoreSize() {
    return (long) phi * epsilon * rho * gamma * beta;
  }

  /** Flops of one apply on one vector: 2·(first core size·beta + second core size·delta). */
  public long flopsPerVector() {
    return 2L * (firstCoreSize() * beta + secondCoreSize() * delta);
  }

  @Override
  public String toString() {
    return "(" + alpha + "|" + beta + "|" + gamma + "|" + delta + "|" + epsilon + "|" + phi + "|" + rho + ")";
  }
}
