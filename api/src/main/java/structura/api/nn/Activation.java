package structura.api.nn;

/** Elementwise activations of the MLP. */
public enum Activation {
  /** {@code x·Φ(x) = x/2·(1 + erf(x/√2))}, the exact GELU of BERT. */
  GELU,
  /** {@code x·σ(x)}; with a gate projection it forms SwiGLU (Llama). */
  SILU,
  /** {@code max(0, x)}. */
  RELU
}
