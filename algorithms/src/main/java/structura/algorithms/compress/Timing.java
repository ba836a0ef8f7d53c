package structura.algorithms.compress;

/** Wall time of the stages reported in {@link CompressionReport#stageSeconds()}. */
final class Timing {
  private Timing() {}

  /** Seconds since {@code start}, a {@link System#nanoTime()} reading. */
  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
