package structura.algorithms.compress;

import java.util.Map;
import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Options of {@link SequentialIdPruning}.
 *
 * @param sizing how the kept sizes are chosen: {@link Sizing#FRACTION} (one shot, the paper's
 *     {@code k_args='frac'}) or {@link Sizing#FLOP_BUDGET} (the paper's error-per-FLOP iteration,
 *     {@code k_args='iditer'})
 * @param keepFraction with {@code FRACTION}: every prunable layer keeps max(1, ⌊keepFraction·n⌋)
 *     of its n units unless {@code layerKeepFractions} names it; in (0, 1]; default 0.70 (the
 *     reference code's default k)
 * @param layerKeepFractions with {@code FRACTION}: per-layer overrides, keyed by the index of the
 *     Dense/Conv2d layer in {@code SequentialNetwork.layers()}; values in (0, 1]; default empty
 * @param targetFlopFraction with {@code FLOP_BUDGET}: iterate until the FLOPs are at most this
 *     fraction of the original; in (0, 1]; default 0.5 (the reference code's {@code flops_reduc})
 * @param step with {@code FLOP_BUDGET}: each iteration prunes one layer from n to
 *     max(1, ⌊step·n⌋) units; in (0, 1); default 0.9 (the CIFAR notebook; the ImageNet script
 *     uses 0.98, which takes more iterations)
 * @param batchSize rows per forward batch when the calibration set is passed as one matrix
 *     ({@link SequentialIdPruning#prune(structura.api.nn.SequentialNetwork, structura.api.Matrix)});
 *     at least 1; default 64
 */
public record SequentialIdPruningOptions(Sizing sizing, double keepFraction, Map<Integer, Double> layerKeepFractions,
    double targetFlopFraction, double step, int batchSize) {
  /** How the per-layer sizes are chosen. */
  public enum Sizing {
    /** One shot: fixed fractions per layer, all IDs from the unpruned network's activations. */
    FRACTION,
    /** The greedy error-per-FLOP iteration down to a FLOP budget. */
    FLOP_BUDGET
  }

  /** Validates. */
  public SequentialIdPruningOptions {
    Objects.requireNonNull(sizing, "sizing");
    layerKeepFractions = Map.copyOf(Objects.requireNonNull(layerKeepFractions, "layerKeepFractions"));
    fraction("keepFraction", keepFraction);
    for (Map.Entry<Integer, Double> e : layerKeepFractions.entrySet()) {
      fraction("layerKeepFractions[" + e.getKey() + "]", e.getValue());
    }
    fraction("targetFlopFraction", targetFlopFraction);
    if (!(step > 0 && step < 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "SequentialIdPruningOptions: step = " + step + " must be in (0, 1).",
          "Pass a step such as 0.9 (each iteration keeps 90% of one layer's units).");
    }
    if (batchSize < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "SequentialIdPruningOptions: batchSize = " + batchSize + " must be at least 1.", "Pass a positive batch size.");
    }
  }

  private static void fraction(String name, double f) {
    if (!(f > 0 && f <= 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "SequentialIdPruningOptions: " + name + " = " + f + " must be in (0, 1].",
          "Pass the fraction to keep, e.g. 0.5 to keep half.");
    }
  }

  /** One shot: every prunable layer keeps ⌊keepFraction·n⌋ units (at least 1). */
  public static SequentialIdPruningOptions fraction(double keepFraction) {
    return new SequentialIdPruningOptions(Sizing.FRACTION, keepFraction, Map.of(), 0.5, 0.9, 64);
  }

  /** One shot with per-layer fractions (layer index → fraction); other prunable layers keep all units. */
  public static SequentialIdPruningOptions fractions(Map<Integer, Double> layerKeepFractions) {
    return new SequentialIdPruningOptions(Sizing.FRACTION, 1.0, layerKeepFractions, 0.5, 0.9, 64);
  }

  /** The greedy iteration down to {@code targetFlopFraction} of the original FLOPs, step 0.9. */
  public static SequentialIdPruningOptions flopBudget(double targetFlopFraction) {
    return new SequentialIdPruningOptions(Sizing.FLOP_BUDGET, 0.7, Map.of(), targetFlopFraction, 0.9, 64);
  }

  /** This with another step. */
  public SequentialIdPruningOptions withStep(double newStep) {
    return new SequentialIdPruningOptions(sizing, keepFraction, layerKeepFractions, targetFlopFraction, newStep, batchSize);
  }

  /** This with another batch size. */
  public SequentialIdPruningOptions withBatchSize(int newBatchSize) {
    return new SequentialIdPruningOptions(sizing, keepFraction, layerKeepFractions, targetFlopFraction, step, newBatchSize);
  }
}
