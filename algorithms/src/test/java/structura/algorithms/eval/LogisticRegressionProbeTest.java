package structura.algorithms.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The probe against scikit-learn fits (fixtures and the script that made them in
 * src/test/resources/probe/), its optimality conditions, and separable data.
 */
class LogisticRegressionProbeTest {
  static final Path FIXTURES = Path.of("src/test/resources/probe");

  private record Data(double[][] x, int[] y) {}

  private static Data csv(String name) throws IOException {
    List<String> lines = Files.readAllLines(FIXTURES.resolve(name));
    double[][] x = new double[lines.size()][];
    int[] y = new int[lines.size()];
    for (int i = 0; i < x.length; i++) {
      String[] f = lines.get(i).split(",");
      x[i] = new double[f.length - 1];
      for (int j = 0; j < f.length - 1; j++) {
        x[i][j] = Double.parseDouble(f[j]);
      }
      y[i] = (int) Double.parseDouble(f[f.length - 1]);
    }
    return new Data(x, y);
  }

  private static JsonObject expected(String key) throws IOException {
    return JsonParser.parseString(Files.readString(FIXTURES.resolve("expected.json"))).getAsJsonObject().getAsJsonObject(key);
  }

  private static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsDouble();
    }
    return out;
  }

  @Test
  void irisMatchesScikitLearnMultinomialFit() throws IOException {
    Data iris = csv("iris.csv");
    for (String key : new String[] {"iris", "iris_c0.05"}) {
      JsonObject e = expected(key);
      double c = e.get("C").getAsDouble();
      LogisticRegressionProbe p = LogisticRegressionProbe.fit(iris.x(), iris.y(), 3, LogisticRegressionProbe.Options.defaults().withC(c));
      assertTrue(p.converged(), key + ": gradient " + p.gradientNorm() + " after " + p.iterations());
      JsonArray coef = e.getAsJsonArray("coef");
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(doubles(coef.get(k).getAsJsonArray()), p.weights(k), 1e-5, key + " class " + k);
      }
      assertArrayEquals(doubles(e.getAsJsonArray("intercept")), p.intercepts(), 1e-5, key);
      assertEquals(e.get("train_accuracy").getAsDouble(), p.accuracy(iris.x(), iris.y()), 1e-12, key);
    }
  }

  @Test
  void twoClassSoftmaxEqualsScikitLearnBinaryFitAtTwiceC() throws IOException {
    Data b = csv("binary.csv");
    JsonObject e = expected("binary");
    LogisticRegressionProbe p = LogisticRegressionProbe.fit(b.x(), b.y(), 2, LogisticRegressionProbe.Options.defaults());
    assertTrue(p.converged());
    double[] w0 = p.weights(0);
    double[] w1 = p.weights(1);
    double[] diff = new double[w0.length];
    for (int j = 0; j < diff.length; j++) {
      assertEquals(-w0[j], w1[j], 1e-6, "at the optimum w0 = -w1");
      diff[j] = w1[j] - w0[j];
    }
    assertArrayEquals(doubles(e.getAsJsonArray("coef").get(0).getAsJsonArray()), diff, 1e-5);
    assertEquals(e.getAsJsonArray("intercept").get(0).getAsDouble(), p.intercepts()[1] - p.intercepts()[0], 1e-5);
    assertEquals(e.get("train_accuracy").getAsDouble(), p.accuracy(b.x(), b.y()), 1e-12);
  }

  @Test
  void gradientVanishesAtTheSolutionAndMovingAwayIncreasesNothing() throws IOException {
    Data iris = csv("iris.csv");
    LogisticRegressionProbe p = LogisticRegressionProbe.fit(iris.x(), iris.y(), 3, LogisticRegressionProbe.Options.defaults());
    assertTrue(LogisticRegressionProbe.gradientNormAt(iris.x(), iris.y(), 3, 1.0, p) <= 1e-8);
  }

  @Test
  void separableClustersAreLearnedPerfectly() {
    SplittableRandom rnd = new SplittableRandom(3);
    int n = 300;
    int d = 20;
    int k = 3;
    double[][] x = new double[n][d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % k;
      for (int j = 0; j < d; j++) {
        x[i][j] = rnd.nextGaussian() * 0.3 + (j == y[i] ? 4 : 0) + 100;   // offset: standardisation must remove it
      }
    }
    LogisticRegressionProbe p = LogisticRegressionProbe.fit(x, y, k, LogisticRegressionProbe.Options.defaults());
    assertTrue(p.converged());
    assertEquals(1.0, p.accuracy(x, y));
    double[][] fresh = new double[60][d];
    int[] fy = new int[60];
    for (int i = 0; i < 60; i++) {
      fy[i] = (i * 7) % k;
      for (int j = 0; j < d; j++) {
        fresh[i][j] = rnd.nextGaussian() * 0.3 + (j == fy[i] ? 4 : 0) + 100;
      }
    }
    assertEquals(1.0, p.accuracy(fresh, fy));
  }

  /** One informative feature (mean 3·y) among many pure-noise ones: n &lt; 2d, so an unregularized fit separates noise. */
  private static Data noisy(SplittableRandom rnd, int n, int noise) {
    double[][] x = new double[n][noise + 1];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i][0] = 3 * y[i] + rnd.nextGaussian();
      for (int j = 1; j <= noise; j++) {
        x[i][j] = rnd.nextGaussian();
      }
    }
    return new Data(x, y);
  }

  @Test
  void crossValidationPicksACNearTheBestOnFreshData() {
    SplittableRandom rnd = new SplittableRandom(11);
    Data train = noisy(rnd, 120, 100);
    Data fresh = noisy(rnd, 4000, 100);
    var opts = LogisticRegressionProbe.Options.defaults();
    var cv = LogisticRegressionProbe.crossValidate(train.x(), train.y(), 2, LogisticRegressionProbe.DEFAULT_C_GRID, 5, 7, opts);
    assertEquals(7, cv.accuracy().length);
    int bestIndex = java.util.Arrays.binarySearch(cv.grid(), cv.best());
    for (double a : cv.accuracy()) {
      assertTrue(cv.accuracy()[bestIndex] >= a, "the chosen C has the best held-out accuracy");
    }
    double bestFresh = 0;
    for (double c : cv.grid()) {
      bestFresh = Math.max(bestFresh, LogisticRegressionProbe.fit(train.x(), train.y(), 2, opts.withC(c)).accuracy(fresh.x(), fresh.y()));
    }
    double chosen = LogisticRegressionProbe.fit(train.x(), train.y(), 2, opts.withC(cv.best())).accuracy(fresh.x(), fresh.y());
    assertTrue(chosen >= bestFresh - 0.02, "fresh-data accuracy at the chosen C " + cv.best() + ": " + chosen
        + ", best over the grid " + bestFresh);
    assertTrue(cv.best() < 1000, "the weakest regularization overfits the noise features; chosen " + cv.best());
    var again = LogisticRegressionProbe.crossValidate(train.x(), train.y(), 2, LogisticRegressionProbe.DEFAULT_C_GRID, 5, 7, opts);
    assertArrayEquals(cv.accuracy(), again.accuracy(), 0.0, "seeded folds: reruns agree");
    StructuraException small = assertThrows(StructuraException.class, () -> LogisticRegressionProbe.crossValidate(
        new double[][] {{0}, {1}, {2}, {3}, {4}}, new int[] {0, 0, 0, 0, 1}, 2, new double[] {1}, 2, 1, opts));
    assertEquals(ErrorCode.INVALID_ARGUMENT, small.code());
    assertTrue(small.getMessage().contains("class 1 has 1"), small.getMessage());
  }

  @Test
  void constantFeaturesAndBadInputs() {
    double[][] x = {{1, 5}, {2, 5}, {8, 5}, {9, 5}};
    int[] y = {0, 0, 1, 1};
    LogisticRegressionProbe p = LogisticRegressionProbe.fit(x, y, 2, LogisticRegressionProbe.Options.defaults());
    assertEquals(1.0, p.accuracy(x, y));
    assertEquals(0.0, p.weights(0)[1], 0.0, "a constant feature gets no weight");
    StructuraException one = assertThrows(StructuraException.class,
        () -> LogisticRegressionProbe.fit(x, new int[] {1, 1, 1, 1}, 2, LogisticRegressionProbe.Options.defaults()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, one.code());
    StructuraException nan = assertThrows(StructuraException.class,
        () -> LogisticRegressionProbe.fit(new double[][] {{0}, {Double.NaN}}, new int[] {0, 1}, 2, LogisticRegressionProbe.Options.defaults()));
    assertEquals(ErrorCode.INVALID_INPUT, nan.code());
    assertThrows(StructuraException.class, () -> LogisticRegressionProbe.Options.defaults().withC(0));
    assertThrows(StructuraException.class, () -> p.predict(new double[][] {{1, 2, 3}}));
  }
}
