package structura.api.nn;

import structura.api.Matrix;

/**
 * A 2-D convolution (cross-correlation, as PyTorch {@code nn.Conv2d} with groups = 1 and
 * dilation = 1) on NCHW inputs, with one stride and one zero padding for both spatial axes.
 * Output size {@code Hout = ⌊(H + 2·padding − kernelH)/stride⌋ + 1}, likewise for W.
 *
 * @param weight {@code O × (I·kernelH·kernelW)} F32: row o is PyTorch's {@code weight[o]} of shape
 *     (I, kh, kw) flattened in that order, so column {@code (i·kh + dy)·kw + dx}
 * @param bias a {@code 1 × O} F32 row, or {@code null}
 * @param inChannels I
 * @param kernelH kh
 * @param kernelW kw
 * @param stride stride, at least 1
 * @param padding zero padding on every side, at least 0
 */
public record Conv2d(Matrix weight, Matrix bias, int inChannels, int kernelH, int kernelW, int stride, int padding)
    implements Layer {
  /** Validates the shapes and the geometry. */
  public Conv2d {
    Shapes.positive(inChannels, "Conv2d inChannels");
    Shapes.positive(kernelH, "Conv2d kernelH");
    Shapes.positive(kernelW, "Conv2d kernelW");
    Shapes.positive(stride, "Conv2d stride");
    if (padding < 0) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT,
          "Conv2d padding is " + padding + " but must be at least 0.", "Pass a padding >= 0.");
    }
    Shapes.require(weight, "Conv2d weight", -1, Math.multiplyExact(inChannels, Math.multiplyExact(kernelH, kernelW)));
    if (bias != null) {
      Shapes.require(bias, "Conv2d bias", 1, weight.rows());
    }
  }

  /** Output channels O. */
  public int outChannels() {
    return weight.rows();
  }

  /** kh·kw, the spatial taps of one filter. */
  public int taps() {
    return kernelH * kernelW;
  }

  /** Output height for input height {@code h} (at least 1, else the geometry is invalid). */
  public int outHeight(int h) {
    return (h + 2 * padding - kernelH) / stride + 1;
  }

  /** Output width for input width {@code w}. */
  public int outWidth(int w) {
    return (w + 2 * padding - kernelW) / stride + 1;
  }

  @Override
  public long flops(SequentialNetwork.Shape in) {
    return 2L * outChannels() * weight.cols() * outHeight(in.height()) * outWidth(in.width());
  }
}
