package structura.algorithms.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * The one-round estimators against exact answers on the spiked covariance model: the planted
 * subspace (population truth) and a dense EJML eigendecomposition of all rows assembled.
 */
class DistributedPcaTest {
  private static final int D = 40;
  private static final int K = 3;
  private static final double[] SPIKES = {20, 15, 10};
  private static final int ROWS_PER_PARTITION = 1500;

  private static double error(DistributedPcaResult r, SpikedCovarianceModel model) {
    return SubspaceDistance.sinTheta(r.components(), model.truth());
  }

  private static DistributedPcaResult run(SpikedCovarianceModel model, DistributedPcaOptions options) {
    try (InProcessPartitions data = new InProcessPartitions(model, 2)) {
      return new DistributedPca(options).estimate(data);
    }
  }

  private static SpikedCovarianceModel model(int partitions, long seed) {
    return new SpikedCovarianceModel(D, SPIKES, 1.0, (long) ROWS_PER_PARTITION * partitions, partitions, 0, seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64})
  void procrustesIsWithinTenPercentOfCentralizedInOnePass(int partitions) {
    SpikedCovarianceModel model = model(partitions, 42);
    DistributedPcaResult central = run(model, DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.CENTRALIZED));
    DistributedPcaResult procrustes = run(model, DistributedPcaOptions.ofRank(K));
    double ratio = error(procrustes, model) / error(central, model);
    assertTrue(ratio <= 1.1, "P = " + partitions + ": Procrustes error / centralized error = " + ratio);
    assertEquals(1, procrustes.passes());
    assertEquals(1, central.passes());
    assertEquals((long) ROWS_PER_PARTITION * partitions, procrustes.rows());
  }

  @Test
  void naiveAverageIsWorseThanProcrustes() {
    // Distinct spikes: local eigenvectors are individually determined and the naive average is
    // hurt only by their signs, which the local solver happens to keep consistent: a little worse.
    SpikedCovarianceModel distinct = model(32, 7);
    double procrustes = error(run(distinct, DistributedPcaOptions.ofRank(K)), distinct);
    double naive = error(run(distinct, DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.NAIVE)), distinct);
    assertTrue(naive > procrustes, "distinct spikes: naive " + naive + " vs Procrustes " + procrustes);
    // A repeated top eigenvalue: each partition's basis is an arbitrary rotation within the
    // subspace, the rotations average towards zero and the noise takes over.
    SpikedCovarianceModel repeated =
        new SpikedCovarianceModel(D, new double[] {15, 15, 15}, 1.0, 32L * ROWS_PER_PARTITION, 32, 0, 7);
    double procrustesRepeated = error(run(repeated, DistributedPcaOptions.ofRank(K)), repeated);
    double naiveRepeated = error(run(repeated, DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.NAIVE)), repeated);
    assertTrue(naiveRepeated > 3 * procrustesRepeated,
        "repeated spike: naive " + naiveRepeated + " vs Procrustes " + procrustesRepeated);
  }

  @Test
  void centralizedEqualsDenseEigendecompositionOfAllRows() {
    // A large mean makes E[xxᵀ] − μμᵀ lose digits; the merged centered scatter must not.
    SpikedCovarianceModel model = new SpikedCovarianceModel(D, SPIKES, 1.0, 4003, 7, 1e4, 3);
    DenseReference dense = DenseReference.of(model, K, true);
    DistributedPcaResult r = run(model,
        DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.CENTRALIZED).withCentering(Centering.GLOBAL));
    assertTrue(SubspaceDistance.sinTheta(r.components(), dense.topK) < 1e-9);
    for (int j = 0; j < K; j++) {
      assertEquals(dense.values[j], r.eigenvalues()[j], 1e-9 * dense.values[0]);
    }
  }

  @Test
  void localExactEigensolveAgreesWithDenseOnOnePartition() {
    SpikedCovarianceModel model = new SpikedCovarianceModel(D, SPIKES, 1.0, 3000, 1, 0, 5);
    DenseReference dense = DenseReference.of(model, K, false);
    for (LocalSolver solver : LocalSolver.values()) {
      DistributedPcaResult r = run(model, DistributedPcaOptions.ofRank(K).withLocalSolver(solver));
      // The randomized SVD (q = 4) is accurate to (σ_(k+p+1)/σ_k)^(2q+1), not to rounding.
      double tol = solver == LocalSolver.COVARIANCE_EIGEN ? 1e-10 : 1e-4;
      double distance = SubspaceDistance.sinTheta(r.components(), dense.topK);
      assertTrue(distance < tol, solver + ": " + distance);
      assertEquals(dense.values[0], r.eigenvalues()[0], tol * dense.values[0]);
    }
  }

  @Test
  void globalCenteringTakesTwoPassesAndRemovesTheMean() {
    SpikedCovarianceModel model = new SpikedCovarianceModel(D, SPIKES, 1.0, 16000, 8, 50.0, 11);
    DistributedPcaResult uncentered = run(model, DistributedPcaOptions.ofRank(K));
    DistributedPcaResult global = run(model, DistributedPcaOptions.ofRank(K).withCentering(Centering.GLOBAL));
    DistributedPcaResult local = run(model, DistributedPcaOptions.ofRank(K).withCentering(Centering.LOCAL));
    assertEquals(2, global.passes());
    assertEquals(1, local.passes());
    // Uncentered, the mean direction (‖μ‖² = 2500 ≫ spikes) takes a component.
    assertTrue(error(uncentered, model) > 0.5);
    assertTrue(error(global, model) < 0.05 && error(local, model) < 0.05);
  }

  @Test
  void explainedVarianceMatchesThePopulation() {
    SpikedCovarianceModel model = model(8, 13);
    DistributedPcaResult r = run(model, DistributedPcaOptions.ofRank(K));
    double trace = D + SPIKES[0] + SPIKES[1] + SPIKES[2];
    assertEquals(trace, r.totalVariance(), 0.02 * trace);
    for (int j = 0; j < K; j++) {
      assertEquals(SPIKES[j] + 1, r.eigenvalues()[j], 0.05 * (SPIKES[j] + 1));
    }
    assertEquals((SPIKES[0] + 1) / trace, r.explainedVarianceRatio()[0], 0.01);
  }

  @Test
  void sameAnswerWhateverTheThreadCount() {
    SpikedCovarianceModel model = model(8, 17);
    Matrix one;
    Matrix four;
    try (InProcessPartitions data = new InProcessPartitions(model, 1)) {
      one = new DistributedPca(DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.ROBUST)).estimate(data).components();
    }
    try (InProcessPartitions data = new InProcessPartitions(model, 4)) {
      four = new DistributedPca(DistributedPcaOptions.ofRank(K).withMethod(PcaMethod.ROBUST)).estimate(data).components();
    }
    assertArrayEquals(one.f64(), four.f64());
  }

  @Test
  void rankAtOrAboveColumnsIsACodedError() {
    SpikedCovarianceModel model = model(2, 1);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> run(model, DistributedPcaOptions.ofRank(D)));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
  }
}
