package structura.api.nn;

/**
 * One layer of a {@link SequentialNetwork}: a fully connected layer ({@link Dense}), a 2-D
 * convolution ({@link Conv2d}), a per-channel batch normalisation ({@link BatchNorm}), a ReLU
 * ({@link Relu}), a 2-D max-pool ({@link MaxPool2d}) or a flatten ({@link Flatten}).
 *
 * <p>Activations are NCHW: a batch is an {@code N × (C·H·W)} F32 matrix whose row holds one
 * sample's channels in order, each channel an {@code H × W} row-major map. A flat vector of
 * {@code d} features is the shape (d, 1, 1), so flattening is free: it only relabels the shape.
 */
public sealed interface Layer permits Dense, Conv2d, BatchNorm, Relu, MaxPool2d, Flatten {
  /** Multiply-adds ×2 per sample of this layer on an input of shape {@code in} (0 for the non-weight layers). */
  default long flops(SequentialNetwork.Shape in) {
    return 0;
  }
}
