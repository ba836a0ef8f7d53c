package structura.benchmarks;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import structura.api.backend.Compute;

/**
 * JMH: C = A·B (row-major, beta = 0) through the {@code vector} backend, OpenBLAS (netlib
 * NativeBLAS on the system libopenblas) and EJML, F32 and F64, square n = 256 … 2048 and the
 * transformer shapes m×k×n = 4096×384×384, 4096×384×1536 and 4096×1536×384, on 1 and 2 threads. Score is
 * time per call; GFLOP/s = 2mnk / time. See {@code benchmarks/README.md} for the commands.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GemmBenchmark {
  /** n for square products, or m×k×n. */
  @Param({"256", "512", "1024", "2048", "4096x384x384", "4096x384x1536", "4096x1536x384"})
  public String shape;

  @Param({"F32", "F64"})
  public String dtype;

  @Param({"1", "2"})
  public int threads;

  private Peers.Gemm gemm;
  private Compute vector;
  private NativeBLAS blas;

  @Setup(Level.Trial)
  public void setUp() {
    String[] p = shape.split("x");
    int m = Integer.parseInt(p[0]);
    int k = p.length == 1 ? m : Integer.parseInt(p[1]);
    int n = p.length == 1 ? m : Integer.parseInt(p[2]);
    gemm = new Peers.Gemm(dtype.equals("F32"), m, k, n, 42);
    vector = Peers.open("vector", threads);
    blas = Peers.openBlas();
    Peers.openBlasThreads(threads);
    org.ejml.concurrency.EjmlConcurrency.setMaxThreads(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vector.close();
  }

  @Benchmark
  public void vector(Blackhole bh) {
    gemm.structura(vector);
    bh.consume(gemm.f32 ? gemm.fc : gemm.dc);
  }

  @Benchmark
  public void openblas(Blackhole bh) {
    gemm.openBlas(blas);
    bh.consume(gemm.f32 ? gemm.fc : gemm.dc);
  }

  @Benchmark
  public void ejml(Blackhole bh) {
    gemm.ejml(threads);
    bh.consume(gemm.f32 ? gemm.fc : gemm.dc);
  }
}
