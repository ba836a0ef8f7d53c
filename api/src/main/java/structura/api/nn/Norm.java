package structura.api.nn;

import structura.api.Matrix;

/**
 * A normalisation over the last axis of each row x (length n).
 * <ul>
 * <li>{@link Kind#LAYER_NORM}: {@code y = (x − mean(x)) / sqrt(var(x) + eps) ∘ gamma + beta}, with the
 *     biased variance (BERT);</li>
 * <li>{@link Kind#RMS_NORM}: {@code y = x / sqrt(mean(x²) + eps) ∘ gamma} (Llama); beta is null.</li>
 * </ul>
 *
 * @param kind which normalisation
 * @param gamma the {@code 1 × n} scale
 * @param beta the {@code 1 × n} shift for LayerNorm; {@code null} for RMSNorm
 * @param eps the variance floor, for example 1e-12 (BERT) or 1e-6 (Llama)
 */
public record Norm(Kind kind, Matrix gamma, Matrix beta, double eps) {
  /** The normalisation kinds. */
  public enum Kind {
    /** Mean-centred layer normalisation with scale and shift. */
    LAYER_NORM,
    /** Root-mean-square normalisation with scale only. */
    RMS_NORM
  }

  /** Validates shapes: gamma {@code 1 × n}; beta {@code 1 × n} exactly for LayerNorm. */
  public Norm {
    java.util.Objects.requireNonNull(kind, "kind");
    Shapes.require(gamma, "norm gamma", 1, -1);
    if (kind == Kind.LAYER_NORM) {
      Shapes.require(beta, "LayerNorm beta", 1, gamma.cols());
    } else if (beta != null) {
      throw Shapes.mismatch("RMSNorm has no beta but one was given.", "Pass null as beta for RMSNorm.");
    }
    if (!(eps >= 0)) {
      throw Shapes.mismatch("norm eps is " + eps + ".", "Pass a non-negative eps.");
    }
  }

  /** The normalised width n. */
  public int width() {
    return gamma.cols();
  }
}
