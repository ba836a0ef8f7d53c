package structura.algorithms.compress;

/** Rounding of kept unit counts, shared by the width-pruning strategies. */
final class Widths {
  private Widths() {}

  /** The fewest FFN neurons a block of width f keeps: one, or one multiple. */
  static int minNeurons(int f, int multiple) {
    return Math.min(f, Math.max(1, multiple));
  }

  /** k rounded to the nearest multiple (GEMM-friendly shapes), within [{@link #minNeurons}, f]. */
  static int roundNeurons(int k, int f, int multiple) {
    if (multiple <= 1 || k >= f) {
      return Math.max(1, Math.min(k, f));
    }
    int r = (int) Math.round((double) k / multiple) * multiple;
    return Math.max(minNeurons(f, multiple), Math.min(f, r));
  }

  /** ⌈fraction·h⌉ heads, at least one and at most h. */
  static int heads(int h, double fraction) {
    return Math.max(1, Math.min(h, (int) Math.ceil(fraction * h - 1e-9)));
  }
}
