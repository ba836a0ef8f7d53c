package structura.algorithms.nn;

import java.util.List;
import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;

/**
 * Token-level activations of one transformer block over a set of batches, captured through
 * {@link ActivationHook} and stacked into one F32 matrix: one row per real (unpadded) token, in
 * batch order then sequence order then token order. These are the statistics compression
 * calibrates on (their covariance is what whitening and PCA-based pruning need).
 *
 * <p><b>Cost.</b> The forward pass of blocks {@code 0..block} on every batch (later blocks are not
 * run), plus the returned {@code tokens × width} F32 matrix. Nothing passed in is modified.
 */
public final class LayerActivations {
  private LayerActivations() {}

  /** Which activation of the block. */
  public enum Kind {
    /** The block's output, the residual stream after it: tokens × d ({@link ActivationHook#blockOutput}). */
    HIDDEN,
    /** The FFN intermediate after its activation function, the down projection's input: tokens × f ({@link ActivationHook#ffnIntermediate}). */
    FFN
  }

  /** Told after each batch; for progress lines. */
  @FunctionalInterface
  public interface Progress {
    /** @param done batches finished, @param total batches, @param rows rows collected so far */
    void batchDone(int done, int total, long rows);
  }

  /**
   * @param forward the forward pass (network and backend)
   * @param batches the token batches (padding is dropped)
   * @param block the block index, 0-based
   * @param kind hidden states or FFN activations
   * @param progress told after each batch; may be null
   * @return a new {@code tokens × width} F32 matrix
   * @throws InvalidArgumentException INVALID_ARGUMENT for a block index out of range, or more than 2^31 values
   */
  public static Matrix collect(TransformerForward forward, List<TokenBatch> batches, int block, Kind kind, Progress progress) {
    Objects.requireNonNull(kind, "kind");
    int depth = forward.network().blocks().size();
    if (block < 0 || block >= depth) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "layer " + block + " is out of range: the network has "
          + depth + " blocks.", "Pass a layer from 0 to " + (depth - 1) + ".");
    }
    long tokens = 0;
    for (TokenBatch b : batches) {
      for (int s = 0; s < b.batch(); s++) {
        tokens += b.validTokens(s);
      }
    }
    Collector collector = new Collector(block, kind, tokens);
    int done = 0;
    for (TokenBatch batch : batches) {
      Matrix x = forward.embeddings(batch);
      for (int i = 0; i <= block; i++) {
        x = forward.block(i, x, batch, i == block ? collector : null);
      }
      done++;
      if (progress != null) {
        progress.batchDone(done, batches.size(), collector.rows);
      }
    }
    return collector.result();
  }

  /** Copies the hooked rows into one growing-by-rows array, sized at the first call. */
  private static final class Collector implements ActivationHook {
    private final int block;
    private final Kind kind;
    private final long tokens;
    private float[] data;
    private int width;
    private long rows;

    Collector(int block, Kind kind, long tokens) {
      this.block = block;
      this.kind = kind;
      this.tokens = tokens;
    }

    @Override
    public void blockOutput(int b, int sequence, Matrix r) {
      if (kind == Kind.HIDDEN && b == block) {
        append(r);
      }
    }

    @Override
    public void ffnIntermediate(int b, int sequence, Matrix r) {
      if (kind == Kind.FFN && b == block) {
        append(r);
      }
    }

    private void append(Matrix r) {
      if (data == null) {
        width = r.cols();
        if (tokens * width > Integer.MAX_VALUE - 8) {
          throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, tokens + " tokens x " + width
              + " values exceed one array (2^31).", "Use fewer texts or a shorter maximum length.");
        }
        data = new float[(int) (tokens * width)];
      }
      int base = (int) (rows * width);
      for (int i = 0; i < r.rows(); i++) {
        for (int j = 0; j < width; j++) {
          data[base + i * width + j] = (float) r.get(i, j);
        }
      }
      rows += r.rows();
    }

    Matrix result() {
      if (data == null) {
        return Matrix.wrap(new float[0], 0, 0);
      }
      // Fewer rows than counted would mean the hook saw padding excluded twice: a program error.
      if (rows != tokens) {
        throw new IllegalStateException("collected " + rows + " rows for " + tokens + " tokens");
      }
      return Matrix.wrap(data, (int) rows, width);
    }
  }
}
