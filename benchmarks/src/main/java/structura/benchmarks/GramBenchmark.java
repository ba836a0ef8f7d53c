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
 * JMH: Gram matrix C = XᵀX of an F32 rows×1536 sample matrix (the calibration workload) through
 * the {@code vector} backend (ssyrk, both triangles), OpenBLAS ssyrk (one triangle) and EJML
 * multInner, on 1 and 2 threads. Useful flops n(n+1)·rows. The full 65536 rows (400 MB) are the
 * default; {@code -p rows=16384} makes it four times faster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GramBenchmark {
  @Param({"65536"})
  public int rows;

  @Param({"1536"})
  public int n;

  @Param({"1", "2"})
  public int threads;

  private Peers.Gram gram;
  private Compute vector;
  private NativeBLAS blas;

  @Setup(Level.Trial)
  public void setUp() {
    gram = new Peers.Gram(rows, n, 7);
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
    gram.structura(vector);
    bh.consume(gram.c);
  }

  @Benchmark
  public void openblas(Blackhole bh) {
    gram.openBlas(blas);
    bh.consume(gram.c);
  }

  @Benchmark
  public void ejml(Blackhole bh) {
    gram.ejml(threads);
    bh.consume(gram.c);
  }
}
