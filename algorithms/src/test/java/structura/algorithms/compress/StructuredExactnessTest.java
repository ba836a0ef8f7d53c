package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.TransformerForward;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit;
import structura.algorithms.structured.WhitenedBlockTensorTrainFit.Shape;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Planted structure, as {@link CompressionExactnessTest} does for pruning: FFN weights that are
 * exactly Monarch (b = 4 blocks) or exactly two-core BTTs (rank 2) come back exactly from
 * {@code monarch} and {@code btt} at the budget of that structure (output unchanged to F32
 * rounding on token batches never seen in calibration), and one step cheaper (b = 2, r = 1) is no
 * longer exact.
 */
class StructuredExactnessTest {
  static final Compute C = Compute.reference();
  static final double TOLERANCE = 1e-4;
  static final CalibrationData CALIBRATION = CompressionFixtures.calibration(32);
  static final List<TokenBatch> FRESH = List.of(CompressionFixtures.batch(33, 5), CompressionFixtures.batch(34, 7));

  /** {@link CompressionFixtures#bert} with FFN up and down replaced by the dense form of random structures. */
  static TransformerNetwork planted(BlockTensorTrainFamily family, Shape upShape, Shape downShape, long seed) {
    TransformerNetwork net = CompressionFixtures.bert(seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<TransformerBlock> blocks = new ArrayList<>();
    for (TransformerBlock b : net.blocks()) {
      Mlp m = b.mlp();
      Linear up = new Linear(denseOf(rnd, upShape, 1.0 / Math.sqrt(m.up().in())), m.up().bias());
      Linear down = new Linear(denseOf(rnd, downShape, 1.0 / Math.sqrt(m.down().in())), m.down().bias());
      blocks.add(new TransformerBlock(b.attention(), new Mlp(up, null, down, m.activation()), b.attentionNorm(), b.mlpNorm(),
          b.placement()));
    }
    return new TransformerNetwork(net.family(), net.embeddings(), blocks, net.finalNorm(), net.lmHead(), net.metadata());
  }

  static Matrix denseOf(SplittableRandom rnd, Shape s, double scale) {
    Matrix first = Matrix.zeros(DType.F32, s.m2() * s.rank() * s.n1(), s.m1());
    Matrix second = Matrix.zeros(DType.F32, s.n1() * s.n2(), s.m2() * s.rank());
    for (Matrix m : new Matrix[] {first, second}) {
      for (int i = 0; i < m.rows(); i++) {
        for (int j = 0; j < m.cols(); j++) {
          m.set(i, j, rnd.nextDouble(-1, 1) * Math.sqrt(3 * scale));
        }
      }
    }
    return WhitenedBlockTensorTrainFit.dense(new Linear.Btt(s.m1(), s.m2(), s.n1(), s.n2(), s.rank(), first, second))
        .toDType(DType.F32);
  }

  /** The parameter budget of {@code net} with FFN layers at the given layer MAC ratio. */
  static Budget budgetAt(TransformerNetwork net, BlockTensorTrainFamily family, double ratio) {
    MacModel macs = new MacModel(CALIBRATION.meanLength());
    double total = StructuredReplacement.cost(net, 1, macs, true, family, false);
    return new Budget.ParameterFraction(StructuredReplacement.cost(net, ratio, macs, true, family, false) / total + 1e-12);
  }

  static double outputChange(TransformerNetwork original, TransformerNetwork compressed) {
    TransformerForward before = new TransformerForward(C, original);
    TransformerForward after = new TransformerForward(C, compressed);
    double m = 0;
    for (TokenBatch b : FRESH) {
      m = Math.max(m, CompressionFixtures.maxRealRowDiff(before.lastHiddenState(b), after.lastHiddenState(b), b));
    }
    return m;
  }

  static TransformerNetwork run(CompressionStrategy s, TransformerNetwork net, Budget budget) {
    return s.compress(new CompressionRequest(net, CALIBRATION, budget, C, Map.of(), null)).network();
  }

  @Test
  void plantedMonarchFfnComesBackExactlyAndOneStepCheaperDoesNot() {
    // up 64 x 32 and down 32 x 64 with b = 4 blocks: rank-1 blocks of 16 x 8 and 8 x 16
    Shape up = new Shape(8, 4, 4, 16, 1);
    Shape down = new Shape(16, 4, 4, 8, 1);
    TransformerNetwork net = planted(BlockTensorTrainFamily.MONARCH, up, down, 41);
    TransformerNetwork exact = run(new MonarchStrategy(), net, budgetAt(net, BlockTensorTrainFamily.MONARCH, 4.0 * 96 / 2048));
    for (TransformerBlock b : exact.blocks()) {
      assertNotNull(b.mlp().up().btt());
      assertEquals(4, b.mlp().up().btt().m2());
      assertEquals(4, b.mlp().down().btt().n1());
      assertNull(b.attention().query().btt());
    }
    double change = outputChange(net, exact);
    assertTrue(change < TOLERANCE, "b = 4 changed the output by " + change);
    TransformerNetwork fewer = run(new MonarchStrategy(), net, budgetAt(net, BlockTensorTrainFamily.MONARCH, 2.0 * 96 / 2048));
    assertEquals(2, fewer.blocks().get(0).mlp().up().btt().m2());
    double control = outputChange(net, fewer);
    assertTrue(control > 100 * TOLERANCE, "b = 2 changed the output by only " + control);
  }

  @Test
  void plantedRankTwoBttFfnComesBackExactlyAndRankOneDoesNot() {
    // balanced digits: up 64 x 32 is (8·8) x (8·4), down 32 x 64 is (4·8) x (8·8); 512·r MACs per token each
    Shape up = new Shape(8, 4, 8, 8, 2);
    Shape down = new Shape(8, 8, 4, 8, 2);
    TransformerNetwork net = planted(BlockTensorTrainFamily.BTT, up, down, 43);
    TransformerNetwork exact = run(new BttStrategy(), net, budgetAt(net, BlockTensorTrainFamily.BTT, 1024.0 / 2048));
    assertEquals(2, exact.blocks().get(1).mlp().down().btt().rank());
    double change = outputChange(net, exact);
    assertTrue(change < TOLERANCE, "rank 2 changed the output by " + change);
    TransformerNetwork lower = run(new BttStrategy(), net, budgetAt(net, BlockTensorTrainFamily.BTT, 512.0 / 2048));
    assertEquals(1, lower.blocks().get(1).mlp().down().btt().rank());
    double control = outputChange(net, lower);
    assertTrue(control > 100 * TOLERANCE, "rank 1 changed the output by only " + control);
  }
}
