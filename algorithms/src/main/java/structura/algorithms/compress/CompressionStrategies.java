package structura.algorithms.compress;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/** Finds {@link CompressionStrategy} implementations through {@link ServiceLoader}. */
public final class CompressionStrategies {
  private CompressionStrategies() {}

  /** Every strategy on the module path, sorted by name. */
  public static List<CompressionStrategy> all() {
    return ServiceLoader.load(CompressionStrategy.class, CompressionStrategies.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(java.util.Comparator.comparing(CompressionStrategy::name))
        .toList();
  }

  /**
   * The strategy called {@code name}.
   *
   * @throws InvalidArgumentException naming the strategies found when there is none of that name
   */
  public static CompressionStrategy byName(String name) {
    List<CompressionStrategy> all = all();
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "no compression method '" + name + "'.",
            "Use one of: " + all.stream().map(CompressionStrategy::name).collect(Collectors.joining(", ")) + "."));
  }
}
