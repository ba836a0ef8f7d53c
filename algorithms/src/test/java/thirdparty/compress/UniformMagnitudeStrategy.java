package thirdparty.compress;

import java.util.Map;
import structura.algorithms.compress.Citation;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionResult;
import structura.algorithms.compress.CompressionStrategy;
import structura.algorithms.compress.MagnitudeOptions;
import structura.algorithms.compress.MagnitudeStrategy;

/**
 * A method from outside the library: magnitude pruning with FFN widths rounded to single neurons.
 * {@code ThirdPartyStrategyTest} packs this class alone into an automatic module with a
 * META-INF/services entry and loads it in its own module layer, as a deployment would.
 */
public final class UniformMagnitudeStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "third-party-magnitude";
  }

  @Override
  public String summary() {
    return "magnitude pruning with single-neuron FFN widths (a test provider from outside the module)";
  }

  @Override
  public Citation citation() {
    return new MagnitudeStrategy().citation();
  }

  @Override
  public Map<String, String> optionHelp() {
    return Map.of();
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return new MagnitudeStrategy().compress(request, new MagnitudeOptions(1));
  }
}
