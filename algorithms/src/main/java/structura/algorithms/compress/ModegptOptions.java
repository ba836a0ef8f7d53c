package structura.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@link ModegptStrategy}. Defaults: {@link #DEFAULTS}, written once and read by
 * {@link #parse} and {@link #help}.
 *
 * @param nystromRidge ridge of the leverage scores, relative to the mean activation second moment,
 *     in [0, 1e6] (default 1e-2)
 * @param smoothing epsilon of the block-influence softmax, in [1e-6, 1e6] (default 0.15)
 * @param maxSparsity largest fraction removed from any block, in [0, 0.99] (default 0.8)
 * @param voRidge ridge added to the eigenvalues of C_x, relative to their mean, in [0, 1e6] (default 1e-4)
 * @param neuronMultiple keep FFN widths a multiple of this, ≥ 1 (default 16)
 * @param queryKey how the query-key dimensions are reduced: {@code "cr"}, the paper's column-row
 *     selection of dimensions (no correction), or {@code "svd"}, the rank-k SVD of the whitened
 *     bilinear form {@code S̃·W̃_qᵀW̃_k·S̃} (biases included), the reference code's alternative for
 *     models without rotary embeddings (default "cr")
 * @param sequential statistics of each block from the already compressed blocks before it (true),
 *     or all from one pass of the original model, as the reference code does (false, the default)
 */
public record ModegptOptions(double nystromRidge, double smoothing, double maxSparsity, double voRidge,
    int neuronMultiple, String queryKey, boolean sequential) {
  /** The defaults. */
  public static final ModegptOptions DEFAULTS = new ModegptOptions(1e-2, 0.15, 0.8, 1e-4, 16, "cr", false);

  /**
   * The options in {@code values}, the rest at their defaults.
   *
   * @throws structura.api.InvalidArgumentException for an unknown key or a bad value
   */
  public static ModegptOptions parse(Map<String, String> values) {
    Options o = new Options("modegpt", values, help().keySet());
    return new ModegptOptions(o.real("nystrom-ridge", DEFAULTS.nystromRidge(), 0, 1e6),
        o.real("smoothing", DEFAULTS.smoothing(), 1e-6, 1e6), o.real("max-sparsity", DEFAULTS.maxSparsity(), 0, 0.99),
        o.real("vo-ridge", DEFAULTS.voRidge(), 0, 1e6), o.integer("neuron-multiple", DEFAULTS.neuronMultiple(), 1),
        o.choice("query-key", DEFAULTS.queryKey(), java.util.List.of("cr", "svd")),
        o.bool("sequential", DEFAULTS.sequential()));
  }

  /** Each key with what it does and its default. */
  public static Map<String, String> help() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("nystrom-ridge", "ridge of the leverage scores, relative to the mean activation second moment (default "
        + DEFAULTS.nystromRidge() + ")");
    m.put("smoothing", "epsilon of the block-influence softmax (default " + DEFAULTS.smoothing() + ")");
    m.put("max-sparsity", "largest fraction removed from any block (default " + DEFAULTS.maxSparsity() + ")");
    m.put("vo-ridge", "ridge added to the eigenvalues of C_x, relative to their mean (default " + DEFAULTS.voRidge() + ")");
    m.put("neuron-multiple", "keep FFN widths a multiple of this (default " + DEFAULTS.neuronMultiple() + ")");
    m.put("query-key", "query-key reduction: cr (the paper's dimension selection) or svd (whitened SVD of W_q^T W_k) "
        + "(default " + DEFAULTS.queryKey() + ")");
    m.put("sequential", "statistics of each block from the compressed blocks before it (default "
        + DEFAULTS.sequential() + ")");
    return m;
  }
}
