package structura.benchmarks;

import java.util.SplittableRandom;
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
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;

/**
 * JMH: the lazy kernel product O = K(X, X)·V ({@code Compute.kernelMultiply}, the routine behind
 * {@code KernelOperator}) on the {@code vector} backend, N points uniform in the unit cube,
 * d = 3, F32, Gaussian kernel, k right-hand sides. Kernel entries per second = N² / time.
 * {@code -p n=20000} for a quicker run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class KernelMvmBenchmark {
  @Param({"50000"})
  public int n;

  @Param({"3"})
  public int d;

  @Param({"1", "4", "16"})
  public int k;

  @Param({"2"})
  public int threads;

  @Param({"GAUSSIAN"})
  public String kernel;

  private Compute vector;
  private Matrix x;
  private Matrix v;
  private Matrix o;
  private RadialKernel radial;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    x = Matrix.zeros(DType.F32, n, d);
    v = Matrix.zeros(DType.F32, n, k);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        x.set(i, t, rnd.nextDouble() / 0.2);  // unit cube, lengthscale 0.2
      }
      for (int c = 0; c < k; c++) {
        v.set(i, c, rnd.nextGaussian());
      }
    }
    o = Matrix.zeros(DType.F32, n, k);
    radial = RadialKernel.of(RadialKernel.Kind.valueOf(kernel), 1.0);
    vector = Peers.open("vector", threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vector.close();
  }

  @Benchmark
  public Matrix lazy() {
    vector.kernelMultiply(radial, x, x, v, 0, o);
    return o;
  }
}
