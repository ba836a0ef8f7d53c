package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Norm;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * {@link OutputCorrection} on planted cases: a block whose output LayerNorm was rescaled and
 * shifted per dimension must get the original γ and β back (affine) and its output back exactly;
 * a shift alone is undone by the mean correction, a rescaling is not (control); and stat with the
 * correction stays exact on the planted redundancy of {@link CompressionFixtures#redundantBert}.
 */
class OutputCorrectionTest {
  static final Compute C = Compute.reference();

  /** Block 0 of net with its output LayerNorm mapped to (s∘γ, s∘β + δ). */
  static TransformerNetwork perturbed(TransformerNetwork net, double[] s, double[] delta) {
    TransformerBlock b = net.blocks().get(0);
    Norm n = b.mlpNorm();
    Matrix g = Matrix.zeros(DType.F32, 1, n.width());
    Matrix be = Matrix.zeros(DType.F32, 1, n.width());
    for (int j = 0; j < n.width(); j++) {
      g.set(0, j, (float) (s[j] * n.gamma().get(0, j)));
      be.set(0, j, (float) (s[j] * n.beta().get(0, j) + delta[j]));
    }
    return Pruning.replace(net, 0, new TransformerBlock(b.attention(), b.mlp(), b.attentionNorm(),
        new Norm(n.kind(), g, be, n.eps()), b.placement()));
  }

  /** The fit of block 0's output of {@code changed} (y) to that of {@code net} (t) on the calibration batches. */
  static OutputCorrection.Fit fit(TransformerNetwork net, TransformerNetwork changed, List<TokenBatch> batches,
      OutputCorrection.Mode mode) {
    OutputCorrection oc = new OutputCorrection(net.width());
    for (TokenBatch batch : batches) {
      TransformerForward f = new TransformerForward(C, net);
      TransformerForward g = new TransformerForward(C, changed);
      oc.accept(g.block(0, g.embeddings(batch), batch, null), f.block(0, f.embeddings(batch), batch, null), batch);
    }
    return oc.fit(mode);
  }

  static double maxBlockOutputDiff(TransformerNetwork a, TransformerNetwork b, TokenBatch batch) {
    TransformerForward f = new TransformerForward(C, a);
    TransformerForward g = new TransformerForward(C, b);
    return CompressionFixtures.maxRealRowDiff(f.block(0, f.embeddings(batch), batch, null),
        g.block(0, g.embeddings(batch), batch, null), batch);
  }

  @Test
  void anAffineFitRestoresAPerturbedLayerNorm() {
    TransformerNetwork net = CompressionFixtures.bert(41);
    List<TokenBatch> batches = CompressionFixtures.calibration(42).batches();
    SplittableRandom rnd = new SplittableRandom(43);
    double[] s = new double[net.width()];
    double[] delta = new double[net.width()];
    for (int j = 0; j < s.length; j++) {
      s[j] = 0.5 + rnd.nextDouble();
      delta[j] = rnd.nextDouble() - 0.5;
    }
    TransformerNetwork changed = perturbed(net, s, delta);
    TokenBatch fresh = CompressionFixtures.batch(44, 5);
    assertTrue(maxBlockOutputDiff(net, changed, fresh) > 0.1);
    OutputCorrection.Fit fit = fit(net, changed, batches, OutputCorrection.Mode.AFFINE);
    for (int j = 0; j < s.length; j++) {
      assertEquals(1 / s[j], fit.scale()[j], 1e-4, "scale " + j);
      assertEquals(-delta[j] / s[j], fit.shift()[j], 1e-4, "shift " + j);
    }
    TransformerBlock folded = OutputCorrection.fold(changed.blocks().get(0), fit, OutputCorrection.Mode.AFFINE, "test");
    Norm restored = folded.mlpNorm();
    Norm original = net.blocks().get(0).mlpNorm();
    assertTrue(CompressionFixtures.maxDiff(original.gamma(), restored.gamma()) < 1e-4);
    assertTrue(CompressionFixtures.maxDiff(original.beta(), restored.beta()) < 1e-4);
    assertTrue(maxBlockOutputDiff(net, Pruning.replace(changed, 0, folded), fresh) < 1e-4);
    // apply() maps the outputs the same way the folded block computes them
    TransformerForward g = new TransformerForward(C, changed);
    Matrix y = g.block(0, g.embeddings(fresh), fresh, null);
    OutputCorrection.apply(fit, List.of(y));
    TransformerForward f = new TransformerForward(C, net);
    assertTrue(CompressionFixtures.maxRealRowDiff(f.block(0, f.embeddings(fresh), fresh, null), y, fresh) < 1e-4);
  }

  @Test
  void theMeanFitUndoesAShiftButNotAScale() {
    TransformerNetwork net = CompressionFixtures.bert(51);
    List<TokenBatch> batches = CompressionFixtures.calibration(52).batches();
    TokenBatch fresh = CompressionFixtures.batch(53, 5);
    double[] ones = new double[net.width()];
    java.util.Arrays.fill(ones, 1);
    double[] delta = new double[net.width()];
    for (int j = 0; j < delta.length; j++) {
      delta[j] = 0.3 * Math.sin(j + 1);
    }
    TransformerNetwork shifted = perturbed(net, ones, delta);
    OutputCorrection.Fit mean = fit(net, shifted, batches, OutputCorrection.Mode.MEAN);
    TransformerBlock folded = OutputCorrection.fold(shifted.blocks().get(0), mean, OutputCorrection.Mode.MEAN, "test");
    assertTrue(maxBlockOutputDiff(net, Pruning.replace(shifted, 0, folded), fresh) < 1e-4);
    double[] half = new double[net.width()];
    java.util.Arrays.fill(half, 0.5);
    TransformerNetwork scaled = perturbed(net, half, new double[net.width()]);
    OutputCorrection.Fit notEnough = fit(net, scaled, batches, OutputCorrection.Mode.MEAN);
    TransformerBlock meanOnly = OutputCorrection.fold(scaled.blocks().get(0), notEnough, OutputCorrection.Mode.MEAN,
        "test");
    assertTrue(maxBlockOutputDiff(net, Pruning.replace(scaled, 0, meanOnly), fresh) > 0.1);
  }

  @Test
  void statWithTheCorrectionStaysExactOnThePlantedRedundancy() {
    TransformerNetwork net = CompressionFixtures.redundantBert(21);
    CalibrationData cal = CompressionFixtures.calibration(22);
    TokenBatch fresh = CompressionFixtures.batch(23, 6);
    Matrix expected = new TransformerForward(C, net).lastHiddenState(fresh);
    for (String mode : List.of("mean", "affine")) {
      CompressionResult r = new StatStrategy().compress(new CompressionRequest(net, cal,
          new Budget.KeepFractions(0.75, 0.75), C, Map.of("norm-correction", mode), null));
      double change = CompressionFixtures.maxRealRowDiff(expected,
          new TransformerForward(C, r.network()).lastHiddenState(fresh), fresh);
      assertTrue(change <= 1e-4, mode + ": max |Δ last hidden state| = " + change);
    }
    // one neuron too many: the correction reduces the error of the last hidden state on the calibration texts
    assertTrue(calibrationError(net, cal, "affine") < calibrationError(net, cal, "none"));
  }

  /** Σ over calibration batches of ‖Δ last hidden state‖² after stat keeping 3 of 4 heads and 40 of 64 neurons. */
  static double calibrationError(TransformerNetwork net, CalibrationData cal, String mode) {
    CompressionResult r = new StatStrategy().compress(new CompressionRequest(net, cal,
        new Budget.KeepFractions(0.75, 40.0 / 64), C, Map.of("norm-correction", mode, "neuron-multiple", "1"), null));
    double sum = 0;
    for (TokenBatch b : cal.batches()) {
      Matrix a = new TransformerForward(C, net).lastHiddenState(b);
      Matrix c = new TransformerForward(C, r.network()).lastHiddenState(b);
      for (int i = 0; i < a.rows(); i++) {
        if (b.attentionMask()[i] == 1) {
          for (int j = 0; j < a.cols(); j++) {
            double d = a.get(i, j) - c.get(i, j);
            sum += d * d;
          }
        }
      }
    }
    return sum;
  }

  @Test
  void anAffineCorrectionOfAPreNormBlockIsRefused() {
    TransformerNetwork llama = structura.testkit.RandomNetworks.llama(61, 40, 4, 2, 8, 48, 2);
    OutputCorrection.Fit identity = new OutputCorrection.Fit(new double[llama.width()], new double[llama.width()]);
    assertThrows(InvalidArgumentException.class,
        () -> OutputCorrection.fold(llama.blocks().get(0), identity, OutputCorrection.Mode.AFFINE, "stat"));
  }
}
