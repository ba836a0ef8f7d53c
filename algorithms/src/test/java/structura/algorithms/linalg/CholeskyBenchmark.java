package structura.algorithms.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * Side-by-side timing of {@link Cholesky} (the default block of 64, on the vector backend) against
 * LAPACK's {@code dpotrf} over the system OpenBLAS, interleaved, on 1 and 2 threads.
 *
 * <p>The matrix is an SPD scatter {@code XᵀX} of m = 4n Gaussian rows with power-law column
 * scales ({@link PivotedCholeskyBenchmark#scatter}), the Gram of a whitening or a GP's kernel
 * matrix in kind. Ours is timed as a caller sees it ({@code factorF64}: the copy into the work
 * array, the factorization and the zeroed upper triangle); {@code dpotrf} factors a fresh copy made
 * outside its timer. OpenBLAS's thread count is set to match the backend's.
 *
 * <p>The peer is checked: the maximum relative difference of the two factors' diagonals.
 *
 * <p>Not a unit test; run it through {@code benchmarks/run-cholesky.sh}. Arguments: orders
 * (default "1024,4096"), repetitions (default 5), threads (default "1,2").
 */
public final class CholeskyBenchmark {
  private CholeskyBenchmark() {}

  public static void main(String[] args) throws Throwable {
    int[] orders = Arrays.stream((args.length > 0 ? args[0] : "1024,4096").split(",")).mapToInt(Integer::parseInt).toArray();
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int[] threadCounts = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
    MethodHandle dpotrf = QrBenchmark.openBlas("dpotrf_", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    System.out.printf(Locale.ROOT, "java %s, %d cpus, OpenBLAS core %s, loadavg %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), QrBenchmark.openBlasCoreName(), QrBenchmark.loadAverage());
    System.out.printf(Locale.ROOT, "%nA = XᵀX, X 4n × n with power-law column scales; median (best) of %d; GFLOP/s at n³/3%n%n", reps);
    System.out.println("| n | threads | ours s | dpotrf s | ours / dpotrf (time) | ours GFLOP/s | dpotrf GFLOP/s | "
        + "max rel. diff of diag(L) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (int t : threadCounts) {
      try (Compute c = QrBenchmark.vectorBesideOpenBlas(t)) {
        for (int n : orders) {
          double[] a = PivotedCholeskyBenchmark.scatter(n, 4 * n, 11);
          run(n, 2, a, dpotrf, c, t, false);
          run(n, reps, a, dpotrf, c, t, true);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%nloadavg after: %s%n", QrBenchmark.loadAverage());
  }

  private static void run(int n, int reps, double[] a, MethodHandle dpotrf, Compute c, int threads, boolean print)
      throws Throwable {
    List<Double> ours = new ArrayList<>();
    List<Double> peer = new ArrayList<>();
    Matrix input = Matrix.wrap(a, n, n);
    double[] l = null;
    double[] peerDiag = new double[n];
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      l = new Cholesky(c, CholeskyOptions.defaults()).factorF64(input);
      ours.add((System.nanoTime() - t0) / 1e9);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a); // symmetric: column-major is the same
        MemorySegment info = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment uplo = arena.allocateFrom("L");
        MemorySegment nn = arena.allocateFrom(ValueLayout.JAVA_INT, n);
        long t1 = System.nanoTime();
        dpotrf.invokeExact(uplo, nn, seg, nn, info, 1L);
        peer.add((System.nanoTime() - t1) / 1e9);
        if (info.get(ValueLayout.JAVA_INT, 0) != 0) {
          throw new IllegalStateException("dpotrf info = " + info.get(ValueLayout.JAVA_INT, 0));
        }
        for (int j = 0; j < n; j++) {
          peerDiag[j] = seg.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * n + j);
        }
      }
    }
    if (!print) {
      return;
    }
    double diff = 0;
    for (int j = 0; j < n; j++) {
      diff = Math.max(diff, Math.abs(l[j * n + j] - peerDiag[j]) / peerDiag[j]);
    }
    double o = QrBenchmark.median(ours);
    double q = QrBenchmark.median(peer);
    double gflop = (double) n * n * n / 3 / 1e9;
    System.out.printf(Locale.ROOT, "| %d | %d | %.4f (%.4f) | %.4f (%.4f) | %.2f | %.1f | %.1f | %.1e |%n", n, threads, o,
        ours.stream().min(Double::compare).orElseThrow(), q, peer.stream().min(Double::compare).orElseThrow(), o / q,
        gflop / o, gflop / q, diff);
  }
}
