package structura.algorithms.nn;

import structura.api.Matrix;

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

  /** The input rows of block {@code block} (tokens × d), before its first norm or attention. */
  default void blockInput(int block, int sequence, Matrix rows) {}

  /**
   * Per-head attention outputs of block {@code block} before the output projection: tokens ×
   * {@code heads·headDim}, head h in columns {@code h·headDim .. (h+1)·headDim − 1}.
   */
  default void attentionHeads(int block, int sequence, Matrix rows) {}

  /** FFN intermediate activations (after the activation, or after SwiGLU): tokens × f. */
  default void ffnIntermediate(int block, int sequence, Matrix rows) {}
}
