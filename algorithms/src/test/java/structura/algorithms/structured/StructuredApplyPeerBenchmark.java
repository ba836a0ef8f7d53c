package structura.algorithms.structured;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Locale;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/**
 * Monarch and BTT apply against dense GEMM at d = 4096 (issue 13's target: at least half of the
 * FLOP-ratio speedup over our dense GEMM), with OpenBLAS dgemm/sgemm through dev.ludovic.netlib as
 * the peer for the dense product (native OpenBLAS when {@code libblas.so.3} resolves to it).
 *
 * <p>Not a unit test; run it as a plain main:
 * <pre>
 * ./mvnw -q -pl api,testkit,algorithms,spi-cpu-vector test-compile
 * ./mvnw -q -pl api,testkit,algorithms test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector \
 *   -cp algorithms/target/test-classes:algorithms/target/classes:spi-cpu-vector/target/classes:$(cat /tmp/cp.txt) \
 *   structura.algorithms.structured.StructuredApplyPeerBenchmark 4096 512 5 vector 2 F32
 * </pre>
 * Arguments: d (default 4096), batch (512), repetitions (3), backend id ({@code java} = reference,
 * or {@code vector}, opened strict), backend threads (2), dtype (F32 or F64).
 */
public final class StructuredApplyPeerBenchmark {
  private StructuredApplyPeerBenchmark() {}

  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String backend = args.length > 3 ? args[3] : "java";
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    DType dtype = args.length > 5 ? DType.valueOf(args[5]) : DType.F32;
    BLAS blas = BLAS.getInstance();
    try (Compute c = backend.equals("java") ? Compute.reference()
        : Compute.open(BackendConfig.builder().backend(backend).strict(true).threads(threads).build())) {
      System.out.printf(Locale.ROOT, "java %s, %d cpus, BLAS impl %s, backend %s, %s, d=%d, batch=%d, best of %d%n",
          Runtime.version(), Runtime.getRuntime().availableProcessors(), blas.getClass().getSimpleName(),
          c.backend().describe(), dtype, d, batch, reps);
      StructuredApplyBenchmark.Options options = new StructuredApplyBenchmark.Options(d, batch, reps, dtype, 0);
      Matrix x = Matrix.zeros(dtype, d, batch);
      SplittableRandom rnd = new SplittableRandom(1);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < batch; j++) {
          x.set(i, j, rnd.nextGaussian());
        }
      }
      System.out.printf(Locale.ROOT, "%-28s %6s %10s %10s %10s %8s %8s %8s %9s %10s%n", "operator", "n", "struct s",
          "dense s", "OpenBLAS s", "speedup", "flops x", "fraction", "vs OpenBLAS", "rel error");
      for (StructuredApplyBenchmark.Case k : StructuredApplyBenchmark.cases(c, options)) {
        StructuredApplyBenchmark.Row row = StructuredApplyBenchmark.measure(c, k, x, reps);
        double peer = openBlasDense(blas, k.operator().toDense(), x, reps);
        System.out.printf(Locale.ROOT, "%-28s %6d %10.4f %10.4f %10.4f %8.2f %8.2f %8.2f %9.2f %10.2e%n", row.operator(),
            row.n(), row.structuredSeconds(), row.denseSeconds(), peer, row.speedup(), row.flopRatio(),
            row.fractionOfFlopRatio(), peer / row.structuredSeconds(), row.relativeError());
      }
    }
  }

  /** Best time of W·X on OpenBLAS: row-major C = W·X is column-major Cᵀ = Xᵀ·Wᵀ, one call. */
  static double openBlasDense(BLAS blas, Matrix w, Matrix x, int reps) {
    int d = w.rows();
    int k = w.cols();
    int b = x.cols();
    if (w.dtype() == DType.F32) {
      float[] c = new float[d * b];
      return StructuredApplyBenchmark.best(reps, () -> blas.sgemm("N", "N", b, d, k, 1f, x.f32(), b, w.f32(), k, 0f, c, b));
    }
    double[] c = new double[d * b];
    return StructuredApplyBenchmark.best(reps, () -> blas.dgemm("N", "N", b, d, k, 1.0, x.f64(), b, w.f64(), k, 0.0, c, b));
  }
}
