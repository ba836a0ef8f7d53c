package structura.api.nn;

import structura.api.Matrix;

/**
 * A fully connected layer {@code y = x Wᵀ + b} on flat inputs (shape (in, 1, 1); put a
 * {@link Flatten} after a convolution first).
 *
 * @param weight W, {@code out × in}, F32 (PyTorch layout)
 * @param bias b as a {@code 1 × out} F32 row, or {@code null}
 */
public record Dense(Matrix weight, Matrix bias) implements Layer {
  /** Validates the shapes and dtypes. */
  public Dense {
    Shapes.require(weight, "Dense weight", -1, -1);
    if (bias != null) {
      Shapes.require(bias, "Dense bias", 1, weight.rows());
    }
  }

  /** Input width. */
  public int in() {
    return weight.cols();
  }

  /** Output width (units). */
  public int out() {
    return weight.rows();
  }

  @Override
  public long flops(SequentialNetwork.Shape in) {
    return 2L * out() * in();
  }
}
