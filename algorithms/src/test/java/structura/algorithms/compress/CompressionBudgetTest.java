package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.CompressionFixtures.BLOCKS;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.Pruning;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.backend.Compute;
import structura.api.nn.TransformerNetwork;

/**
 * Global budgets (MAC and parameter fractions), unreachable targets, bad calibration sets,
 * options and strategy discovery.
 */
class CompressionBudgetTest {
  static final Compute C = Compute.reference();
  static TransformerNetwork net;
  static CalibrationData calibration;

  @BeforeAll
  static void setUp() {
    net = CompressionFixtures.bert(31);
    calibration = CompressionFixtures.calibration(32);
  }

  static CompressionRequest request(TransformerNetwork n, CalibrationData data, Budget b, Map<String, String> options) {
    return new CompressionRequest(n, data, b, C, options, null);
  }

  /** The smallest MAC fraction, computed on the actually pruned network with MacModel.network. */
  static double smallestFraction(int heads, int neurons) {
    TransformerNetwork small = net;
    for (int b = 0; b < BLOCKS; b++) {
      small = Pruning.keepHeads(small, b, IntStream.range(0, heads).toArray());
      small = Pruning.keepNeurons(small, b, IntStream.range(0, neurons).toArray());
    }
    MacModel m = new MacModel(calibration.meanLength());
    return m.network(small) / m.network(net);
  }

  @Test
  void macFractionBudgetIsMetClosely() {
    // id-prune keeps every head, which is more than half of these blocks' MACs: 0.7 for it
    for (String method : List.of("stat", "id-prune", "magnitude")) {
      double target = method.equals("id-prune") ? 0.7 : 0.5;
      CompressionResult r = CompressionStrategies.byName(method)
          .compress(request(net, calibration, new Budget.MacFraction(target), Map.of()));
      double f = r.report().macFraction();
      assertTrue(f <= target + 1e-12 && f > target - 0.1, method + ": MAC fraction " + f);
      // the report's count is the MacModel count of the returned network
      MacModel m = new MacModel(calibration.meanLength());
      assertEquals(m.network(r.network()) / m.network(net), f, 1e-12);
      assertEquals(calibration.meanLength(), r.report().sequenceLength(), 1e-12);
    }
  }

  @Test
  void parameterFractionBudgetIsMet() {
    for (String method : List.of("stat", "id-prune", "magnitude")) {
      for (double target : new double[] {0.6, 0.85}) {
        CompressionResult r = CompressionStrategies.byName(method)
            .compress(request(net, calibration, new Budget.ParameterFraction(target), Map.of()));
        double f = r.report().parameterFraction();
        double exact = (double) MacModel.blockParameters(r.network()) / MacModel.blockParameters(net);
        assertEquals(exact, f, 1e-12);
        assertTrue(f <= target + 1e-12, method + " at " + target + ": parameter fraction " + f);
        assertTrue(f > target - 0.15, method + " at " + target + ": parameter fraction " + f);
      }
    }
  }

  @Test
  void parameterFractionJustBelowAReachableConfigurationIsMet() {
    // Magnitude keeps ρ of the heads and neurons in every block, so its answer for a target just
    // below the exact block-parameter fraction of (3 heads, 48 neurons) is predictable. A cost
    // model that counts the output and down-projection biases (which pruning cannot remove) as
    // removable thinks that configuration is cheaper than it is and accepts it, missing the target.
    TransformerNetwork kept = net;
    for (int b = 0; b < BLOCKS; b++) {
      kept = Pruning.keepHeads(kept, b, new int[] {0, 1, 2});
      kept = Pruning.keepNeurons(kept, b, IntStream.range(0, 48).toArray());
    }
    double total = MacModel.blockParameters(net);
    double target = (MacModel.blockParameters(kept) - 10) / total;
    for (String method : List.of("magnitude", "stat", "id-prune")) {
      CompressionResult r = CompressionStrategies.byName(method)
          .compress(request(net, calibration, new Budget.ParameterFraction(target), Map.of()));
      assertTrue(r.report().parameterFraction() <= target, method + ": " + r.report().parameterFraction() + " > " + target);
    }
    // and a few more targets: every one is met
    for (double t : new double[] {0.58, 0.66, 0.79, 0.93}) {
      for (String method : List.of("magnitude", "stat")) {
        CompressionResult r = CompressionStrategies.byName(method)
            .compress(request(net, calibration, new Budget.ParameterFraction(t), Map.of()));
        assertTrue(r.report().parameterFraction() <= t + 1e-12, method + ": " + r.report().parameterFraction() + " > " + t);
      }
    }
  }

