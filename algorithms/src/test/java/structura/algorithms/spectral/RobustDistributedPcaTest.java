package structura.algorithms.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * α = 10 % of the partitions (4 of 40) return valid but arbitrary bases through the
 * {@link NodeFault} hook. The robust estimator must stay within 2× of its clean error under every
 * attack; under the attacks that change the subspace (random bases, a coordinated spike) the
 * non-robust Procrustes estimator must break down (at least 5× its clean error). Sign and rotation
 * attacks change only the basis, which Procrustes alignment undoes by construction.
 */
class RobustDistributedPcaTest {
  private static final int K = 3;
  private static final int P = 40;
  private static final Set<Integer> CORRUPTED = Set.of(5, 15, 25, 35);
  private static final SpikedCovarianceModel MODEL =
      new SpikedCovarianceModel(40, new double[] {20, 15, 10}, 1.0, 1500L * P, P, 0, 99);
  private static InProcessPartitions data;
  private static double robustClean;
  private static double procrustesClean;

  @BeforeAll
  static void clean() {
    data = new InProcessPartitions(MODEL, 2);
    robustClean = error(PcaMethod.ROBUST, NodeFault.NONE);
    procrustesClean = error(PcaMethod.PROCRUSTES, NodeFault.NONE);
  }

  @org.junit.jupiter.api.AfterAll
  static void close() {
    data.close();
  }

  private static DistributedPcaResult result(PcaMethod method, NodeFault fault) {
    return new DistributedPca(DistributedPcaOptions.ofRank(K).withMethod(method).withFault(fault)).estimate(data);
  }

  private static double error(PcaMethod method, NodeFault fault) {
    return SubspaceDistance.sinTheta(result(method, fault).components(), MODEL.truth());
  }

  @Test
  void cleanRobustEstimatorLosesLittleAgainstProcrustes() {
    assertTrue(robustClean <= 1.1 * procrustesClean, robustClean + " vs " + procrustesClean);
  }

  @Test
  void randomOrthogonalBases() {
    NodeFault fault = Attacks.randomBasis(CORRUPTED, 1);
    DistributedPcaResult robust = result(PcaMethod.ROBUST, fault);
    double robustError = SubspaceDistance.sinTheta(robust.components(), MODEL.truth());
    double procrustes = error(PcaMethod.PROCRUSTES, fault);
    assertTrue(robustError <= 2 * robustClean, "robust " + robustError + " vs clean " + robustClean);
    assertTrue(procrustes >= 5 * procrustesClean, "Procrustes " + procrustes + " vs clean " + procrustesClean);
    assertArrayEquals(new int[] {5, 15, 25, 35}, robust.droppedPartitions());
  }

  @Test
  void scaledUpSpikeInOneDirection() {
    NodeFault fault = Attacks.scaledSpike(CORRUPTED, 2);
    double robust = error(PcaMethod.ROBUST, fault);
    double procrustes = error(PcaMethod.PROCRUSTES, fault);
    assertTrue(robust <= 2 * robustClean, "robust " + robust + " vs clean " + robustClean);
    assertTrue(procrustes >= 5 * procrustesClean, "Procrustes " + procrustes + " vs clean " + procrustesClean);
  }

  @Test
  void signFlips() {
    // Signs are what alignment removes: the attack is harmless to both aligned estimators (and, at
    // α = 10 %, to the naive average too: it only shrinks each column's mean to 0.8 of itself).
    NodeFault fault = Attacks.signFlip(CORRUPTED);
    double robust = error(PcaMethod.ROBUST, fault);
    double procrustes = error(PcaMethod.PROCRUSTES, fault);
    assertTrue(robust <= 2 * robustClean, "robust " + robust + " vs clean " + robustClean);
    assertTrue(procrustes <= 1.01 * procrustesClean, "Procrustes " + procrustes + " vs clean " + procrustesClean);
  }

  @Test
  void rotations() {
    NodeFault fault = Attacks.rotation(CORRUPTED, 3);
    double robust = error(PcaMethod.ROBUST, fault);
    double procrustes = error(PcaMethod.PROCRUSTES, fault);
    assertTrue(robust <= 2 * robustClean, "robust " + robust + " vs clean " + robustClean);
    assertTrue(procrustes <= 1.01 * procrustesClean, "Procrustes " + procrustes + " vs clean " + procrustesClean);
  }

  @Test
  void corruptedFirstPartitionDoesNotBecomeTheReference() {
    Set<Integer> withFirst = Set.of(0, 10, 20, 30);
    NodeFault fault = Attacks.randomBasis(withFirst, 4);
    DistributedPcaResult robust = result(PcaMethod.ROBUST, fault);
    double robustError = SubspaceDistance.sinTheta(robust.components(), MODEL.truth());
    assertTrue(!withFirst.contains(robust.referencePartition()));
    assertTrue(robustError <= 2 * robustClean, "robust " + robustError + " vs clean " + robustClean);
    // Procrustes aligns to partition 0's random basis: far off.
    assertTrue(error(PcaMethod.PROCRUSTES, fault) >= 5 * procrustesClean);
  }
}
