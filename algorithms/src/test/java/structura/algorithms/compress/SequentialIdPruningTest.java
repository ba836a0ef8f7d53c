package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.Nets.gaussian;
import static structura.algorithms.compress.Nets.relErr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import structura.algorithms.linalg.PivotedQr;
import structura.algorithms.linalg.PivotedQrOptions;
import structura.algorithms.nn.SequentialForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.BatchNorm;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Flatten;
import structura.api.nn.Layer;
import structura.api.nn.MaxPool2d;
import structura.api.nn.Relu;
import structura.api.nn.SequentialNetwork;

class SequentialIdPruningTest {
  private static final Compute C = Compute.reference();

  static Matrix out(SequentialNetwork net, Matrix x) {
    return new SequentialForward(C, net).forward(x);
  }

  /**
   * A weight matrix of {@code 2·base} rows: rows base.. are copies of rows group[j] scaled by a
   * power of two (exact in F32), shuffled, with the bias scaled alike: after the ReLU the copies
   * are exact multiples of the originals, so the activations have rank {@code base}.
   */
  record Dependent(Matrix weight, Matrix bias, int[] group) {}

  static Dependent dependent(Random rnd, int base, int cols, boolean scaled) {
    int n = 2 * base;
    Matrix w0 = gaussian(rnd, base, cols, 1.0 / Math.sqrt(cols));
    Matrix b0 = gaussian(rnd, 1, base, 0.3);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    Matrix w = Matrix.zeros(DType.F32, n, cols);
    Matrix b = Matrix.zeros(DType.F32, 1, n);
    int[] group = new int[n];
    double[] scales = {0.5, 1, 2, 4};
    for (int i = 0; i < n; i++) {
      int src = order.get(i) % base;
      double f = order.get(i) < base || !scaled ? 1.0 : scales[rnd.nextInt(4)];
      for (int j = 0; j < cols; j++) {
        w.set(i, j, f * w0.get(src, j));
      }
      b.set(0, i, f * b0.get(0, src));
      group[i] = src;
    }
    return new Dependent(w, b, group);
  }

  static void assertOneKeptPerGroup(int[] kept, int[] group, int base) {
    assertEquals(base, kept.length);
    Set<Integer> groups = new HashSet<>();
    for (int k : kept) {
      groups.add(group[k]);
    }
    assertEquals(base, groups.size(), "one unit of each dependent group is kept");
  }

  @Test
  void denseToDenseWithDependentReluUnitsIsExactAtTheirRank() {
    Random rnd = new Random(1);
    Dependent h = dependent(rnd, 8, 10, true);
    SequentialNetwork net = SequentialNetwork.ofFeatures(10, List.of(new Dense(h.weight(), h.bias()), new Relu(),
        new Dense(gaussian(rnd, 6, 16, 0.3), gaussian(rnd, 1, 6, 0.1)), new Relu(), new Dense(gaussian(rnd, 3, 6, 0.4), null)));
    Matrix calib = gaussian(rnd, 200, 10, 1.0);
    SequentialIdPruningResult r = new SequentialIdPruning(C, SequentialIdPruningOptions.fractions(Map.of(0, 0.5))
        .withBatchSize(7)).prune(net, calib);
    assertEquals(2, r.layers().size());
    SequentialIdPruningResult.LayerResult l0 = r.layers().get(0);
    assertEquals(0, l0.layer());
    assertEquals(16, l0.unitsBefore());
    assertEquals(8, l0.unitsAfter());
    assertOneKeptPerGroup(l0.kept(), h.group(), 8);
    assertTrue(l0.relativeError() < 1e-6, "ID residual " + l0.relativeError());
    assertTrue(l0.errorProxy() < 1e-6, "proxy " + l0.errorProxy());
    assertEquals(6, r.layers().get(1).unitsAfter(), "layer 2 keeps all (fraction 1)");
    assertEquals(8, ((Dense) r.network().layers().get(0)).out());
    assertEquals(8, ((Dense) r.network().layers().get(2)).in());
    assertEquals(r.network().flops(), r.flopsAfter());
    assertEquals(200, r.calibrationSamples());
    Matrix test = gaussian(new Random(99), 50, 10, 1.5);
    double err = relErr(out(net, test), out(r.network(), test));
    assertTrue(err < 1e-5, "output changed by " + err);
    // the same units dropped without the correction change the output: the fold is what makes it exact
    SequentialNetwork dropped = Nets.magnitudePrune(net, Map.of(0, 8));
    assertTrue(relErr(out(net, test), out(dropped, test)) > 1e-2);
  }

