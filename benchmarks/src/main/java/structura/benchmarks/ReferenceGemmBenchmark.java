package structura.benchmarks;

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
 * JMH: the reference backend {@code java} (plain loops, one thread) on small square products
 * only, where it finishes in reasonable time; the baseline the SIMD backend is measured against.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ReferenceGemmBenchmark {
  @Param({"256", "512"})
  public int n;

  @Param({"F32", "F64"})
  public String dtype;

  private Peers.Gemm gemm;
  private Compute reference;

  @Setup(Level.Trial)
  public void setUp() {
    gemm = new Peers.Gemm(dtype.equals("F32"), n, n, n, 42);
    reference = Peers.open("java", 1);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reference.close();
  }

  @Benchmark
  public void reference(Blackhole bh) {
    gemm.structura(reference);
    bh.consume(gemm.f32 ? gemm.fc : gemm.dc);
  }
}
