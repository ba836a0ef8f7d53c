package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.List;
import structura.algorithms.nn.ActivationHook;
import structura.algorithms.nn.TransformerForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;

/**
 * Runs calibration batches through a network one block at a time, keeping every batch's hidden
 * state between blocks ({@code tokens × d} F32 per batch, padded rows included). This lets a
 * strategy compress block i, then feed the <em>compressed</em> block's output to block i+1
 * (sequential calibration, as STAT and ID pruning do), at the cost of one block evaluation per
 * batch per pass instead of a forward pass per block. Memory: {@code Σ B·L·d} floats.
 */
final class Calibrator {
  private final Compute compute;
  private final CalibrationData data;
  private final List<Matrix> states = new ArrayList<>();
  private int position;

  /** Embeds every batch with {@code network}'s embeddings; the state is the input of block 0. */
  Calibrator(Compute compute, TransformerNetwork network, CalibrationData data) {
    this.compute = compute;
    this.data = data;
    TransformerForward f = new TransformerForward(compute, network);
    for (var batch : data.batches()) {
      states.add(f.embeddings(batch));
    }
  }

  /** The block whose input the current states are. */
  int position() {
    return position;
  }

  /** Runs block {@code block} of {@code network} on the current states as far as its FFN activations ({@link TransformerForward#observeBlock}), passing them to {@code hook}; states unchanged. */
  void observe(TransformerNetwork network, int block, ActivationHook hook) {
    checkPosition(block);
    TransformerForward f = new TransformerForward(compute, network);
    for (int i = 0; i < states.size(); i++) {
      if (hook instanceof StatisticsHook sh) {
        sh.startBatch(data.batches().get(i));
      }
      f.observeBlock(block, states.get(i), data.batches().get(i), hook);
    }
  }

  /** Runs block {@code block} of {@code network} (hook may be null) and makes its outputs the new states. */
  void advance(TransformerNetwork network, int block, ActivationHook hook) {
    checkPosition(block);
    TransformerForward f = new TransformerForward(compute, network);
    for (int i = 0; i < states.size(); i++) {
      if (hook instanceof StatisticsHook sh) {
        sh.startBatch(data.batches().get(i));
      }
      states.set(i, f.block(block, states.get(i), data.batches().get(i), hook));
    }
    position++;
  }

  /**
   * Advances through block {@code block} of {@code network} whose attention keeps the heads
   * {@code keptHeads} (ascending) of the block observed last, reusing that observation's cached
   * per-head outputs ({@link TransformerForward#blockFromHeads}): the kept heads' outputs are
   * unchanged by pruning, so only the output projection and the MLP are recomputed.
   */
  void advanceFromHeads(TransformerNetwork network, int block, List<Matrix> cachedHeads, int[] keptHeads, int valueDim) {
    checkPosition(block);
    TransformerForward f = new TransformerForward(compute, network);
    for (int i = 0; i < states.size(); i++) {
      Matrix all = cachedHeads.get(i);
      Matrix kept = Matrix.zeros(structura.api.DType.F32, all.rows(), keptHeads.length * valueDim);
      for (int h = 0; h < keptHeads.length; h++) {
        kept.view(0, h * valueDim, all.rows(), valueDim).copyFrom(all.view(0, keptHeads[h] * valueDim, all.rows(), valueDim));
      }
      cachedHeads.set(i, null); // free as we go
      states.set(i, f.blockFromHeads(block, states.get(i), kept, data.batches().get(i)));
    }
    position++;
  }

  private void checkPosition(int block) {
    if (block != position) {
      throw new IllegalStateException("calibration states are the input of block " + position + ", not " + block);
    }
  }
}
