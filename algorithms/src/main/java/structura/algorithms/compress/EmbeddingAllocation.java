package structura.algorithms.compress;

import java.util.List;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.SentenceEmbeddings;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The error of the final sentence embedding under a choice of per-block widths, measured on a
 * calibration sample: what {@link StatEngine}'s {@code allocation=embedding} minimises instead of
 * the sum of per-block output errors.
 *
 * <p>The embedding is the sentence-transformers recipe of all-MiniLM-L6-v2: the last hidden state
 * (after the final norm, if any) mean-pooled over the real tokens and L2-normalised
 * ({@link SentenceEmbeddings#meanPool}). The error of a configuration is
 * {@code E = (1/T) Σ_t ‖e'_t − e_t‖² = (2/T) Σ_t (1 − cos(e'_t, e_t))} over the T sample texts,
 * so {@code 1 − E/2} is the mean cosine fidelity on the sample. The pruned blocks are built by the
 * caller ({@link Pruner}) from the allocation pass's selections on the <em>original</em> model's
 * statistics, so E is a proxy of the sequentially compressed network's error, not that error.
 *
 * <p>Cost: {@link #single} runs blocks {@code i .. depth−1} on the sample from block i's saved
 * input; {@link #of} a forward pass of the sample. Memory: the sample's input of every block
 * ({@code depth · Σ B·L·d} floats).
 */
final class EmbeddingAllocation {
  /** Builds block i pruned to the given head and neuron counts (the block itself when both are full). */
  interface Pruner {
    TransformerBlock block(int i, int heads, int neurons);
  }

  private final Compute compute;
  private final TransformerNetwork original;
  private final List<TokenBatch> batches;
  private final List<List<Matrix>> blockInputs;
  private final Pruner pruner;
  private final List<Matrix> reference;
  private final int texts;

  /**
   * @param blockInputs per block i, the original network's input of block i for every sample batch
   *     (not modified)
   */
  EmbeddingAllocation(Compute compute, TransformerNetwork original, List<TokenBatch> batches,
      List<List<Matrix>> blockInputs, Pruner pruner) {
    this.compute = compute;
    this.original = original;
    this.batches = batches;
    this.blockInputs = blockInputs;
    this.pruner = pruner;
    TransformerForward f = new TransformerForward(compute, original);
    this.reference = new java.util.ArrayList<>(batches.size());
    int t = 0;
    for (int q = 0; q < batches.size(); q++) {
      reference.add(SentenceEmbeddings.meanPool(f.lastHiddenStateFrom(0, blockInputs.get(0).get(q), batches.get(q)),
          batches.get(q), true));
      t += batches.get(q).batch();
    }
    this.texts = t;
  }

  /** E with only block i pruned to (heads, neurons), every other block original. */
  double single(int i, int heads, int neurons) {
    return error(Pruning.replace(original, i, pruner.block(i, heads, neurons)), i);
  }

  /** E with every block i pruned to (heads[i], neurons[i]). */
  double of(int[] heads, int[] neurons) {
    TransformerNetwork net = original;
    for (int i = 0; i < original.depth(); i++) {
      net = Pruning.replace(net, i, pruner.block(i, heads[i], neurons[i]));
    }
    return error(net, 0);
  }

  private double error(TransformerNetwork net, int from) {
    TransformerForward f = new TransformerForward(compute, net);
    double sum = 0;
    for (int q = 0; q < batches.size(); q++) {
      Matrix e = SentenceEmbeddings.meanPool(f.lastHiddenStateFrom(from, blockInputs.get(from).get(q), batches.get(q)),
          batches.get(q), true);
      Matrix r = reference.get(q);
      for (int b = 0; b < e.rows(); b++) {
        for (int j = 0; j < e.cols(); j++) {
          double d = e.get(b, j) - r.get(b, j);
          sum += d * d;
        }
      }
    }
    return sum / texts;
  }
}
