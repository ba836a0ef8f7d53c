package structura.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import structura.algorithms.compress.Budget;
import structura.algorithms.compress.CalibrationData;
import structura.algorithms.compress.CompressionRequest;
import structura.algorithms.compress.CompressionResult;
import structura.algorithms.compress.CompressionStrategies;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.algorithms.structured.Linalg;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.nn.TransformerNetwork;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.formats.ModelFiles;

/**
 * Three things an embedder does, on whatever backend the module path offers: compress a model
 * file ({@link ModelFiles}), solve a structured system ({@link Linalg}), and multiply by a kernel
 * matrix ({@link KernelOperator}). Prints the backend chosen and one line per result, with numbers
 * that the CI script compares between runs on different backends.
 *
 * <p>Usage: {@code EmbedExample MODEL_DIR} (a safetensors directory, e.g. the tiny Llama fixture).
 */
public final class EmbedExample {
  private EmbedExample() {}

  public static void main(String[] args) {
    Path model = Path.of(args.length > 0 ? args[0] : "../formats/src/test/resources/fixtures/llama-tiny");
    try (Compute compute = Compute.open(BackendConfig.builder().build())) {   // auto: the best backend present
      System.out.println("backend: " + compute.backendId());

      // 1. compress a model file: read, calibrate, compress (the README's embed, with token ids
      //    drawn here because the tiny fixture has no tokenizer); half of the FFN neurons, all
      //    heads (the fixture's grouped-query attention is pruned by whole groups only)
      TransformerNetwork network = ModelFiles.read(model.toString());
      Random random = new Random(1);
      List<int[]> ids = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        ids.add(random.ints(12, 0, 61).toArray());
      }
      CompressionResult result = CompressionStrategies.byName("magnitude").compress(new CompressionRequest(network,
          CalibrationData.of(ids, 8, 0), new Budget.KeepFractions(1.0, 0.5), compute, Map.of("neuron-multiple", "1"),
          null));
      System.out.printf(Locale.ROOT, "compress: parameters %d -> %d%n", network.parameterCount(),
          result.network().parameterCount());

      // 2. a structured solve: (A ⊗ B) x = b with SPD factors; Linalg solves factor by factor
      int n = 24;
      LinearOperator a = Operators.dense(spd(n, 2), compute);
      LinearOperator b = Operators.dense(spd(n, 3), compute);
      LinearOperator kron = Operators.kronecker(a, b);
      Matrix rhs = random(n * n, 1, 4);
      Matrix x = Linalg.solve(kron, rhs);
      Matrix back = kron.apply(x);
      double residual = 0;
      for (int i = 0; i < n * n; i++) {
        residual = Math.max(residual, Math.abs(back.get(i, 0) - rhs.get(i, 0)));
      }
      System.out.printf(Locale.ROOT, "solve: n=%d sum(x)=%.10e max residual %.1e%n", n * n, sum(x), residual);

      // 3. a kernel matrix-vector product, never forming the matrix
      Matrix points = random(2000, 3, 5);
      KernelOperator k = KernelOperator.symmetric(KernelFunction.isotropic(RadialKernel.Kind.GAUSSIAN, 0.5, 1.0), points,
          compute);
      Matrix y = k.apply(random(2000, 1, 6));
      System.out.printf(Locale.ROOT, "kernel mvm: n=2000 sum(Kv)=%.10e%n", sum(y));
    }
  }

  /** M·Mᵀ + n·I for a seeded random M: symmetric positive definite. */
  private static Matrix spd(int n, long seed) {
    Matrix m = random(n, n, seed);
    Matrix s = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = i == j ? n : 0;
        for (int l = 0; l < n; l++) {
          v += m.get(i, l) * m.get(j, l);
        }
        s.set(i, j, v);
      }
    }
    return s;
  }

  private static Matrix random(int rows, int cols, long seed) {
    Random r = new Random(seed);
    Matrix m = Matrix.zeros(DType.F64, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, r.nextDouble() * 2 - 1);
      }
    }
    return m;
  }

  private static double sum(Matrix m) {
    double s = 0;
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        s += m.get(i, j);
      }
    }
    return s;
  }
}
