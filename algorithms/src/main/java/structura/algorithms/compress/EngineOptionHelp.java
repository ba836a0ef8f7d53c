package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/** Help text of the options STAT and id-prune share through {@link StatEngine}; the defaults are passed in. */
final class EngineOptionHelp {
  private EngineOptionHelp() {}

  static Map<String, String> of(int allocationSamples, boolean intercept, int neuronMultiple, int sketchRows, long seed) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("allocation-samples", "texts in the allocation pass of the original model (default " + allocationSamples + ")");
    m.put("intercept", "fold the dropped units' mean into the bias (default " + intercept + ")");
    m.put("neuron-multiple", "keep FFN widths a multiple of this (default " + neuronMultiple + ")");
    m.put("sketch", "CountSketch rows for the FFN Gram matrices when the calibration set has more tokens, 0 = exact (default "
        + sketchRows + ")");
    m.put("seed", "seed of the sketch (default " + seed + ")");
    return m;
  }
}
