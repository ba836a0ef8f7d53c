package structura.api.backend;

/**
 * The few row-wise and elementwise operations of a transformer forward pass, in place on an
 * {@code m × n} row-major block {@code x[off + i·ld + j]}. Single precision only: the forward
 * pass runs in F32 (see {@link Compute#softmaxRows}).
 * <ul>
 * <li>softmax: {@code x_ij ← exp(z_ij − max_j z_ij) / Σ_j exp(z_ij − max_j z_ij)} with
 *     {@code z_ij = alpha·x_ij + mask_ij} (mask optional; {@code ldMask == 0} broadcasts one row);</li>
 * <li>GELU: {@code x ← x/2·(1 + erf(x/√2))} (the exact form of BERT);</li>
 * <li>SiLU: {@code x ← x·σ(x)}; SwiGLU: {@code gate ← silu(gate) ∘ up};</li>
 * <li>LayerNorm: {@code x_i ← (x_i − μ)/√(σ² + eps) ∘ gamma + beta} per row (biased variance);</li>
 * <li>RMSNorm: {@code x_i ← x_i/√(mean(x_i²) + eps) ∘ gamma} per row.</li>
 * </ul>
 * Costs are O(mn) with one exp or erf per element for softmax/GELU/SiLU.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: m, n ≥ 1, every
 * operand in bounds, outputs disjoint from the other operands (gamma, beta, mask, up). Only
 * {@code x} (or {@code gate}) is modified. Row statistics should be accumulated in at least
 * float precision with a max-subtracted softmax so that large logits and masks of
 * {@code −Float.MAX_VALUE} neither overflow nor produce NaN. Thread-safe.
 */
public interface ElementwiseRoutine {
  /** Row softmax of {@code alpha·x + mask}; {@code mask} may be null, {@code ldMask == 0} broadcasts its first row. */
  void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask);

  /** Exact (erf) GELU in place. */
  void sgelu(int m, int n, float[] x, int off, int ld);

  /** SiLU {@code x·σ(x)} in place. */
  void ssilu(int m, int n, float[] x, int off, int ld);

  /** SwiGLU: {@code gate ← silu(gate) ∘ up}; up is not modified. */
  void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp);

  /** LayerNorm of each row with per-column gamma and beta (length n at the given offsets). */
  void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps);

  /** RMSNorm of each row with per-column gamma. */
  void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps);
}