  @Test
  void unreachableTargetStatesTheSmallestReachableValue() {
    UnreachableTargetException stat = assertThrows(UnreachableTargetException.class,
        () -> new StatStrategy().compress(request(net, calibration, new Budget.MacFraction(0.001), Map.of())));
    // stat: one head and 16 neurons (neuron-multiple) per block
    double statMin = smallestFraction(1, 16);
    assertTrue(stat.detail().contains(String.format(Locale.ROOT, "%.4f", statMin)), stat.getMessage());
    assertEquals(statMin, stat.smallestReachable(), 1e-12);
    assertEquals(ErrorCode.TARGET_UNREACHABLE, stat.code());

    UnreachableTargetException id = assertThrows(UnreachableTargetException.class,
        () -> new IdPruneStrategy().compress(request(net, calibration, new Budget.MacFraction(0.001), Map.of())));
    // id-prune does not prune heads: all heads and one neuron per block
    double idMin = smallestFraction(CompressionFixtures.HEADS, 1);
    assertTrue(id.detail().contains(String.format(Locale.ROOT, "%.4f", idMin)), id.getMessage());
    assertEquals(idMin, id.smallestReachable(), 1e-12);
    assertTrue(id.smallestReachable() > stat.smallestReachable(), "id-prune keeps all heads, so its minimum is higher");
    assertTrue(id.detail().contains("every head") && !id.detail().contains("one head"), id.getMessage());
    assertTrue(stat.detail().contains("one head"), stat.getMessage());

    UnreachableTargetException mag = assertThrows(UnreachableTargetException.class,
        () -> new MagnitudeStrategy().compress(request(net, calibration, new Budget.MacFraction(0.001), Map.of())));
    assertEquals(stat.smallestReachable(), mag.smallestReachable(), 1e-12);

    // the stated value is reachable, and met
    double stated = Math.ceil(stat.smallestReachable() * 1e4) / 1e4;
    assertTrue(stat.remedy().contains(String.format(Locale.ROOT, "--target %.4f", stated)), stat.getMessage());
    CompressionResult r = new StatStrategy().compress(request(net, calibration, new Budget.MacFraction(stated), Map.of()));
    assertTrue(r.report().macFraction() <= stated + 1e-12, "fraction " + r.report().macFraction());
  }

  @Test
  void badCalibrationIsRejected() {
    InvalidArgumentException empty = assertThrows(InvalidArgumentException.class, () -> CalibrationData.of(List.of(), 8, 0));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    assertThrows(InvalidArgumentException.class, () -> CalibrationData.of(List.of(new int[] {1}, new int[0]), 8, 0));

    CalibrationData tiny = CalibrationData.of(List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7, 8}), 8, 0);
    for (CompressionStrategy s : List.of(new StatStrategy(), new IdPruneStrategy())) {
      InvalidArgumentException few = assertThrows(InvalidArgumentException.class,
          () -> s.compress(request(net, tiny, new Budget.KeepFractions(0.5, 0.5), Map.of())));
      assertTrue(few.getMessage().contains("8 tokens") && few.getMessage().contains("64"), few.getMessage());
    }

    // a NaN weight in block 1's up projection: reported where it enters, naming the block
    for (Budget b : List.of(new Budget.KeepFractions(0.5, 0.5), new Budget.MacFraction(0.6))) {
      TransformerNetwork broken = CompressionFixtures.bert(31);
      broken.blocks().get(1).mlp().up().weight().set(3, 4, Float.NaN);
      InvalidArgumentException nan = assertThrows(InvalidArgumentException.class,
          () -> new StatStrategy().compress(request(broken, calibration, b, Map.of())));
      assertTrue(nan.getMessage().contains("block 1"), nan.getMessage());
      assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    }
  }

  @Test
  void unknownAndMalformedOptionsAreRejected() {
    for (CompressionStrategy s : CompressionStrategies.all()) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> s.compress(request(net, calibration, new Budget.KeepFractions(0.5, 0.5), Map.of("bogus", "1"))));
      assertTrue(e.getMessage().contains("bogus"), e.getMessage());
      for (String known : s.optionHelp().keySet()) {
        assertTrue(e.remedy().contains(known), s.name() + " lists " + known + ": " + e.getMessage());
      }
    }
    InvalidArgumentException bad = assertThrows(InvalidArgumentException.class, () -> new StatStrategy()
        .compress(request(net, calibration, new Budget.KeepFractions(0.5, 0.5), Map.of("neuron-multiple", "zero"))));
    assertTrue(bad.getMessage().contains("neuron-multiple"), bad.getMessage());
    assertThrows(InvalidArgumentException.class, () -> new IdPruneStrategy()
        .compress(request(net, calibration, new Budget.MacFraction(0.5), Map.of("step", "1.5"))));
  }

  @Test
  void budgetsValidateTheirFractions() {
    for (double f : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThrows(InvalidArgumentException.class, () -> new Budget.MacFraction(f));
      assertThrows(InvalidArgumentException.class, () -> new Budget.ParameterFraction(f));
      assertThrows(InvalidArgumentException.class, () -> new Budget.KeepFractions(f, 0.5));
      assertThrows(InvalidArgumentException.class, () -> new Budget.KeepFractions(0.5, f));
    }
    assertEquals(0.3, new Budget.MacFraction(0.3).globalFraction());
    assertTrue(Double.isNaN(new Budget.KeepFractions(1, 1).globalFraction()));
  }

  @Test
  void strategiesAreFoundByServiceLoader() {
    List<String> names = CompressionStrategies.all().stream().map(CompressionStrategy::name).toList();
    assertTrue(names.containsAll(List.of("stat", "id-prune", "magnitude", "modegpt", "svd", "monarch", "btt", "disp", "cur")), names.toString());
    assertEquals(names.stream().sorted().toList(), names, "sorted by name");
    assertEquals(StatStrategy.class, CompressionStrategies.byName("stat").getClass());
    assertEquals(IdPruneStrategy.class, CompressionStrategies.byName("id-prune").getClass());
    assertEquals(MagnitudeStrategy.class, CompressionStrategies.byName("magnitude").getClass());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> CompressionStrategies.byName("nope"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    for (String n : names) {
      assertTrue(e.remedy().contains(n), e.getMessage());
    }
    for (CompressionStrategy s : CompressionStrategies.all()) {
      assertTrue(!s.summary().isBlank() && s.citation() != null && !s.optionHelp().isEmpty(), s.name());
    }
  }
}
