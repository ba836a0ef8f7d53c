package structura.api.nn;

/**
 * Flattens (C, H, W) to (C·H·W, 1, 1) in C·H·W order (PyTorch {@code x.view(N, -1)} on NCHW). The
 * data does not move: a batch row already holds the channels in that order.
 */
public record Flatten() implements Layer {}
