package structura.algorithms.iterative;

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

/** Reads the matrices of a fixture written by {@code fixtures/make_iterative_fixtures.py}. */
final class Fixtures {
  private Fixtures() {}

  static Map<String, Matrix> load(String name) {
    Map<String, Matrix> out = new HashMap<>();
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".txt")) {
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
        int rows = Integer.parseInt(h[2]);
        int cols = Integer.parseInt(h[3]);
        Matrix m = Matrix.zeros(DType.F64, rows, cols);
        for (int i = 0; i < rows; i++) {
          String[] v = r.readLine().trim().split("\\s+");
          for (int j = 0; j < cols; j++) {
            m.set(i, j, Double.parseDouble(v[j]));
          }
        }
        out.put(h[1], m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
