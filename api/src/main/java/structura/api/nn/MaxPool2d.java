package structura.api.nn;

/**
 * 2-D max-pool per channel, no padding, floor mode (PyTorch {@code nn.MaxPool2d(kernel, stride)}):
 * {@code Hout = ⌊(H − kernel)/stride⌋ + 1}.
 *
 * @param kernel window side, at least 1
 * @param stride step, at least 1
 */
public record MaxPool2d(int kernel, int stride) implements Layer {
  /** Validates. */
  public MaxPool2d {
    Shapes.positive(kernel, "MaxPool2d kernel");
    Shapes.positive(stride, "MaxPool2d stride");
  }

  /** Output size along an axis of length {@code h}. */
  public int out(int h) {
    return (h - kernel) / stride + 1;
  }
}
