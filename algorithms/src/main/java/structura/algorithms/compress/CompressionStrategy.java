package structura.algorithms.compress;

import java.util.Map;

/**
 * A training-free compression method for transformer networks, found with
 * {@link java.util.ServiceLoader} ({@code provides structura.algorithms.compress.CompressionStrategy
 * with ...}; {@link CompressionStrategies} lists and finds them). Implementations are stateless
 * and thread-safe; each call of {@link #compress} reads the request and returns a new network
 * without modifying the one passed in.
 */
public interface CompressionStrategy {
  /** The name users select it by, e.g. {@code stat}. Lower case, unique among strategies. */
  String name();

  /** One line saying what it removes and how it corrects. */
  String summary();

  /** The paper it implements. */
  Citation citation();

  /** Option names accepted in {@link CompressionRequest#options()}, with their defaults and meaning. */
  Map<String, String> optionHelp();

  /**
   * Compresses the network.
   *
   * @throws structura.api.InvalidArgumentException for a budget that cannot be met (the message
   *     states the smallest reachable value), an unusable calibration set, an unknown option, or
   *     non-finite activations
   */
  CompressionResult compress(CompressionRequest request);
}
