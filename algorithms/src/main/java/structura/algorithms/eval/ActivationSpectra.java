package structura.algorithms.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import structura.algorithms.compress.CovarianceAccumulator;
import structura.algorithms.linalg.SymmetricEigen;
import structura.algorithms.nn.ActivationHook;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerNetwork;

/**
 * The covariance spectra of every block's activations over a text corpus: the residual stream
 * after the block (tokens × d) and the FFN intermediate after its activation (tokens × f), over
 * real (unpadded) tokens. This is the analysis behind interpolative-decomposition pruning
 * (Chee, Flynn, Damle and De Sa, "Model preserving compression for neural networks", NeurIPS
 * 2022): activations whose spectrum decays fast have a small effective rank, so an ID keeps few
 * neurons for a small error.
 *
 * <p><b>Method.</b> One forward pass per batch with a hook feeding a {@link CovarianceAccumulator}
 * per block and kind (xᵀx and x summed with F64 products); then the centered scatter divided by the token
 * count, and its eigenvalues ({@link SymmetricEigen}).
 *
 * <p><b>Cost.</b> The forward pass, plus per token {@code d² + f²} multiply-adds per block on the
 * backend; memory {@code 8·(d² + f²)} bytes per block; then one d×d and one f×f
 * eigendecomposition per block. Nothing passed in is modified.
 */
public final class ActivationSpectra {
  private ActivationSpectra() {}

  /** One block's spectra. */
  public record Layer(int block, Spectrum hidden, Spectrum ffn) {}

  /** Told after each batch. */
  @FunctionalInterface
  public interface Progress {
    /** @param done batches finished, @param total batches */
    void batchDone(int done, int total);
  }

  /**
   * @param compute the backend the forward pass and the accumulation run on
   * @param network the model, not modified
   * @param batches token batches; padding is dropped
   * @param progress told after each batch; may be null
   * @return one entry per block, in order
   */
  public static List<Layer> measure(Compute compute, TransformerNetwork network, List<TokenBatch> batches,
      Progress progress) {
    TransformerForward forward = new TransformerForward(Objects.requireNonNull(compute, "compute"), network);
    int depth = forward.network().blocks().size();
    CovarianceAccumulator[] hidden = new CovarianceAccumulator[depth];
    CovarianceAccumulator[] ffn = new CovarianceAccumulator[depth];
    for (int b = 0; b < depth; b++) {
      var block = forward.network().blocks().get(b);
      hidden[b] = new CovarianceAccumulator(compute, "hidden state of block " + b, block.width(), 0, b, true);
      ffn[b] = new CovarianceAccumulator(compute, "FFN activations of block " + b, block.mlp().width(), 0, b, true);
    }
    ActivationHook hook = new ActivationHook() {
      @Override
      public void blockOutput(int block, int sequence, Matrix rows) {
        hidden[block].accept(rows);
      }

      @Override
      public void ffnIntermediate(int block, int sequence, Matrix rows) {
        ffn[block].accept(rows);
      }
    };
    int done = 0;
    for (TokenBatch batch : batches) {
      forward.lastHiddenState(batch, hook);
      if (progress != null) {
        progress.batchDone(++done, batches.size());
      }
    }
    List<Layer> out = new ArrayList<>();
    for (int b = 0; b < depth; b++) {
      out.add(new Layer(b, spectrum(compute, hidden[b]), spectrum(compute, ffn[b])));
    }
    return out;
  }

  /** Eigenvalues of the covariance (centered scatter / count) of what an accumulator saw. */
  static Spectrum spectrum(Compute compute, CovarianceAccumulator acc) {
    var m = acc.moments();
    Matrix c = m.centeredScatter();
    compute.scale(1.0 / Math.max(1, m.count()), c);
    return new Spectrum(SymmetricEigen.decompose(c).values());
  }
}
