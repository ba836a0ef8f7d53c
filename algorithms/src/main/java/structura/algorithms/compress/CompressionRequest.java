package structura.algorithms.compress;

import java.util.Map;
import java.util.Objects;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;

/**
 * Input of {@link CompressionStrategy#compress}.
 *
 * @param network the network to compress; not modified
 * @param calibration tokenized calibration texts
 * @param budget how much to keep
 * @param compute backend for forward passes and factorizations
 * @param options strategy options by name (see {@link CompressionStrategy#optionHelp()}); unknown names are an error
 * @param progress receives progress
 */
public record CompressionRequest(TransformerNetwork network, CalibrationData calibration, Budget budget,
    Compute compute, Map<String, String> options, ProgressListener progress) {
  /** Checks for nulls and copies the options. */
  public CompressionRequest {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(compute, "compute");
    options = Map.copyOf(options == null ? Map.of() : options);
    progress = progress == null ? ProgressListener.NONE : progress;
  }
}
