package structura.algorithms.compress;

import java.util.Map;

/**
 * Monarch replacement (Dao, Chen, Sohoni, Desai, Poli, Grogan, Liu, Rao, Rudra and Ré, "Monarch:
 * Expressive Structured Matrices for Efficient and Accurate Training", ICML 2022,
 * arXiv:2204.00595): each FFN projection (and with {@code -o attention=true} each attention
 * projection) W ({@code out × in}) becomes a Monarch matrix with b blocks,
 * {@code M = P_outᵀ·L·P·R} (R block-diagonal with b blocks of {@code b × in/b}, L with b blocks of
 * {@code out/b × b}), in the rank-1-per-block-pair form of {@link structura.api.nn.Linear.Btt} (m₂ = n₁ = b, r = 1): the
 * {@code out/b × in/b} submatrix of W at output class i₁ (rows i₁ + b·i₂) and input block j₂ is
 * rank 1, {@code b·(in + out)} multiply-accumulates and parameters per token instead of
 * {@code out·in}. The paper projects pretrained weights in the Frobenius norm (its §3.3); here the
 * fit minimises the error on the calibration activations, {@code ‖X·(W − M)ᵀ‖_F}
 * ({@link structura.algorithms.structured.WhitenedBlockTensorTrainFit}). The block count b is
 * chosen per layer from one MAC ratio for all layers ({@link StructuredReplacement}), among the
 * divisors of both dimensions. Options: {@link StructuredOptions}.
 *
 * <p><b>Deviations.</b> The paper's Monarch with b blocks of square {@code n/b × n/b} factors is
 * the same matrix set as r = n/b² here; this strategy keeps r = 1 and lets b vary (the budget has a
 * fine grid of b, not of r); {@link BttStrategy} varies r instead. No fine-tuning (the paper's
 * "reverse sparsification" fine-tunes after projecting).
 */
public final class MonarchStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "monarch";
  }

  @Override
  public String summary() {
    return "FFN (optionally attention) layers replaced by Monarch matrices fitted to the calibration activations; "
        + "block count from one MAC ratio";
  }

  @Override
  public Citation citation() {
    return new Citation("T. Dao, B. Chen, N. Sohoni, A. Desai, M. Poli, J. Grogan, A. Liu, A. Rao, A. Rudra, C. Ré",
        "Monarch: Expressive Structured Matrices for Efficient and Accurate Training", "ICML 2022",
        "https://arxiv.org/abs/2204.00595");
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
    return StructuredReplacement.compress(request, options, BlockTensorTrainFamily.MONARCH, name(), citation());
  }
}
