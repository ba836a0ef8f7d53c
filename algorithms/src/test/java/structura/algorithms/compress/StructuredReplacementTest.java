package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit.Shape;
import structura.api.InvalidArgumentException;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The budget and options of {@code monarch} and {@code btt}: the candidate structures of each
 * family, the MAC fraction met and nearly used, FFN-only against attention too, an unreachable
 * target naming the smallest fraction and the attention option, and the options' bounds.
 */
class StructuredReplacementTest {
  static final Compute C = Compute.reference();
  static final TransformerNetwork NET = CompressionFixtures.bert(51);
  static final CalibrationData CALIBRATION = CompressionFixtures.calibration(52);

  static CompressionResult run(CompressionStrategy s, Budget b, Map<String, String> options) {
    return s.compress(new CompressionRequest(NET, CALIBRATION, b, C, options, null));
  }

  @Test
  void familiesListCheaperStructuresInOrder() {
    // Monarch on 1536 x 384: b | 384, b·(384 + 1536) < 384·1536, i.e. b < 307.2
    List<Shape> monarch = BlockTensorTrainFamily.MONARCH.candidates(1536, 384);
    assertEquals(List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192), monarch.stream().map(Shape::m2).toList());
    assertTrue(monarch.stream().allMatch(s -> s.rank() == 1 && s.n1() == s.m2() && s.macsPerRow() == s.m2() * 1920L));
    // BTT on 1536 x 384: 384 = 24·16 (m2 = 16), 1536 = 32·48 (n1 = 32); r·(32·384 + 16·1536) = 36864·r < 589824
    List<Shape> btt = BlockTensorTrainFamily.BTT.candidates(1536, 384);
    assertEquals(15, btt.size());
    assertEquals(new Shape(24, 16, 32, 48, 1), btt.get(0));
    assertEquals(36864L * 15, btt.get(14).macsPerRow());
    assertEquals(16, BlockTensorTrainFamily.nearestDivisor(384));
    assertEquals(32, BlockTensorTrainFamily.nearestDivisor(1536));
    // the choice at a ratio: the costliest at most ratio·out·in, the cheapest below all, dense at 1
    assertEquals(64, BlockTensorTrainFamily.MONARCH.at(monarch, 1536, 384, 0.25).m2());
    assertEquals(1, BlockTensorTrainFamily.MONARCH.at(monarch, 1536, 384, 1e-9).m2());
    assertNull(BlockTensorTrainFamily.MONARCH.at(monarch, 1536, 384, 1));
  }

  @Test
  void theMacTargetIsMetAndNearlyUsed() {
    for (CompressionStrategy s : List.of(new MonarchStrategy(), new BttStrategy())) {
      for (double target : new double[] {0.8, 0.6}) {
        CompressionResult r = run(s, new Budget.MacFraction(target), Map.of("attention", "true"));
        double fraction = r.report().macFraction();
        assertTrue(fraction <= target && fraction > target - 0.15, s.name() + " at " + target + ": " + fraction);
        for (TransformerBlock b : r.network().blocks()) {
          for (Linear l : List.of(b.mlp().up(), b.mlp().down())) {
            assertNotNull(l.btt(), s.name());
          }
        }
      }
    }
    // FFN only by default: attention stays dense
    CompressionResult ffn = run(new BttStrategy(), new Budget.MacFraction(0.8), Map.of());
    assertTrue(ffn.network().blocks().get(0).attention().query().isDense());
    assertTrue(ffn.report().macFraction() <= 0.8);
  }

  @Test
  void anUnreachableTargetNamesTheSmallestFractionAndTheAttentionOption() {
    UnreachableTargetException e = assertThrows(UnreachableTargetException.class,
        () -> run(new MonarchStrategy(), new Budget.MacFraction(0.1), Map.of()));
    assertTrue(e.smallestReachable() > 0.1 && e.smallestReachable() < 1, e.getMessage());
    assertTrue(e.remedy().contains("attention=true"), e.remedy());
    assertThrows(InvalidArgumentException.class, () -> run(new BttStrategy(), new Budget.KeepFractions(0.5, 0.5), Map.of()));
  }

  @Test
  void optionsHaveBoundsAndDefaults() {
    assertEquals(StructuredOptions.DEFAULTS, StructuredOptions.parse("btt", Map.of()));
    assertEquals(5, StructuredOptions.parse("btt", Map.of("sweeps", "5")).sweeps());
    assertTrue(StructuredOptions.parse("monarch", Map.of("attention", "true")).attention());
    assertThrows(InvalidArgumentException.class, () -> StructuredOptions.parse("btt", Map.of("sweeps", "21")));
    assertThrows(InvalidArgumentException.class, () -> StructuredOptions.parse("btt", Map.of("sweeps", "-1")));
    assertThrows(InvalidArgumentException.class, () -> StructuredOptions.parse("btt", Map.of("shift", "2")));
  }
}
