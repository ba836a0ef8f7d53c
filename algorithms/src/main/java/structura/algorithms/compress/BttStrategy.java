package structura.algorithms.compress;

import java.util.Map;

/**
 * Block tensor-train replacement (Qiu, Potapczynski, Finzi, Goldblum and Wilson, "Compute Better
 * Spent: Replacing Dense Layers with Structured Matrices", ICML 2024, arXiv:2406.06248): each FFN
 * projection (and with {@code -o attention=true} each attention projection) W ({@code out × in})
 * becomes a two-core BTT of rank r ({@link structura.api.nn.Linear.Btt}) with balanced digits,
 * in = m₁·m₂ with m₂ the divisor of in nearest √in, out = n₁·n₂ with n₁ the divisor of out nearest
 * √out: every {@code n₂ × m₁} submatrix at output class i₁ and input block j₂ has rank ≤ r, at
 * {@code r·(n₁·in + m₂·out)} multiply-accumulates and parameters per token. The paper trains BTT
 * layers from scratch; here they are fitted to a pretrained W on the calibration activations,
 * minimising {@code ‖X·(W − M)ᵀ‖_F}
 * ({@link structura.algorithms.structured.WhitenedBlockTensorTrainFit}). The rank r is chosen
 * per layer from one MAC ratio for all layers ({@link StructuredReplacement}). Options:
 * {@link StructuredOptions}.
 *
 * <p><b>Deviations.</b> Two cores only (the paper's default for its transformer experiments);
 * the output is numbered with the first core's digit least significant (see
 * {@link structura.api.operator.BlockTensorTrainOperator}); no training.
 */
public final class BttStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "btt";
  }

  @Override
  public String summary() {
    return "FFN (optionally attention) layers replaced by two-core block tensor trains fitted to the calibration "
        + "activations; rank from one MAC ratio";
  }

  @Override
  public Citation citation() {
    return new Citation("S. Qiu, A. Potapczynski, M. Finzi, M. Goldblum, A. G. Wilson",
        "Compute Better Spent: Replacing Dense Layers with Structured Matrices", "ICML 2024",
        "https://arxiv.org/abs/2406.06248");
  }

  @Override
  public Map<String, String> optionHelp() {
    return StructuredOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    StructuredOptions.parse(name(), options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, StructuredOptions.parse(name(), request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, StructuredOptions options) {
    return StructuredReplacement.compress(request, options, BlockTensorTrainFamily.BTT, name(), citation());
  }
}
