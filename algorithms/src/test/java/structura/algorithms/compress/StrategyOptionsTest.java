package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/** Each strategy's options record: the empty map gives the defaults, the help prints them, keys are checked. */
class StrategyOptionsTest {
  @Test
  void anEmptyMapGivesTheDefaults() {
    assertEquals(StatOptions.DEFAULTS, StatOptions.parse(Map.of()));
    assertEquals(IdPruneOptions.DEFAULTS, IdPruneOptions.parse(Map.of()));
    assertEquals(MagnitudeOptions.DEFAULTS, MagnitudeOptions.parse(Map.of()));
    assertEquals(ModegptOptions.DEFAULTS, ModegptOptions.parse(Map.of()));
    assertEquals(SvdOptions.DEFAULTS, SvdOptions.parse(Map.of()));
    // the values the strategies used before the records (compression results are unchanged)
    assertEquals(new StatOptions(true, 16, 64, 16384, 0, StatOptions.Allocation.BLOCK, StatOptions.NormCorrection.NONE), StatOptions.DEFAULTS);
    assertEquals(new IdPruneOptions(0.9, false, 1, 64, 16384, 0), IdPruneOptions.DEFAULTS);
    assertEquals(new MagnitudeOptions(16), MagnitudeOptions.DEFAULTS);
    assertEquals(new ModegptOptions(1e-2, 0.15, 0.8, 1e-4, 16, "cr", false), ModegptOptions.DEFAULTS);
    assertEquals(new SvdOptions(1e-6, true), SvdOptions.DEFAULTS);
  }

  @Test
  void givenValuesOverrideTheDefaults() {
    assertEquals(new StatOptions(false, 8, 32, 0, 7, StatOptions.Allocation.EMBEDDING, StatOptions.NormCorrection.AFFINE),
        StatOptions.parse(Map.of("intercept", "false", "neuron-multiple", "8", "allocation-samples", "32", "sketch", "0",
            "seed", "7", "allocation", "embedding", "norm-correction", "affine")));
    assertEquals(0.5, IdPruneOptions.parse(Map.of("step", "0.5")).step());
    assertEquals(0.6, ModegptOptions.parse(Map.of("max-sparsity", "0.6")).maxSparsity());
    assertEquals(false, SvdOptions.parse(Map.of("f64-gram", "no")).f64Gram());
  }

  @Test
  void theHelpPrintsEachDefaultFromTheRecord() {
    assertTrue(StatOptions.help().get("neuron-multiple").endsWith("(default " + StatOptions.DEFAULTS.neuronMultiple() + ")"));
    assertTrue(IdPruneOptions.help().get("neuron-multiple").endsWith("(default " + IdPruneOptions.DEFAULTS.neuronMultiple() + ")"));
    assertTrue(IdPruneOptions.help().get("intercept").endsWith("(default false)"));
    assertTrue(StatOptions.help().get("sketch").endsWith("(default 16384)"));
    assertTrue(ModegptOptions.help().get("max-sparsity").endsWith("(default 0.8)"));
    assertTrue(SvdOptions.help().get("shift").endsWith("(default 1.0E-6)"));
    assertEquals(StatOptions.help(), new StatStrategy().optionHelp());
    assertEquals(IdPruneOptions.help(), new IdPruneStrategy().optionHelp());
    assertEquals(MagnitudeOptions.help(), new MagnitudeStrategy().optionHelp());
    assertEquals(ModegptOptions.help(), new ModegptStrategy().optionHelp());
    assertEquals(SvdOptions.help(), new SvdStrategy().optionHelp());
  }

  @Test
  void unknownKeysAndBadValuesAreRejected() {
    InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class,
        () -> ModegptOptions.parse(Map.of("max-sparsty", "0.5")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
    for (String key : ModegptOptions.help().keySet()) {
      assertTrue(unknown.remedy().contains(key), unknown.getMessage());
    }
    assertThrows(InvalidArgumentException.class, () -> IdPruneOptions.parse(Map.of("step", "1.5")));
    assertThrows(InvalidArgumentException.class, () -> StatOptions.parse(Map.of("seed", "-1")));
    assertThrows(InvalidArgumentException.class, () -> SvdOptions.parse(Map.of("f64-gram", "maybe")));
  }
}
