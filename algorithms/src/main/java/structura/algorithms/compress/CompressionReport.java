package structura.algorithms.compress;

import java.util.List;
import java.util.Map;
import structura.api.nn.TransformerNetwork;

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

  /**
   * The report of a run of {@code method}: sizes and block MACs before and after at the
   * calibration's mean length, the budget as given, the backend, and the stages' times.
   */
  static CompressionReport of(CompressionRequest request, String method, Citation citation, TransformerNetwork before,
      TransformerNetwork after, List<BlockReport> blocks, Map<String, Double> stages) {
    MacModel macs = new MacModel(request.calibration().meanLength());
    return new CompressionReport(method, citation.toString(), request.compute().backendId(), describe(request.budget()),
        before.parameterCount(), after.parameterCount(), MacModel.blockParameters(before), MacModel.blockParameters(after),
        macs.network(before), macs.network(after), macs.sequenceLength(), request.calibration().texts(),
        request.calibration().tokens(), blocks, stages);
  }

  private static String describe(Budget b) {
    return switch (b) {
      case Budget.MacFraction m -> "MACs " + m.fraction();
      case Budget.ParameterFraction p -> "parameters " + p.fraction();
      case Budget.KeepFractions k -> "keep heads " + k.heads() + ", neurons " + k.neurons();
    };
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
   * @param ranks the block's linear layers replaced by low-rank factors (svd), in the order query,
   *     key, value, output, up, gate, down; empty for methods that prune heads or neurons
   */
  public record BlockReport(int block, int headsBefore, int headsAfter, int queryKeyDimBefore, int queryKeyDimAfter,
      int valueDimBefore, int valueDimAfter, int neuronsBefore, int neuronsAfter, double attentionError,
      double ffnError, List<LayerRank> ranks) {
    /** Copies the ranks ({@code null} means none). */
    public BlockReport {
      ranks = ranks == null ? List.of() : List.copyOf(ranks);
    }

    /** A block without low-rank layers. */
    public BlockReport(int block, int headsBefore, int headsAfter, int queryKeyDimBefore, int queryKeyDimAfter,
        int valueDimBefore, int valueDimAfter, int neuronsBefore, int neuronsAfter, double attentionError,
        double ffnError) {
      this(block, headsBefore, headsAfter, queryKeyDimBefore, queryKeyDimAfter, valueDimBefore, valueDimAfter,
          neuronsBefore, neuronsAfter, attentionError, ffnError, List.of());
    }
  }

  /**
   * One linear layer of a block and the rank it was given.
   *
   * @param layer {@code query}, {@code key}, {@code value}, {@code output}, {@code up}, {@code gate} or {@code down}
   * @param out output width of W
   * @param in input width of W
   * @param rank k of the factors {@code W ≈ U·V}, or {@code min(out, in)} where the layer stayed dense
   * @param factored whether the layer was replaced by factors (a layer whose factors would not be smaller stays dense)
   * @param error relative calibration error of the layer's output, {@code ‖X(W − UV)ᵀ‖_F / ‖XWᵀ‖_F}
   *     (biases excluded), 0 for a dense layer
   */
  public record LayerRank(String layer, int out, int in, int rank, boolean factored, double error) {}
}
