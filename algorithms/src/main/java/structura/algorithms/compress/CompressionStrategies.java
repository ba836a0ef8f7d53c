package structura.algorithms.compress;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * Finds {@link CompressionStrategy} implementations through {@link ServiceLoader}. A third party
 * adds a method by shipping a module that declares
 * {@code provides structura.algorithms.compress.CompressionStrategy with ...} (or, on the class
 * path, a {@code META-INF/services/structura.algorithms.compress.CompressionStrategy} entry); a
 * plugin host that loads such modules into its own {@link ModuleLayer} passes that layer to
 * {@link #all(ModuleLayer)}.
 */
public final class CompressionStrategies {
  private CompressionStrategies() {}

  /** Every strategy visible to this module's class loader (module path and class path), sorted by name. */
  public static List<CompressionStrategy> all() {
    return sorted(ServiceLoader.load(CompressionStrategy.class, CompressionStrategies.class.getClassLoader()));
  }

  /** Every strategy in {@code layer} and its parent layers, sorted by name. */
  public static List<CompressionStrategy> all(ModuleLayer layer) {
    return sorted(ServiceLoader.load(layer, CompressionStrategy.class));
  }

  /**
   * The strategy called {@code name}.
   *
   * @throws InvalidArgumentException naming the strategies found when there is none of that name
   */
  public static CompressionStrategy byName(String name) {
    return byName(name, all());
  }

  /**
   * The strategy called {@code name} among {@code candidates}, e.g. {@link #all(ModuleLayer)}.
   *
   * @throws InvalidArgumentException naming the candidates when there is none of that name
   */
  public static CompressionStrategy byName(String name, List<CompressionStrategy> candidates) {
    return candidates.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "no compression method '" + name + "'.",
            "Use one of: " + candidates.stream().map(CompressionStrategy::name).collect(Collectors.joining(", ")) + "."));
  }

  private static List<CompressionStrategy> sorted(ServiceLoader<CompressionStrategy> loader) {
    return loader.stream().map(ServiceLoader.Provider::get).sorted(Comparator.comparing(CompressionStrategy::name))
        .toList();
  }
}
