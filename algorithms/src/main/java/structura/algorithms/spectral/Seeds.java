package structura.algorithms.spectral;

/** Per-partition seeds: each partition's stream derives from (seed, partition index). Package-private. */
final class Seeds {
  private Seeds() {}

  /** A well-mixed seed for partition {@code index} of a run seeded {@code seed} (SplitMix64 finalizer). */
  static long forPartition(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
