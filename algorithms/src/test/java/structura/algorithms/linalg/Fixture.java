package structura.algorithms.linalg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import structura.api.DType;
import structura.api.Matrix;

/**
 * A fixture file written by {@code algorithms/src/test/fixtures/make_fixtures.py} (NumPy/SciPy
 * reference results): matrices ({@code M name rows cols}), integer vectors ({@code I name n}) and
 * scalars ({@code S name value}).
 */
final class Fixture {
  private final String name;
  private final Map<String, double[][]> matrices = new HashMap<>();
  private final Map<String, int[]> ints = new HashMap<>();
  private final Map<String, Double> scalars = new HashMap<>();

  private Fixture(String name) {
    this.name = name;
  }

  private static final Map<String, Fixture> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** Parsed once per JVM; callers get fresh matrices from {@link #matrix}. */
  static Fixture load(String name) {
    return CACHE.computeIfAbsent(name, Fixture::parse);
  }

  private static Fixture parse(String name) {
    Fixture f = new Fixture(name);
    try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name + ".txt")) {
      if (in == null) {
        throw new IllegalStateException("fixture " + name + " not found on the test class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] h = line.trim().split("\\s+");
        switch (h[0]) {
          case "M" -> {
            int rows = Integer.parseInt(h[2]);
            int cols = Integer.parseInt(h[3]);
            double[][] m = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
              String[] v = r.readLine().trim().split("\\s+");
              for (int j = 0; j < cols; j++) {
                m[i][j] = Double.parseDouble(v[j]);
              }
            }
            f.matrices.put(h[1], m);
          }
          case "I" -> {
            int n = Integer.parseInt(h[2]);
            int[] v = new int[n];
            String[] t = r.readLine().trim().split("\\s+");
            for (int i = 0; i < n; i++) {
              v[i] = Integer.parseInt(t[i]);
            }
            f.ints.put(h[1], v);
          }
          case "S" -> f.scalars.put(h[1], Double.parseDouble(h[2]));
          default -> throw new IllegalStateException("bad fixture line in " + name + ": " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  Matrix matrix(String key, DType dtype) {
    double[][] m = get(matrices, key);
    Matrix out = Matrix.zeros(dtype, m.length, m[0].length);
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        out.set(i, j, m[i][j]);
      }
    }
    return out;
  }

  double[] vector(String key) {
    return get(matrices, key)[0];
  }

  int[] ints(String key) {
    return get(ints, key);
  }

  double scalar(String key) {
    return get(scalars, key);
  }

  private <T> T get(Map<String, T> map, String key) {
    T v = map.get(key);
    if (v == null) {
      throw new IllegalStateException("fixture " + name + " has no entry " + key);
    }
    return v;
  }
}
