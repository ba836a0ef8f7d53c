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

  /** Number of batches. */
  int batches() {
    return states.size();
  }

  /** Rows (padded tokens) over all batches: the row count of any per-token activation of the whole set. */
  long rows() {
    long rows = 0;
    for (Matrix state : states) {
      rows += state.rows();
    }
    return rows;
  }

  /** Batch i. */
  structura.api.nn.TokenBatch batch(int i) {
    return data.batches().get(i);
  }

  /** The hidden state of batch i (the input of block {@link #position()}). */
  Matrix state(int i) {
    return states.get(i);
  }

  /** Replaces every batch's state by the output of block {@code block}, computed by the caller. */
  void advanceTo(int block, List<Matrix> outputs) {
    checkPosition(block);
    if (outputs.size() != states.size()) {
      throw new IllegalStateException("need " + states.size() + " states, got " + outputs.size());
    }
    for (int i = 0; i < outputs.size(); i++) {
      states.set(i, outputs.get(i));
    }
    position++;
  }

  /** The block whose input the current states are. */
  int position() {
    return position;
  }

  /** Runs block {@code block} of {@code network} (hook may be null) and makes its outputs the new states. */
  void advance(TransformerNetwork network, int block, ActivationHook hook) {
    checkPosition(block);
    TransformerForward f = new TransformerForward(compute, network);
    for (int i = 0; i < states.size(); i++) {
      states.set(i, f.block(block, states.get(i), data.batches().get(i), hook));
    }
    position++;
  }

  private void checkPosition(int block) {
    if (block != position) {
      throw new IllegalStateException("calibration states are the input of block " + position + ", not " + block);
    }
  }
}
