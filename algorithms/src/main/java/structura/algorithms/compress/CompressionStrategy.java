package structura.algorithms.compress;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

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
   * Checks {@code options} (the {@link CompressionRequest#options()} a caller will pass) before any
   * work, so that a typo in a key or a bad value is reported in milliseconds rather than after the
   * model was loaded. The default accepts exactly the keys of {@link #optionHelp()} and does not
   * read values; strategies with typed options override it to parse them. Modifies nothing.
   *
   * @throws InvalidArgumentException INVALID_ARGUMENT naming the key and the keys
   *     allowed, or the bad value and what is expected
   */
  default void checkOptions(Map<String, String> options) {
    Set<String> known = optionHelp().keySet();
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            name() + " has no option '" + key + "'.", known.isEmpty() ? name() + " takes no -o options."
                : "Use one of: " + String.join(", ", new TreeSet<>(known)) + ".");
      }
    }
  }

  /**
   * Compresses the network.
   *
   * @throws structura.api.InvalidArgumentException for a budget that cannot be met (the message
   *     states the smallest reachable value), an unusable calibration set, an unknown option, or
   *     non-finite activations
   */
  CompressionResult compress(CompressionRequest request);
}
