package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentRoutines;
import structura.api.backend.RoutineFamily;
import structura.api.backend.Transpose;

/**
 * {@code structura check}: runs every routine family of the selected backend once on seeded
 * random data and compares it with the reference backend, printing the relative error and
 * time of each. A quick deploy-time check that a backend jar works on this machine; the full
 * conformance suites live in the test kit.
 */
@Command(name = "check", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Run each routine of the selected backend against the reference backend and report errors and times.")
final class CheckCommand implements Callable<Integer> {
  private final Provider<BackendSelection> selection;

  @Spec
  CommandSpec spec;

  @Option(names = "--size", defaultValue = "256", paramLabel = "N", description = "Matrix size for the checks (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Inject
  CheckCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    if (size < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--size must be at least 1, got " + size);
    }
    PrintWriter out = spec.commandLine().getOut();
    BackendSelection chosen = selection.get();
    out.println(chosen.explanation());
    boolean ok = true;
    try (Compute compute = chosen.open()) {
      out.println("Backend: " + compute);
      out.printf("  %-34s %-4s %12s %10s %10s  %s%n", "ROUTINE", "TYPE", "REL. ERROR", "TOLERANCE", "TIME (ms)", "RESULT");
      for (DType dtype : DType.values()) {
        ok &= report(out, "gemm " + size + "^3", dtype, gemm(compute, dtype, Transpose.N, Transpose.N));
        ok &= report(out, "gemm " + size + "^3 (Aᵀ·Bᵀ)", dtype, gemm(compute, dtype, Transpose.T, Transpose.T));
        ok &= report(out, "gemv " + size + "x" + size, dtype, gemv(compute, dtype));
        ok &= report(out, "batchedGemm 8 x " + (size / 4 + 1) + "^3", dtype, batched(compute, dtype));
        ok &= report(out, "gram " + (4 * size) + "x" + size, dtype, gram(compute, dtype));
        ok &= report(out, "dot/axpy/scale " + (64 * size), dtype, level1(compute, dtype));
        ok &= report(out, "kernelMultiply " + (4 * size) + "x" + (4 * size) + " d=3", dtype, kernel(compute, dtype));
      }
      if (compute.backend().supports(RoutineFamily.ELEMENTWISE, DType.F32)) {
        ok &= report(out, "softmax/gelu/layerNorm " + size + "x" + size, DType.F32, elementwise(compute));
      }
      Optional<ResidentRoutines> resident = compute.backend().resident();
      if (resident.isPresent()) {
        for (DType dtype : DType.values()) {
          ok &= report(out, "resident gemm " + size + "^3", dtype, residentGemm(resident.get(), dtype));
        }
      }
    }
    out.println(ok ? "All routines agree with the reference backend." : "Some routines disagree with the reference backend.");
    return ok ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** Relative max-norm error, its tolerance, and the backend's time in ms. */
  private record Outcome(double error, double tolerance, double millis) {}

  private static boolean report(PrintWriter out, String name, DType dtype, Outcome o) {
    boolean pass = o.error <= o.tolerance;
    out.printf("  %-34s %-4s %12.3e %10.1e %10.2f  %s%n", name, dtype, o.error, o.tolerance, o.millis, pass ? "ok" : "FAIL");
    out.flush();
    return pass;
  }

  private Matrix random(DType dtype, int rows, int cols, SplittableRandom rnd) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  private static double tolerance(DType dtype, int k) {
    return 4.0 * (k + 4) * dtype.unitRoundoff();
  }

  /** max|got − want| / max|want|. */
  private static double relativeError(Matrix got, Matrix want) {
    double num = 0;
    double den = Double.MIN_NORMAL;
    for (int i = 0; i < want.rows(); i++) {
      for (int j = 0; j < want.cols(); j++) {
        num = Math.max(num, Math.abs(got.get(i, j) - want.get(i, j)));
        den = Math.max(den, Math.abs(want.get(i, j)));
      }
    }
    return num / den;
  }

  private Outcome gemm(Compute compute, DType dtype, Transpose ta, Transpose tb) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix a = random(dtype, size, size, rnd);
    Matrix b = random(dtype, size, size, rnd);
    Matrix c = random(dtype, size, size, rnd);
    Matrix want = c.copy();
    long t0 = System.nanoTime();
    compute.gemm(ta, tb, 1.0, a, b, 0.5, c);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute.reference().gemm(ta, tb, 1.0, a, b, 0.5, want);
    return new Outcome(relativeError(c, want), tolerance(dtype, size), ms);
  }

  private Outcome gemv(Compute compute, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    Matrix a = random(dtype, size, size, rnd);
    Matrix x = random(dtype, size, 1, rnd);
    Matrix y = Matrix.zeros(dtype, size, 1);
    Matrix want = y.copy();
    long t0 = System.nanoTime();
    compute.gemv(Transpose.N, 1.0, a, x, 0.0, y);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute.reference().gemv(Transpose.N, 1.0, a, x, 0.0, want);
    return new Outcome(relativeError(y, want), tolerance(dtype, size), ms);
  }

  private Outcome batched(Compute compute, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 2);
    int n = size / 4 + 1;
    int batch = 8;
    Matrix a = random(dtype, batch * n, n, rnd);
    Matrix b = random(dtype, batch * n, n, rnd);
    Matrix c = Matrix.zeros(dtype, batch * n, n);
    Matrix want = c.copy();
    long t0 = System.nanoTime();
    compute.batchedGemm(Transpose.N, Transpose.T, batch, 1.0, a.view(0, 0, n, n), n * n, b.view(0, 0, n, n), n * n,
        0.0, c.view(0, 0, n, n), n * n);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute.reference().batchedGemm(Transpose.N, Transpose.T, batch, 1.0, a.view(0, 0, n, n), n * n,
        b.view(0, 0, n, n), n * n, 0.0, want.view(0, 0, n, n), n * n);
    return new Outcome(relativeError(c, want), tolerance(dtype, n), ms);
  }

  private Outcome gram(Compute compute, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 3);
    Matrix x = random(dtype, 4 * size, size, rnd);
    Matrix c = Matrix.zeros(dtype, size, size);
    Matrix want = c.copy();
    long t0 = System.nanoTime();
    compute.gram(Transpose.T, 1.0, x, 0.0, c);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute.reference().gram(Transpose.T, 1.0, x, 0.0, want);
    return new Outcome(relativeError(c, want), tolerance(dtype, 4 * size), ms);
  }

  private Outcome level1(Compute compute, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 4);
    int n = 64 * size;
    Matrix x = random(dtype, 1, n, rnd);
    Matrix y = random(dtype, 1, n, rnd);
    Matrix yRef = y.copy();
    long t0 = System.nanoTime();
    double dot = compute.dot(x, y);
    compute.axpy(-0.5, x, y);
    compute.scale(2.0, y);
    double ms = (System.nanoTime() - t0) / 1e6;
    double dotRef = Compute.reference().dot(x, yRef);
    Compute.reference().axpy(-0.5, x, yRef);
    Compute.reference().scale(2.0, yRef);
    double dotError = Math.abs(dot - dotRef) / Math.max(Math.sqrt(n), Math.abs(dotRef));
    return new Outcome(Math.max(dotError, relativeError(y, yRef)), tolerance(dtype, n), ms);
  }

  private Outcome kernel(Compute compute, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 5);
    int n = 4 * size;
    Matrix x = random(dtype, n, 3, rnd);
    Matrix v = random(dtype, n, 2, rnd);
    Matrix o = Matrix.zeros(dtype, n, 2);
    Matrix want = o.copy();
    RadialKernel k = RadialKernel.of(RadialKernel.Kind.MATERN_52, 1.0);
    long t0 = System.nanoTime();
    compute.kernelMultiply(k, x, x, v, 0.0, o);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute.reference().kernelMultiply(k, x, x, v, 0.0, want);
    return new Outcome(relativeError(o, want), tolerance(dtype, n), ms);
  }

  /** Softmax with a padding mask, GELU and LayerNorm in sequence, F32. */
  private Outcome elementwise(Compute compute) {
    SplittableRandom rnd = new SplittableRandom(seed + 6);
    Matrix x = random(DType.F32, size, size, rnd);
    Matrix mask = Matrix.zeros(DType.F32, 1, size);
    for (int j = size - size / 4; j < size; j++) {
      mask.set(0, j, -Float.MAX_VALUE);
    }
    Matrix gamma = random(DType.F32, 1, size, rnd);
    Matrix beta = random(DType.F32, 1, size, rnd);
    Matrix want = x.copy();
    long t0 = System.nanoTime();
    compute.softmaxRows(3.0, x, mask);
    compute.gelu(x);
    compute.layerNorm(x, gamma, beta, 1e-5);
    double ms = (System.nanoTime() - t0) / 1e6;
    Compute ref = Compute.reference();
    ref.softmaxRows(3.0, want, mask);
    ref.gelu(want);
    ref.layerNorm(want, gamma, beta, 1e-5);
    return new Outcome(relativeError(x, want), tolerance(DType.F32, size), ms);
  }

  /** Upload, GEMM on device buffers, download: the resident extension against the reference GEMM. */
  private Outcome residentGemm(ResidentRoutines r, DType dtype) {
    SplittableRandom rnd = new SplittableRandom(seed + 7);
    int n = size;
    Matrix a = random(dtype, n, n, rnd);
    Matrix b = random(dtype, n, n, rnd);
    Matrix want = Matrix.zeros(dtype, n, n);
    Compute.reference().gemm(Transpose.N, Transpose.T, 1.0, a, b, 0.0, want);
    Matrix got = Matrix.zeros(dtype, n, n);
    long t0 = System.nanoTime();
    try (DeviceBuffer da = r.allocate(dtype, (long) n * n); DeviceBuffer db = r.allocate(dtype, (long) n * n);
        DeviceBuffer dc = r.allocate(dtype, (long) n * n)) {
      if (dtype == DType.F32) {
        r.upload(a.f32(), a.offset(), da, 0, n * n);
        r.upload(b.f32(), b.offset(), db, 0, n * n);
        r.gemm(false, true, n, n, n, 1.0, da, 0, n, db, 0, n, 0.0, dc, 0, n);
        r.download(dc, 0, got.f32(), got.offset(), n * n);
      } else {
        r.upload(a.f64(), a.offset(), da, 0, n * n);
        r.upload(b.f64(), b.offset(), db, 0, n * n);
        r.gemm(false, true, n, n, n, 1.0, da, 0, n, db, 0, n, 0.0, dc, 0, n);
        r.download(dc, 0, got.f64(), got.offset(), n * n);
      }
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    return new Outcome(relativeError(got, want), tolerance(dtype, n), ms);
  }
}
