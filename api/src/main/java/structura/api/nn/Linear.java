package structura.api.nn;

import structura.api.Matrix;

/**
 * An affine layer {@code y = x Wᵀ + b} on row vectors x of length {@link #in()}.
 *
 * @param weight W, {@code out × in}, F32 (PyTorch layout)
 * @param bias b as a {@code 1 × out} row, or {@code null} for none (Llama projections)
 */
public record Linear(Matrix weight, Matrix bias) {
  /** Validates that the bias, when present, is a {@code 1 × out} F32 row. */
  public Linear {
    Shapes.require(weight, "weight", -1, -1);
    if (bias != null) {
      Shapes.require(bias, "bias", 1, weight.rows());
    }
  }

  /** Input width (columns of W). */
  public int in() {
    return weight.cols();
  }

  /** Output width (rows of W). */
  public int out() {
    return weight.rows();
  }

  /** Number of parameters: {@code out·in} plus {@code out} with a bias. */
  public long parameterCount() {
    return (long) out() * in() + (bias == null ? 0 : out());
  }
}