  @Test
  void convToConvWithDuplicatedChannelsAndBatchNormIsExact() {
    Random rnd = new Random(2);
    Dependent h = dependent(rnd, 4, 3 * 9, false);
    Matrix gamma = Matrix.zeros(DType.F32, 1, 8);
    Matrix beta = Matrix.zeros(DType.F32, 1, 8);
    Matrix mean = Matrix.zeros(DType.F32, 1, 8);
    Matrix var = Matrix.zeros(DType.F32, 1, 8);
    Random bnr = new Random(3);
    double[][] perGroup = new double[4][4];
    for (double[] g : perGroup) {
      g[0] = 0.5 + bnr.nextDouble();
      g[1] = 0.2 * bnr.nextGaussian();
      g[2] = 0.2 * bnr.nextGaussian();
      g[3] = 0.5 + bnr.nextDouble();
    }
    for (int c = 0; c < 8; c++) {
      double[] g = perGroup[h.group()[c]];
      gamma.set(0, c, g[0]);
      beta.set(0, c, g[1]);
      mean.set(0, c, g[2]);
      var.set(0, c, g[3]);
    }
    SequentialNetwork net = new SequentialNetwork(new SequentialNetwork.Shape(3, 8, 8), List.of(
        new Conv2d(h.weight(), h.bias(), 3, 3, 3, 1, 1), new BatchNorm(gamma, beta, mean, var, 1e-5), new Relu(),
        new MaxPool2d(2, 2),
        new Conv2d(gaussian(rnd, 5, 8 * 9, 0.2), gaussian(rnd, 1, 5, 0.1), 8, 3, 3, 1, 1), new Relu(), new Flatten(),
        new Dense(gaussian(rnd, 4, 5 * 16, 0.1), gaussian(rnd, 1, 4, 0.1))));
    assertArrayEquals(new int[] {0, 4}, SequentialIdPruning.prunableLayers(net));
    Matrix calib = gaussian(rnd, 6, 3 * 64, 1.0);   // 6 images x 16 pooled pixels = 96 rows >= 8 channels
    SequentialIdPruningResult r = new SequentialIdPruning(C, SequentialIdPruningOptions.fractions(Map.of(0, 0.5))
        .withBatchSize(4)).prune(net, calib);
    SequentialIdPruningResult.LayerResult l0 = r.layers().get(0);
    assertOneKeptPerGroup(l0.kept(), h.group(), 4);
    BatchNorm bn = (BatchNorm) r.network().layers().get(1);
    for (int j = 0; j < 4; j++) {
      assertEquals(gamma.get(0, l0.kept()[j]), bn.gamma().get(0, j), "BN gamma follows the kept channel");
      assertEquals(var.get(0, l0.kept()[j]), bn.runningVar().get(0, j));
    }
    assertEquals(4, ((Conv2d) r.network().layers().get(4)).inChannels());
    Matrix test = gaussian(new Random(98), 10, 3 * 64, 1.0);
    double err = relErr(out(net, test), out(r.network(), test));
    assertTrue(err < 1e-5, "output changed by " + err);
  }

  @Test
  void convToDenseThroughFlattenWithScaledChannelsIsExact() {
    Random rnd = new Random(4);
    Dependent h = dependent(rnd, 4, 2 * 9, true);
    SequentialNetwork net = new SequentialNetwork(new SequentialNetwork.Shape(2, 8, 8), List.of(
        new Conv2d(h.weight(), h.bias(), 2, 3, 3, 1, 1), new Relu(), new MaxPool2d(2, 2), new Flatten(),
        new Dense(gaussian(rnd, 6, 8 * 16, 0.1), gaussian(rnd, 1, 6, 0.1)), new Relu(),
        new Dense(gaussian(rnd, 3, 6, 0.4), null)));
    Matrix calib = gaussian(rnd, 8, 2 * 64, 1.0);
    SequentialIdPruningResult r = new SequentialIdPruning(C, SequentialIdPruningOptions.fractions(Map.of(0, 0.5)))
        .prune(net, calib);
    assertOneKeptPerGroup(r.layers().get(0).kept(), h.group(), 4);
    assertEquals(4 * 16, ((Dense) r.network().layers().get(4)).in(), "kron(T, I_16) folds 4 channels x 16 pixels");
    Matrix test = gaussian(new Random(97), 10, 2 * 64, 1.0);
    double err = relErr(out(net, test), out(r.network(), test));
    assertTrue(err < 1e-5, "output changed by " + err);
  }

