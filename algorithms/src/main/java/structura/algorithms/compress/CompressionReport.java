package structura.algorithms.compress;

import java.util.List;
import java.util.Map;

/**
 * What a compression run did, for printing and for the JSON report.
 *
 * @param method strategy name
 * @param citation where the method comes from
 * @param backend id of the compute backend used
 * @param budget the budget asked for, as given
 * @param parametersBefore parameters of the whole network before
 * @param parametersAfter and after
 * @param blockParametersBefore parameters of the transformer blocks before
 * @param blockParametersAfter and after
 * @param macsBefore block MACs per sequence at {@code sequenceLength} ({@link MacModel}) before
 * @param macsAfter and after
 * @param sequenceLength L of the MAC model (mean calibration length)
 * @param calibrationTexts calibration texts used
 * @param calibrationTokens real calibration tokens used
 * @param blocks per-block widths and errors
 * @param stageSeconds wall time per stage, in order
 */
public record CompressionReport(String method, String citation, String backend, String budget, long parametersBefore,
    long parametersAfter, long blockParametersBefore, long blockParametersAfter, double macsBefore, double macsAfter,
    double sequenceLength, int calibrationTexts, long calibrationTokens, List<BlockReport> blocks,
    Map<String, Double> stageSeconds) {
  /** Copies the lists. */
  public CompressionReport {
    blocks = List.copyOf(blocks);
    stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds));
  }

  /** MACs after over MACs before. */
  public double macFraction() {
    return macsAfter / macsBefore;
  }

  /** Block parameters after over before. */
  public double parameterFraction() {
    return (double) blockParametersAfter / blockParametersBefore;
  }

  /**
   * One block.
   *
   * @param block index
   * @param headsBefore attention heads before
   * @param headsAfter after
   * @param queryKeyDimBefore per-head query/key width before
   * @param queryKeyDimAfter after
   * @param valueDimBefore per-head value width before
   * @param valueDimAfter after
   * @param neuronsBefore FFN neurons before
   * @param neuronsAfter after
   * @param attentionError relative calibration error of the attention output,
   *     {@code ‖Y − Ŷ‖_F / ‖Y − Ȳ‖_F} over the calibration tokens (NaN when not measured)
   * @param ffnError the same for the FFN output
   */
  public record BlockReport(int block, int headsBefore, int headsAfter, int queryKeyDimBefore, int queryKeyDimAfter,
      int valueDimBefore, int valueDimAfter, int neuronsBefore, int neuronsAfter, double attentionError,
      double ffnError) {}
}
