package structura.algorithms.compress;

import structura.algorithms.nn.ActivationHook;
import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.nn.TokenBatch;

/**
 * Compositions of {@link TransformerForward}'s public block steps ({@code attentionHeads},
 * {@code mlpInput}, {@code ffnActivations}, {@code finishBlock}) that only tests need; they lived
 * on {@code TransformerForward} until the library stopped carrying methods no caller used.
 */
final class BlockSteps {
  private BlockSteps() {}

  /**
   * Runs block {@code index} as far as its FFN intermediate activations: the hook sees the
   * attention input, queries, keys, values, per-head outputs, MLP input and FFN intermediate, but
   * not the block output. {@code x} is not modified.
   */
  static void observeBlock(TransformerForward f, int index, Matrix x, TokenBatch batch, ActivationHook hook) {
    TransformerForward.MlpInput in = f.mlpInput(index, x, f.attentionHeads(index, x, batch, hook));
    f.ffnActivations(index, in.input(), batch, hook);
  }

  /**
   * Finishes block {@code index} from given per-head attention outputs {@code heads}
   * ({@code B·L × heads·valueDim}): output projection, residual, norms and MLP; a new matrix.
   *
   * @throws InvalidArgumentException DIMENSION_MISMATCH if x or heads do not match the batch or the block
   */
  static Matrix blockFromHeads(TransformerForward f, int index, Matrix x, Matrix heads, TokenBatch batch) {
    if (x.rows() != batch.batch() * batch.length()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "blockFromHeads: x has " + x.rows()
          + " rows but the batch " + batch.batch() * batch.length() + ".", "Pass the rows of this batch.");
    }
    TransformerForward.MlpInput in = f.mlpInput(index, x, heads);
    return f.finishBlock(index, in, f.ffnActivations(index, in.input(), batch, null));
  }
}
