package structura.algorithms.nn;

import structura.api.Matrix;
import structura.api.nn.TokenBatch;

/**
 * Receives intermediate activations of a forward pass, for calibration of compression. Each
 * call gets one sequence's rows in token order (all L rows, padded ones included; use
 * {@link TokenBatch#attentionMask()} to drop them — calibration normally keeps only real tokens,
 * which {@link #realTokensOnly()} arranges). The matrix is a view into a buffer that is reused
 * after the call returns: copy what you keep. Calls come from the thread running the forward
 * pass, block by block in order. Default methods ignore everything.
 */
public interface ActivationHook {
  /** Whether the rows passed are only the real tokens (true, the default) or all L rows. */
  default boolean realTokensOnly() {
    return true;
  }

  /** The input rows of block {@code block} (tokens × d), the residual stream before the block. */
  default void blockInput(int block, int sequence, Matrix rows) {}

  /** The rows the Q/K/V projections read (tokens × d): the block input (BERT) or its normed copy (Llama). */
  default void attentionInput(int block, int sequence, Matrix rows) {}

  /** Query projections before RoPE: tokens × {@code heads·headDim}, head h in columns {@code h·headDim …}. */
  default void queries(int block, int sequence, Matrix rows) {}

  /** Key projections before RoPE: tokens × {@code kvHeads·headDim}. */
  default void keys(int block, int sequence, Matrix rows) {}

  /** Value projections: tokens × {@code kvHeads·valueDim}. */
  default void values(int block, int sequence, Matrix rows) {}

  /**
   * Per-head attention outputs of block {@code block} before the output projection: tokens ×
   * {@code heads·valueDim}, head h in columns {@code h·valueDim .. (h+1)·valueDim − 1}.
   */
  default void attentionHeads(int block, int sequence, Matrix rows) {}

  /** The rows the MLP reads (tokens × d): after the attention residual (and norm). */
  default void mlpInput(int block, int sequence, Matrix rows) {}

  /** FFN intermediate activations, the input of the down projection (after GELU, or after SwiGLU): tokens × f. */
  default void ffnIntermediate(int block, int sequence, Matrix rows) {}

  /** The output rows of block {@code block} (tokens × d), the residual stream after the block. */
  default void blockOutput(int block, int sequence, Matrix rows) {}
}
