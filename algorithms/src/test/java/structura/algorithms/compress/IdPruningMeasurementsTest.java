package structura.algorithms.compress;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.compress.Nets.gaussian;
import static structura.algorithms.compress.Nets.relErr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import structura.algorithms.nn.SequentialForward;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Flatten;
import structura.api.nn.Layer;
import structura.api.nn.MaxPool2d;
import structura.api.nn.Relu;
import structura.api.nn.SequentialNetwork;

/**
 * Realistic-size checks: random-weight MLP and CNN on structured synthetic data at about 50% of
 * the FLOPs, ID pruning against magnitude pruning at the same per-layer sizes. The numbers go to
 * {@code target/id-pruning-measurements.txt}; the assertions are loose sanity bounds.
 */
class IdPruningMeasurementsTest {
  private static final Compute C = Compute.reference();

  static Matrix out(SequentialNetwork net, Matrix x) {
    return new SequentialForward(C, net).forward(x);
  }

  static double agreement(Matrix a, Matrix b) {
    int same = 0;
    for (int i = 0; i < a.rows(); i++) {
      if (argmax(a, i) == argmax(b, i)) {
        same++;
      }
    }
    return (double) same / a.rows();
  }

  static int argmax(Matrix m, int i) {
    int best = 0;
    for (int j = 1; j < m.cols(); j++) {
      if (m.get(i, j) > m.get(i, best)) {
        best = j;
      }
    }
    return best;
  }

  static Conv2d conv(Random rnd, int out, int in) {
    return new Conv2d(gaussian(rnd, out, in * 9, Math.sqrt(2.0 / (in * 9))), gaussian(rnd, 1, out, 0.05), in, 3, 3, 1, 1);
  }

  static Map<Integer, Integer> sizes(SequentialIdPruningResult r) {
    Map<Integer, Integer> m = new HashMap<>();
    for (SequentialIdPruningResult.LayerResult l : r.layers()) {
      m.put(l.layer(), l.unitsAfter());
    }
    return m;
  }

  static String line(String name, SequentialNetwork net, SequentialIdPruningResult r, Matrix test, long millis) {
    Matrix ref = out(net, test);
    Matrix id = out(r.network(), test);
    SequentialNetwork magNet = Nets.magnitudePrune(net, sizes(r));
    Matrix mag = out(magNet, test);
    List<String> widths = new ArrayList<>();
    for (SequentialIdPruningResult.LayerResult l : r.layers()) {
      widths.add(l.unitsBefore() + "->" + l.unitsAfter());
    }
    return String.format(Locale.ROOT,
        "%-28s FLOPs %.3f (%d -> %d)  widths %s  steps %d  rel.err ID %.4f  magnitude %.4f  argmax agreement ID %.3f"
            + "  magnitude %.3f  time %d ms%n",
        name, r.flopFraction(), r.flopsBefore(), r.flopsAfter(), widths, r.steps().size(), relErr(ref, id),
        relErr(ref, mag), agreement(ref, id), agreement(ref, mag), millis);
  }

  @Test
  void mlpAndCnnAtHalfTheFlops() throws IOException {
    StringBuilder report = new StringBuilder();
    // MLP 32-128-128-64-10, trained-like random weights, data on an 8-dim subspace
    Random rnd = new Random(21);
    List<Layer> layers = List.of(Nets.trainedLike(rnd, 128, 32), new Relu(), Nets.trainedLike(rnd, 128, 128), new Relu(),
        Nets.trainedLike(rnd, 64, 128), new Relu(), Nets.trainedLike(rnd, 10, 64));
    SequentialNetwork mlp = SequentialNetwork.ofFeatures(32, layers);
    Matrix a = gaussian(rnd, 32, 8, 1.0);
    Matrix calib = Nets.structuredFeatures(rnd, a, 2000);
    Matrix test = Nets.structuredFeatures(new Random(22), a, 1000);
    long t0 = System.nanoTime();
    SequentialIdPruningResult budget = new SequentialIdPruning(C, SequentialIdPruningOptions.flopBudget(0.5)).prune(mlp, calib);
    long t1 = System.nanoTime();
    report.append(line("MLP budget 0.5 (step 0.9)", mlp, budget, test, (t1 - t0) / 1_000_000));
    SequentialIdPruningResult frac = new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.6)).prune(mlp, calib);
    long t2 = System.nanoTime();
    report.append(line("MLP one-shot keep 0.6", mlp, frac, test, (t2 - t1) / 1_000_000));
    double mlpId = relErr(out(mlp, test), out(budget.network(), test));
    double mlpMag = relErr(out(mlp, test), out(Nets.magnitudePrune(mlp, sizes(budget)), test));

    // CNN 3x16x16: conv16-pool-conv32-pool-fc64-fc10, He-init random weights, images of 8 smooth patterns
    Random cr = new Random(23);
    SequentialNetwork cnn = new SequentialNetwork(new SequentialNetwork.Shape(3, 16, 16), List.of(
        conv(cr, 16, 3), new Relu(), new MaxPool2d(2, 2), conv(cr, 32, 16), new Relu(), new MaxPool2d(2, 2), new Flatten(),
        new Dense(gaussian(cr, 64, 32 * 16, Math.sqrt(2.0 / 512)), gaussian(cr, 1, 64, 0.05)), new Relu(),
        new Dense(gaussian(cr, 10, 64, Math.sqrt(1.0 / 64)), null)));
    Matrix images = Nets.structuredImages(cr, 77, 512, 3, 16, 16, 8);
    Matrix testImages = Nets.structuredImages(new Random(24), 77, 256, 3, 16, 16, 8);
    long t3 = System.nanoTime();
    SequentialIdPruningResult cb = new SequentialIdPruning(C, SequentialIdPruningOptions.flopBudget(0.5).withBatchSize(25))
        .prune(cnn, images);
    long t4 = System.nanoTime();
    report.append(line("CNN budget 0.5 (step 0.9)", cnn, cb, testImages, (t4 - t3) / 1_000_000));
    SequentialIdPruningResult cf = new SequentialIdPruning(C, SequentialIdPruningOptions.fraction(0.7).withBatchSize(25))
        .prune(cnn, images);
    long t5 = System.nanoTime();
    report.append(line("CNN one-shot keep 0.7", cnn, cf, testImages, (t5 - t4) / 1_000_000));
    double cnnId = relErr(out(cnn, testImages), out(cb.network(), testImages));
    double cnnMag = relErr(out(cnn, testImages), out(Nets.magnitudePrune(cnn, sizes(cb)), testImages));

    Path file = Path.of("target", "id-pruning-measurements.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report.toString());
    assertTrue(cb.flopFraction() <= 0.5 && budget.flopFraction() <= 0.5);
    assertTrue(mlpId < mlpMag, report.toString());
    assertTrue(cnnId < cnnMag, report.toString());
  }
}
