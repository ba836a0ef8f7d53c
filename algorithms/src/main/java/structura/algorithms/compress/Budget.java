package structura.algorithms.compress;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * How much of a network to keep. A {@link MacFraction} or {@link ParameterFraction} is a global
 * target that each strategy distributes over its blocks by its own rule; {@link KeepFractions}
 * fixes the per-block fractions directly.
 */
public sealed interface Budget {
  /**
   * Keep at most {@code fraction} of the multiply-accumulates of the transformer blocks at the
   * calibration's mean sequence length ({@link MacModel}); embeddings are not counted, as in STAT.
   *
   * @param fraction in (0, 1]
   */
  record MacFraction(double fraction) implements Budget {
    /** Validates the range. */
    public MacFraction {
      check(fraction, "MAC fraction");
    }
  }

  /**
   * Keep at most {@code fraction} of the parameters of the transformer blocks (embeddings excluded).
   *
   * @param fraction in (0, 1]
   */
  record ParameterFraction(double fraction) implements Budget {
    /** Validates the range. */
    public ParameterFraction {
      check(fraction, "parameter fraction");
    }
  }

  /**
   * Keep {@code ⌈heads·H⌉} attention heads and {@code ⌈neurons·f⌉} FFN neurons in every block
   * (for MoDeGPT: the fractions of query-key and value dimensions and of FFN neurons).
   *
   * @param heads fraction of heads (or head dimensions) in (0, 1]
   * @param neurons fraction of FFN neurons in (0, 1]
   */
  record KeepFractions(double heads, double neurons) implements Budget {
    /** Validates the ranges. */
    public KeepFractions {
      check(heads, "head keep fraction");
      check(neurons, "neuron keep fraction");
    }
  }

  /** The global fraction of a {@link MacFraction} or {@link ParameterFraction}, else NaN. */
  default double globalFraction() {
    return switch (this) {
      case MacFraction m -> m.fraction();
      case ParameterFraction p -> p.fraction();
      case KeepFractions k -> Double.NaN;
    };
  }

  private static void check(double f, String what) {
    if (!(f > 0 && f <= 1)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, what + " is " + f + ".",
          "Give a fraction in (0, 1], e.g. 0.5 to keep half.");
    }
  }
}
