package structura.algorithms.compress;

import java.util.List;
import java.util.Objects;
import structura.api.nn.SequentialNetwork;

/**
 * The result of {@link SequentialIdPruning}.
 *
 * @param network the pruned network (new weight arrays; the input network is not modified)
 * @param layers one entry per prunable layer, in network order
 * @param flopsBefore FLOPs per sample of the input network ({@link SequentialNetwork#flops()})
 * @param flopsAfter FLOPs per sample of the pruned network
 * @param steps the greedy iterations in order (empty for one-shot fractions)
 * @param calibrationSamples samples seen in one pass over the calibration set
 */
public record SequentialIdPruningResult(SequentialNetwork network, List<LayerResult> layers, long flopsBefore,
    long flopsAfter, List<Step> steps, long calibrationSamples) {
  /** Copies the lists. */
  public SequentialIdPruningResult {
    Objects.requireNonNull(network, "network");
    layers = List.copyOf(layers);
    steps = List.copyOf(steps);
  }

  /** flopsAfter / flopsBefore. */
  public double flopFraction() {
    return flopsBefore == 0 ? 1.0 : (double) flopsAfter / flopsBefore;
  }

  /**
   * One prunable layer.
   *
   * @param layer index of its Dense/Conv2d layer in the network
   * @param unitsBefore units (neurons or channels) of the input network
   * @param unitsAfter units kept
   * @param kept the kept units as indices into the input network's units, ascending
   * @param errorProxy |R(k,k)/R(0,0)| of the pivoted QR of the activations at the last ID applied
   *     to this layer (the first dropped pivot; 0 if none was dropped or the layer was not pruned)
   * @param relativeError ‖Z − Z(:,J)·T‖_F / ‖Z‖_F of the last ID applied, on the calibration
   *     activations it was computed from (0 if the layer was not pruned)
   */
  public record LayerResult(int layer, int unitsBefore, int unitsAfter, int[] kept, double errorProxy,
      double relativeError) {
    /** Copies {@code kept}. */
    public LayerResult {
      kept = kept.clone();
    }

    @Override
    public int[] kept() {
      return kept.clone();
    }
  }

  /**
   * One greedy iteration.
   *
   * @param layer index of the layer pruned
   * @param unitsBefore its units before the step
   * @param unitsAfter its units after
   * @param errorProxy |R(k',k')/R(0,0)| of the chosen layer
   * @param score errorProxy divided by the FLOPs the step saves (the minimum over the candidates)
   * @param flopsAfter network FLOPs per sample after the step
   */
  public record Step(int layer, int unitsBefore, int unitsAfter, double errorProxy, double score, long flopsAfter) {}
}
