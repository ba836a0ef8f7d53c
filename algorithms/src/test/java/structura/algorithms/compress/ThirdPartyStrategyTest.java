package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.InvalidArgumentException;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;
import thirdparty.compress.UniformMagnitudeStrategy;

/**
 * A compression method added from outside the library: {@link UniformMagnitudeStrategy} is packed
 * into its own jar with a {@code META-INF/services} entry (an automatic module, whose
 * {@code provides} comes from that entry), loaded in a new module layer over the boot layer, and
 * found by {@link CompressionStrategies} next to the built-in methods.
 */
class ThirdPartyStrategyTest {
  private static final String SERVICE = "META-INF/services/" + CompressionStrategy.class.getName();

  @Test
  void aProviderInAnotherModuleIsFoundAndRuns(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("thirdparty-strategy.jar");
    String classFile = UniformMagnitudeStrategy.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
        InputStream bytes = UniformMagnitudeStrategy.class.getResourceAsStream("UniformMagnitudeStrategy.class")) {
      out.putNextEntry(new JarEntry(classFile));
      bytes.transferTo(out);
      out.putNextEntry(new JarEntry(SERVICE));
      out.write((UniformMagnitudeStrategy.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    ModuleLayer boot = ModuleLayer.boot();
    Configuration config = boot.configuration().resolveAndBind(ModuleFinder.of(jar), ModuleFinder.of(),
        Set.of("thirdparty.strategy"));
    ModuleLayer layer = boot.defineModulesWithOneLoader(config, ClassLoader.getSystemClassLoader());

    List<CompressionStrategy> all = CompressionStrategies.all(layer);
    List<String> names = all.stream().map(CompressionStrategy::name).toList();
    assertTrue(names.containsAll(List.of("stat", "id-prune", "magnitude", "modegpt", "svd", "third-party-magnitude")),
        names.toString());
    CompressionStrategy added = CompressionStrategies.byName("third-party-magnitude", all);
    assertEquals("thirdparty.strategy", added.getClass().getModule().getName(), "loaded from the added module");
    assertNotEquals(UniformMagnitudeStrategy.class, added.getClass(), "not the copy compiled with the tests");
    assertFalse(CompressionStrategies.all().stream().anyMatch(s -> s.name().equals("third-party-magnitude")),
        "the boot layer does not see the added module");

    // it runs through the public API: the magnitude result at single-neuron widths
    TransformerNetwork net = CompressionFixtures.bert(71);
    CalibrationData data = CompressionFixtures.calibration(72);
    Budget half = new Budget.KeepFractions(0.5, 0.3);
    CompressionResult theirs = added.compress(new CompressionRequest(net, data, half, Compute.reference(), Map.of(), null));
    CompressionResult ours = new MagnitudeStrategy().compress(new CompressionRequest(net, data, half,
        Compute.reference(), Map.of("neuron-multiple", "1"), null));
    for (int b = 0; b < net.depth(); b++) {
      assertEquals(ours.network().blocks().get(b).mlp().width(), theirs.network().blocks().get(b).mlp().width());
      assertEquals(ours.network().blocks().get(b).attention().heads(), theirs.network().blocks().get(b).attention().heads());
    }
    assertEquals(Math.ceil(0.3 * CompressionFixtures.FFN), theirs.network().blocks().get(0).mlp().width());

    // the interface's default option check applies to it too: it takes no -o keys
    added.checkOptions(Map.of());
    var e = assertThrows(InvalidArgumentException.class, () -> added.checkOptions(Map.of("ratio", "0.5")));
    assertTrue(e.getMessage().contains("STRUCTURA-A001") && e.getMessage().contains("'ratio'"), e.getMessage());
  }

  @Test
  void builtInStrategiesCheckKeysAndValuesBeforeAnyWork() {
    for (CompressionStrategy s : CompressionStrategies.all()) {
      s.checkOptions(Map.of());
      var e = assertThrows(InvalidArgumentException.class, () -> s.checkOptions(Map.of("no-such-key", "1")), s.name());
      for (String key : s.optionHelp().keySet()) {
        assertTrue(e.getMessage().contains(key), s.name() + ": " + key + " missing from " + e.getMessage());
      }
    }
    assertThrows(InvalidArgumentException.class, () -> new StatStrategy().checkOptions(Map.of("seed", "-1")));
  }
}
