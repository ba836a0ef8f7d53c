package structura.api.operator;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * The continuous structure parameters θ = (α, β, γ, δ, ε, φ, ρ) of the Einsum family
 * (Potapczynski, Qiu, Finzi, Ferri, Chen, Goldblum, Bruss, De Sa, Wilson, "Searching for
 * Efficient Linear Layers over a Continuous Space of Structured Matrices", NeurIPS 2024; code
 * {@code AndPotap/einsum-search}, {@code learning/fns.py}). α + β + γ = 1 and δ + ε + φ = 1;
 * every entry lies in [0, 1]. Special cases (written as the reference's text "(a|b|g|d|e|f|r)"):
 * dense (1|0|0|1|0|0|0); low rank (1|0|0|0|1|0|ρ); Kronecker γ = φ = 0, ρ = 0; BTT β = δ = 0;
 * Monarch β = δ = ρ = 0.
 */
public record EinsumTheta(double alpha, double beta, double gamma, double delta, double epsilon, double phi, double rho) {
  private static final double SUM_TOLERANCE = 1e-9;

  /** Checks the ranges and both sums. */
  public EinsumTheta {
    double[] all = {alpha, beta, gamma, delta, epsilon, phi, rho};
    for (double v : all) {
      if (!(v >= 0 && v <= 1)) {
        throw invalid("every entry must lie in [0, 1], got " + v);
      }
    }
    if (Math.abs(alpha + beta + gamma - 1) > SUM_TOLERANCE || Math.abs(delta + epsilon + phi - 1) > SUM_TOLERANCE) {
      throw invalid("α + β + γ = " + (alpha + beta + gamma) + " and δ + ε + φ = " + (delta + epsilon + phi) + " must both be 1");
    }
  }

  /** Parses the reference's text form {@code "(a|b|g|d|e|f|r)"}, for example {@code "(0.5|0|0.5|0|0.5|0.5|0)"}. */
  public static EinsumTheta parse(String text) {
    String t = text.strip();
    if (t.startsWith("(") && t.endsWith(")")) {
      t = t.substring(1, t.length() - 1);
    }
    String[] parts = t.split("\\|");
    if (parts.length != 7) {
      throw invalid("'" + text + "' has " + parts.length + " entries, not 7");
    }
    double[] v = new double[7];
    for (int i = 0; i < 7; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw invalid("'" + parts[i] + "' in '" + text + "' is not a number");
      }
    }
    return new EinsumTheta(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }

  /**
   * Integer sizes for a d_out×d_in layer. Each size is the divisor nearest (in log scale) to the
   * continuous target: dα nearest d_in^α among the divisors of d_in, dβ nearest d_in^β among the
   * divisors of d_in/dα, dγ the rest, likewise δ, ε, φ for d_out; dρ = max(1, round(min(d_in, d_out)^ρ)).
   * Deviation: the reference rounds each size on its own and pads or truncates the input and output
   * by up to 15 %; here the sizes always multiply exactly to d_in and d_out, so nothing is padded.
   */
  public EinsumDims dims(int dIn, int dOut) {
    if (dIn < 1 || dOut < 1) {
      throw invalid("d_in = " + dIn + " and d_out = " + dOut + " must be positive");
    }
    int a = nearestDivisor(dIn, Math.pow(dIn, alpha));
    int b = nearestDivisor(dIn / a, Math.pow(dIn, beta));
    int d = nearestDivisor(dOut, Math.pow(dOut, delta));
    int e = nearestDivisor(dOut / d, Math.pow(dOut, epsilon));
    int r = (int) Math.max(1, Math.round(Math.pow(Math.min(dIn, dOut), rho)));
    return new EinsumDims(a, b, dIn / a / b, d, e, dOut / d / e, r);
  }

  private static int nearestDivisor(int n, double target) {
    int best = 1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int q = 1; q <= n; q++) {
      if (n % q == 0) {
        double distance = Math.abs(Math.log(q) - Math.log(target));
        if (distance < bestDistance - 1e-12) {
          best = q;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private static InvalidArgumentException invalid(String detail) {
    return new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "EinsumTheta: " + detail + ".",
        "Pass θ = (α|β|γ|δ|ε|φ|ρ) with entries in [0, 1], α + β + γ = 1 and δ + ε + φ = 1.");
  }

  @Override
  public String toString() {
    return "(" + alpha + "|" + beta + "|" + gamma + "|" + delta + "|" + epsilon + "|" + phi + "|" + rho + ")";
  }
}
