package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import structura.algorithms.structured.StructureAwareScaling.CoreScaling;
import structura.algorithms.structured.StructureAwareScaling.Optimizer;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.EinsumDims;

/** The µP rules of "Compute Better Spent" as written in the paper notes (compression.md §5.2–5.3). */
class StructureAwareScalingTest {
  @Test
  void initStdIsTheSpectralRule() {
    assertEquals(1.0 / 8, StructureAwareScaling.initStd(64, 256), 1e-15);   // wide: 1/sqrt(fanIn)
    assertEquals(1.0 / 32, StructureAwareScaling.initStd(256, 64), 1e-15);  // narrow: sqrt(64)/256
    assertEquals(1.0 / 64, StructureAwareScaling.initStd(4096, 4096), 1e-15);
    // rms_max = sqrt(min)/fanIn: the same numbers
    assertEquals(1.0 / 8, StructureAwareScaling.rmsMax(64, 256), 1e-15);
    assertEquals(1.0 / 32, StructureAwareScaling.rmsMax(256, 64), 1e-15);
  }

  @Test
  void bttCoresOfARank4Layer() {
    // d = 4096 = 64·64, rank 4; base width 64: dense Adam multiplier 64/4096
    List<CoreScaling> s = StructureAwareScaling.blockTensorTrain(new int[] {64, 64}, new int[] {64, 64},
        new int[] {1, 4, 1}, 1, Optimizer.ADAM, 64, 64, false);
    assertEquals(new CoreScaling(64, 256, 1.0 / 8, 1.0 / 8, (4096.0 / 64) / 2 * (64.0 / 4096)), s.get(0));
    assertEquals(new CoreScaling(256, 64, 1.0 / 32, 1.0 / 32, (4096.0 / 256) / 2 * (64.0 / 4096)), s.get(1));
    assertEquals(0.5, s.get(0).lrMultiplier(), 1e-15);
    assertEquals(0.125, s.get(1).lrMultiplier(), 1e-15);
  }

  @Test
  void sgdMultipliersFollowTheAspectRatioRule() {
    assertEquals((512.0 / 128) / (64.0 / 32), StructureAwareScaling.denseLrMultiplier(Optimizer.SGD, 32, 64, 128, 512), 1e-15);
    // core 16 -> 8 inside a 128 -> 512 layer, two cores, dense multiplier 2
    assertEquals(((8.0 / 16) / (512.0 / 128)) / 2 * 2,
        StructureAwareScaling.coreLrMultiplier(Optimizer.SGD, 128, 512, 16, 8, 2, 2), 1e-15);
  }

  @Test
  void mixtureOfExpertsPretendsRankOneAndLastCoreCanBeZero() {
    List<CoreScaling> s = StructureAwareScaling.blockTensorTrain(new int[] {32, 16}, new int[] {16, 32},
        new int[] {1, 8, 1}, 8, Optimizer.ADAM, 512, 512, true);
    assertEquals(32, s.get(0).fanIn());
    assertEquals(16, s.get(0).fanOut());   // 16·8 / 8 experts
    assertEquals(16, s.get(1).fanIn());    // 16·8 / 8 experts
    assertEquals(32, s.get(1).fanOut());
    assertEquals(0.0, s.get(1).initStd());
    assertEquals(StructureAwareScaling.initStd(32, 16), s.get(0).initStd(), 1e-15);
  }

  @Test
  void einsumCoresUseTheBmm0Widths() {
    EinsumDims dims = new EinsumDims(64, 1, 64, 1, 64, 64, 4);
    List<CoreScaling> s = StructureAwareScaling.einsum(dims, Optimizer.ADAM, 4096, 4096, false);
    assertEquals(64, s.get(0).fanIn());
    assertEquals(64 * 4, s.get(0).fanOut());
    assertEquals(64 * 4, s.get(1).fanIn());
    assertEquals(64, s.get(1).fanOut());
    assertEquals(StructureAwareScaling.initStd(64, 256), s.get(0).initStd(), 1e-15);
    assertEquals((4096.0 / 256) / 2, s.get(1).lrMultiplier(), 1e-15);
  }

  @Test
  void initialCoresHaveTheTargetStandardDeviation() {
    int[] m = {32, 32};
    int[] n = {32, 32};
    int[] r = {1, 2, 1};
    List<CoreScaling> s = StructureAwareScaling.blockTensorTrain(m, n, r, 1, Optimizer.ADAM, 1024, 1024, false);
    List<Matrix> cores = StructureAwareScaling.initialBlockTensorTrainCores(DType.F64, m, n, r, s, 9);
    for (int t = 0; t < 2; t++) {
      Matrix g = cores.get(t);
      double sum = 0;
      for (int i = 0; i < g.rows(); i++) {
        for (int j = 0; j < g.cols(); j++) {
          sum += g.get(i, j) * g.get(i, j);
        }
      }
      double std = Math.sqrt(sum / g.size());
      // 65536 samples: the sample std is within 1 % of the target with overwhelming probability
      assertEquals(s.get(t).initStd(), std, 0.01 * s.get(t).initStd());
    }
  }
}