  static SequentialNetwork mlp(Random rnd, int... widths) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      layers.add(Nets.trainedLike(rnd, widths[i + 1], widths[i]));
      if (i + 2 < widths.length) {
        layers.add(new Relu());
      }
    }
    return SequentialNetwork.ofFeatures(widths[0], layers);
  }

  @Test
  void flopBudgetIterationReachesTheTargetAndPicksTheSmallestErrorPerFlop() {
    Random rnd = new Random(5);
    SequentialNetwork net = mlp(rnd, 16, 64, 64, 32, 10);
    Matrix a = gaussian(rnd, 16, 6, 1.0);
    Matrix calib = Nets.structuredFeatures(rnd, a, 400);
    SequentialIdPruningResult r = new SequentialIdPruning(C, SequentialIdPruningOptions.flopBudget(0.5)).prune(net, calib);
    double target = 0.5 * net.flops();
    assertTrue(r.flopsAfter() <= target, r.flopsAfter() + " > " + target);
    assertEquals(r.network().flops(), r.flopsAfter());
    List<SequentialIdPruningResult.Step> steps = r.steps();
    assertTrue(steps.size() >= 2);
    assertTrue(steps.get(steps.size() - 2).flopsAfter() > target, "stops at the first step that reaches the target");
    assertEquals(r.flopsAfter(), steps.get(steps.size() - 1).flopsAfter());
    for (SequentialIdPruningResult.Step s : steps) {
      assertEquals(Math.max(1, (int) Math.floor(0.9 * s.unitsBefore())), s.unitsAfter());
    }
    for (SequentialIdPruningResult.LayerResult l : r.layers()) {
      assertEquals(Nets.units(r.network().layers().get(l.layer())), l.unitsAfter());
      assertEquals(l.unitsAfter(), l.kept().length);
    }
    // independent check of the first choice: full activations, pivoted QR of Z itself (no TSQR)
    int[] prunable = {0, 2, 4};
    int[] next = {2, 4, 6};
    double best = Double.POSITIVE_INFINITY;
    int choice = -1;
    for (int p = 0; p < 3; p++) {
      int act = prunable[p] + 1;
      Matrix z = new SequentialForward(C, net).forward(calib, act, null).toDType(DType.F64);
      double[] d = new PivotedQr(C, PivotedQrOptions.defaults()).factor(z).rDiagonalAbs();
      int n = z.cols();
      int k = (int) Math.floor(0.9 * n);
      double saved = (double) (n - k) / n * (net.layerFlops(prunable[p]) + net.layerFlops(next[p]));
      double score = d[k] / d[0] / saved;
      if (score < best) {
        best = score;
        choice = prunable[p];
      }
    }
    assertEquals(choice, steps.get(0).layer());
    assertEquals(best, steps.get(0).score(), 1e-6 * best);
    Matrix test = Nets.structuredFeatures(new Random(6), a, 300);
    double err = relErr(out(net, test), out(r.network(), test));
    assertTrue(err < 0.3, "output error at 50% FLOPs " + err);
  }

  @Test
  void idBeatsMagnitudePruningAtTheSameSize() {
    Random rnd = new Random(7);
    SequentialNetwork net = mlp(rnd, 24, 96, 96, 10);
    Matrix a = gaussian(rnd, 24, 8, 1.0);
    Matrix calib = Nets.structuredFeatures(rnd, a, 1000);
    Matrix test = Nets.structuredFeatures(new Random(8), a, 500);
    SequentialIdPruningResult r = new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.5)).prune(net, calib);
    Map<Integer, Integer> sizes = new HashMap<>();
    for (SequentialIdPruningResult.LayerResult l : r.layers()) {
      assertEquals(48, l.unitsAfter());
      sizes.put(l.layer(), l.unitsAfter());
    }
    SequentialNetwork mag = Nets.magnitudePrune(net, sizes);
    assertEquals(mag.flops(), r.flopsAfter());
    Matrix ref = out(net, test);
    double idErr = relErr(ref, out(r.network(), test));
    double magErr = relErr(ref, out(mag, test));
    assertTrue(idErr < 0.5 * magErr, "ID " + idErr + " vs magnitude " + magErr);
  }

  @Test
  void unreachableBudgetStatesTheSmallestReachableFraction() {
    SequentialNetwork net = mlp(new Random(9), 16, 64, 64, 10);
    long orig = 2L * (16 * 64 + 64 * 64 + 64 * 10);
    assertEquals(orig, net.flops());
    double smallest = 2.0 * (16 + 1 + 10) / orig;
    UnreachableTargetException e = assertThrows(UnreachableTargetException.class,
        () -> new SequentialIdPruning(C, SequentialIdPruningOptions.flopBudget(0.001)).prune(net,
            gaussian(new Random(10), 100, 16, 1)));
    assertEquals(ErrorCode.TARGET_UNREACHABLE, e.code());
    assertEquals(smallest, e.smallestReachable(), 1e-12);
    assertTrue(e.getMessage().startsWith("STRUCTURA-P001"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(smallest)), e.getMessage());
  }

  @Test
  void badCalibrationInputsAreCodedErrorsNamingTheLayer() {
    SequentialNetwork net = mlp(new Random(11), 16, 64, 32, 10);
    SequentialIdPruning p = new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.5));
    InvalidArgumentException empty = assertThrows(InvalidArgumentException.class, () -> p.prune(net, List.of()));
    assertEquals(ErrorCode.INVALID_INPUT, empty.code());
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    assertThrows(InvalidArgumentException.class, () -> p.prune(net, Matrix.zeros(DType.F32, 0, 16)));

    InvalidArgumentException few = assertThrows(InvalidArgumentException.class,
        () -> p.prune(net, gaussian(new Random(12), 40, 16, 1)));
    assertEquals(ErrorCode.INVALID_INPUT, few.code());
    assertTrue(few.getMessage().contains("layer 0") && few.getMessage().contains("64 units"), few.getMessage());

    Matrix nan = gaussian(new Random(13), 100, 16, 1);
    nan.set(17, 3, Double.NaN);
    InvalidArgumentException e1 = assertThrows(InvalidArgumentException.class, () -> p.prune(net, nan));
    assertEquals(ErrorCode.INVALID_INPUT, e1.code());
    assertTrue(e1.getMessage().contains("layer 0") && e1.getMessage().contains("sample 17"), e1.getMessage());

    List<Layer> layers = new ArrayList<>(net.layers());
    Dense d = (Dense) layers.get(2);
    Matrix w = d.weight().copy();
    w.set(5, 1, Double.POSITIVE_INFINITY);
    layers.set(2, new Dense(w, d.bias()));
    SequentialNetwork broken = new SequentialNetwork(net.input(), layers);
    InvalidArgumentException e2 = assertThrows(InvalidArgumentException.class,
        () -> p.prune(broken, gaussian(new Random(14), 100, 16, 1)));
    assertTrue(e2.getMessage().contains("layer 2"), e2.getMessage());
  }

  @Test
  void badArgumentsAreCodedErrors() {
    SequentialNetwork net = mlp(new Random(15), 8, 16, 4);
    Matrix x = gaussian(new Random(16), 50, 8, 1);
    InvalidArgumentException notPrunable = assertThrows(InvalidArgumentException.class,
        () -> new SequentialIdPruning(C, SequentialIdPruningOptions.fractions(Map.of(2, 0.5))).prune(net, x));
    assertEquals(ErrorCode.INVALID_ARGUMENT, notPrunable.code());
    assertTrue(notPrunable.getMessage().contains("[0]"), notPrunable.getMessage());
    SequentialNetwork single = SequentialNetwork.ofFeatures(8, List.of(new Dense(gaussian(new Random(1), 4, 8, 1), null)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(InvalidArgumentException.class,
        () -> new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.5)).prune(single, x)).code());
    assertThrows(InvalidArgumentException.class, () -> SequentialIdPruningOptions.fraction(0));
    assertThrows(InvalidArgumentException.class, () -> SequentialIdPruningOptions.flopBudget(1.5));
    assertThrows(InvalidArgumentException.class, () -> SequentialIdPruningOptions.flopBudget(0.5).withStep(1.0));
    assertThrows(InvalidArgumentException.class, () -> SequentialIdPruningOptions.fraction(0.5).withBatchSize(0));
    assertEquals(ErrorCode.DIMENSION_MISMATCH, assertThrows(InvalidArgumentException.class,
        () -> new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.5)).prune(net, gaussian(new Random(2), 50, 9, 1)))
        .code());
  }
}
