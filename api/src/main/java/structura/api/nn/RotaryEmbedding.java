package structura.api.nn;

import java.util.Arrays;

/**
 * Rotary position embedding (RoPE) in the "rotate half" layout of HuggingFace Llama. With
 * {@code half = (rotated entries of a head)/2}, entry j and entry {@code j + half} form a pair
 * rotated by the angle {@code pos · theta^(−2·f_j/dims)}:
 * <pre>  x'_j = x_j cos − x_{j+half} sin,   x'_{j+half} = x_{j+half} cos + x_j sin</pre>
 * Unpruned, {@code f_j = j} and half = dims/2. After query/key dimension pruning (MoDeGPT keeps
 * pairs of dimensions), each key/value head g keeps its own frequency indices
 * {@code frequencies[g]} (ascending, each in {@code [0, dims/2)}), and its head has
 * {@code 2·frequencies[g].length} rotated entries.
 *
 * @param dims the rotary dimension of the original head (even), which fixes the frequencies
 * @param theta the base, for example 10000 (Llama 2) or 500000 (Llama 3 without scaling)
 * @param frequencies per key/value head, the kept frequency indices; {@code null} for all of them
 */
public record RotaryEmbedding(int dims, double theta, int[][] frequencies) {
  /** Validates an even positive {@code dims}, {@code theta > 1} and frequency indices in range. */
  public RotaryEmbedding {
    Shapes.positive(dims, "rotary dims");
    if (dims % 2 != 0 || !(theta > 1)) {
      throw Shapes.mismatch("rotary dims " + dims + " and theta " + theta + ".", "Use an even dims and theta > 1.");
    }
    if (frequencies != null) {
      frequencies = frequencies.clone();
      for (int g = 0; g < frequencies.length; g++) {
        int[] f = frequencies[g].clone();
        frequencies[g] = f;
        for (int j = 0; j < f.length; j++) {
          if (f[j] < 0 || f[j] >= dims / 2 || (j > 0 && f[j] <= f[j - 1])) {
            throw Shapes.mismatch("rotary frequencies of key/value head " + g + " are " + Arrays.toString(f) + ".",
                "Use ascending distinct indices in [0, " + dims / 2 + ").");
          }
        }
      }
    }
  }

  /** Unpruned RoPE over {@code dims} entries of each head. */
  public RotaryEmbedding(int dims, double theta) {
    this(dims, theta, null);
  }

  /** The frequency index of pair j in key/value head g. */
  public int frequency(int g, int j) {
    return frequencies == null ? j : frequencies[g][j];
  }

  /** Rotated pairs per head: {@code dims/2} unpruned, else the kept count (the same for every head). */
  public int pairs(int g) {
    return frequencies == null ? dims / 2 : frequencies[g].length;
  }

  /** The inverse frequency {@code theta^(−2f/dims)} of frequency index f. */
  public double inverseFrequency(int f) {
    return Math.pow(theta, -2.0 * f / dims);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RotaryEmbedding r && r.dims == dims && Double.compare(r.theta, theta) == 0
        && Arrays.deepEquals(r.frequencies, frequencies);
  }

  @Override
  public int hashCode() {
    return 31 * Integer.hashCode(dims) + Double.hashCode(theta) + Arrays.deepHashCode(frequencies);
  }

  @Override
  public String toString() {
    return "RotaryEmbedding[dims=" + dims + ", theta=" + theta + (frequencies == null ? "" : ", pruned") + "]";
  }
}
