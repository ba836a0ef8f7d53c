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
 * <li>RMSNorm: {@code x_i ← x_i/√(mean(x_i²) + eps) ∘ gamma} per row;</li>
 * <li>fused: bias + GELU {@code x_ij ← gelu(x_ij + b_j)} (after a projection) and bias +
 *     residual + LayerNorm {@code x_i ← LayerNorm(x_i + b + r_i)} (after a sublayer), one pass
 *     over x each.</li>
 * </ul>
 * Costs are O(mn) with one exp or erf per element for softmax/GELU/SiLU.
 *
 * <p><b>Contract for implementers.</b> Pre-validated by {@link Compute}: m, n ≥ 1, every
 * operand in bounds, outputs disjoint from the other operands (gamma, beta, mask, up). Only
 * {@code x} (or {@code gate}) is modified. Row statistics should be accumulated in at least
 * float precision with a max-subtracted softmax so that large logits and masks of
 * {@code −Float.MAX_VALUE} neither overflow nor produce NaN. Thread-safe.
 *
 * <p>The fused routines have default implementations that compose the unfused ones of the same
 * backend (a plain loop for the addition, then {@link #sgelu} or {@link #slayerNorm}), so a backend
 * that implements only those keeps working, in strict mode too: nothing falls back to the
 * reference. A backend overrides them to touch each element once; every sum must be rounded to
 * float in the order given (x + bias, then + r), as the composition rounds it, so that fused and unfused
 * calls give the same bits on a backend whose GELU and norm are deterministic.
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

  /**
   * Bias + GELU: {@code x_ij ← gelu(fl(x_ij + bias_j))} with one bias row (n values at
   * {@code biasOff}) added to every row, then the exact (erf) GELU. Cost O(mn), one erf per
   * element. Only x is modified. The default adds the bias in a loop and calls {@link #sgelu}.
   */
  default void sbiasGelu(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff) {
    for (int i = 0; i < m; i++) {
      for (int j = 0, row = off + i * ld; j < n; j++) {
        x[row + j] += bias[biasOff + j];
      }
    }
    sgelu(m, n, x, off, ld);
  }

  /**
   * Bias + residual + LayerNorm: {@code x_i ← LayerNorm(fl(fl(x_i + bias) + r_i))} per row i (the
   * output projection of a post-norm sublayer computed without its bias, then the bias, the
   * residual and the norm in one pass). bias is one row of n values at {@code biasOff}, or null
   * (no bias); r is an {@code m × n} block ({@code r[rOff + i·ldR + j]}) disjoint from x; gamma and
   * beta as in {@link #slayerNorm}. Cost O(mn). Only x is modified. The default adds bias and r
   * in a loop and calls {@link #slayerNorm}.
   */
  default void saddLayerNorm(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff, float[] r, int rOff,
      int ldR, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps) {
    for (int i = 0; i < m; i++) {
      for (int j = 0, row = off + i * ld, rr = rOff + i * ldR; j < n; j++) {
        float v = bias == null ? x[row + j] : x[row + j] + bias[biasOff + j];
        x[row + j] = v + r[rr + j];
      }
    }
    slayerNorm(m, n, x, off, ld, gamma, gammaOff, beta, betaOff, eps);
  }
}
