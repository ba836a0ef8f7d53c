package structura.api.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * A plain feed-forward network: a chain of {@link Layer}s (fully connected, 2-D convolution,
 * batch norm, ReLU, max-pool, flatten) applied to NCHW inputs of one {@link Shape}. The record
 * checks on construction that every layer fits the shape its predecessor produces, so a pruned
 * network (narrower layers) is an ordinary instance. Layers share the arrays they are given.
 *
 * <p>FLOPs are counted as 2 × multiply-adds of the convolution and dense layers per sample
 * (ReLU, pooling, batch norm and biases are not counted), the convention of the ID-pruning
 * paper's budget (Chee et al., NeurIPS 2022).
 *
 * @param input the shape of one sample: (C, H, W) for images, (d, 1, 1) for feature vectors
 * @param layers the layers in order, at least one
 */
public record SequentialNetwork(Shape input, List<Layer> layers) {
  /**
   * The shape of one sample between layers: channels × height × width. Flat vectors have height
   * and width 1.
   *
   * @param channels C, at least 1
   * @param height H, at least 1
   * @param width W, at least 1
   */
  public record Shape(int channels, int height, int width) {
    /** Validates. */
    public Shape {
      Shapes.positive(channels, "channels");
      Shapes.positive(height, "height");
      Shapes.positive(width, "width");
    }

    /** A flat vector of {@code d} features, (d, 1, 1). */
    public static Shape flat(int d) {
      return new Shape(d, 1, 1);
    }

    /** C·H·W, the row length of a batch. */
    public int size() {
      return Math.multiplyExact(channels, Math.multiplyExact(height, width));
    }

    /** H·W, the spatial positions of one channel. */
    public int spatial() {
      return height * width;
    }

    /** Whether this is a flat vector (H = W = 1). */
    public boolean isFlat() {
      return height == 1 && width == 1;
    }

    @Override
    public String toString() {
      return channels + "x" + height + "x" + width;
    }
  }

  /** Validates that the layers chain. */
  public SequentialNetwork {
    Objects.requireNonNull(input, "input");
    layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
    if (layers.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "SequentialNetwork has no layers.",
          "Pass at least one layer.");
    }
    propagate(input, layers);
  }

  /** A network on flat inputs of {@code features} values. */
  public static SequentialNetwork ofFeatures(int features, List<Layer> layers) {
    return new SequentialNetwork(Shape.flat(features), layers);
  }

  /** {@code shapes().get(i)} is the output shape of layer i for one sample. */
  public List<Shape> shapes() {
    return propagate(input, layers);
  }

  /** The output shape of the network. */
  public Shape output() {
    List<Shape> s = shapes();
    return s.get(s.size() - 1);
  }

  /** The input shape of layer {@code i}. */
  public Shape inputOf(int i) {
    return i == 0 ? input : shapes().get(i - 1);
  }

  /** FLOPs of layer i per sample (0 for non-weight layers). */
  public long layerFlops(int i) {
    return layers.get(i).flops(inputOf(i));
  }

  /** FLOPs of the whole network per sample. */
  public long flops() {
    long total = 0;
    Shape in = input;
    List<Shape> s = shapes();
    for (int i = 0; i < layers.size(); i++) {
      total += layers.get(i).flops(in);
      in = s.get(i);
    }
    return total;
  }

  /** Parameters of the dense, convolution and batch-norm layers. */
  public long parameterCount() {
    long total = 0;
    for (Layer l : layers) {
      total += switch (l) {
        case Dense d -> d.weight().size() + (d.bias() == null ? 0 : d.bias().size());
        case Conv2d c -> c.weight().size() + (c.bias() == null ? 0 : c.bias().size());
        case BatchNorm b -> 4L * b.channels();
        case Relu r -> 0L;
        case MaxPool2d m -> 0L;
        case Flatten f -> 0L;
      };
    }
    return total;
  }

  private static List<Shape> propagate(Shape input, List<Layer> layers) {
    List<Shape> out = new ArrayList<>(layers.size());
    Shape s = input;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = Objects.requireNonNull(layers.get(i), "layer " + i);
      String where = "layer " + i + " (" + l.getClass().getSimpleName() + ")";
      s = switch (l) {
        case Dense d -> {
          if (!s.isFlat()) {
            throw Shapes.mismatch(where + " gets a " + s + " input but a Dense layer needs a flat one.",
                "Insert a Flatten layer before it.");
          }
          if (d.in() != s.channels()) {
            throw Shapes.mismatch(where + " has " + d.in() + " inputs but gets " + s.channels() + " features.",
                "Give its weight " + s.channels() + " columns.");
          }
          yield Shape.flat(d.out());
        }
        case Conv2d c -> {
          if (c.inChannels() != s.channels()) {
            throw Shapes.mismatch(where + " expects " + c.inChannels() + " input channels but gets " + s + ".",
                "Give its weight " + s.channels() + "·kh·kw columns and inChannels = " + s.channels() + ".");
          }
          int h = c.outHeight(s.height());
          int w = c.outWidth(s.width());
          if (s.height() + 2 * c.padding() < c.kernelH() || s.width() + 2 * c.padding() < c.kernelW()) {
            throw Shapes.mismatch(where + ": kernel " + c.kernelH() + "x" + c.kernelW() + " does not fit the padded "
                + s + " input.", "Use a smaller kernel or more padding.");
          }
          yield new Shape(c.outChannels(), h, w);
        }
        case BatchNorm b -> {
          if (b.channels() != s.channels()) {
            throw Shapes.mismatch(where + " has " + b.channels() + " channels but gets " + s + ".",
                "Give it one parameter per channel.");
          }
          yield s;
        }
        case Relu r -> s;
        case MaxPool2d m -> {
          if (s.height() < m.kernel() || s.width() < m.kernel()) {
            throw Shapes.mismatch(where + ": window " + m.kernel() + " does not fit the " + s + " input.",
                "Use a smaller window.");
          }
          yield new Shape(s.channels(), m.out(s.height()), m.out(s.width()));
        }
        case Flatten f -> Shape.flat(s.size());
      };
      out.add(s);
    }
    return List.copyOf(out);
  }
}
