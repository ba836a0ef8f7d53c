package structura.formats;

/**
 * The check every weight tensor passes when a model is read, whatever is done with it later: a
 * NaN or infinite weight makes every downstream result meaningless (and magnitude pruning would
 * carry it silently into the output), so it is reported where it enters, naming file and tensor.
 */
final class WeightChecks {
  private WeightChecks() {}

  /**
   * @throws ModelFormatException naming {@code file}, {@code tensor}, the first bad element's flat
   *     index and the count of non-finite values
   */
  static void requireFinite(float[] data, String file, String tensor) {
    requireFinite(data, file, tensor, null);
  }

  /** As {@link #requireFinite(float[], String, String)}, naming also the layer an anonymous tensor belongs to (or {@code null}). */
  static void requireFinite(float[] data, String file, String tensor, String layer) {
    int first = -1;
    int bad = 0;
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        bad++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (first >= 0) {
      String of = layer == null ? "" : "the weight of " + layer + ": ";
      throw new ModelFormatException(file, tensor, of + bad + " non-finite value" + (bad == 1 ? "" : "s") + " (the first, "
          + data[first] + ", at flat index " + first + ").", "The weights are corrupt or came from a diverged run; use "
          + "an intact checkpoint.", null);
    }
  }
}
