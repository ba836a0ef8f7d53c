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
import java.util.Random;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Side-by-side timing of {@link PivotedCholesky} (explicit matrix, in place, the default block of
 * 64) against LAPACK's {@code dpstrf} over the system OpenBLAS, interleaved, on 1 and 2 threads.
 *
 * <p>The matrix is the compression's case: the n × n scatter {@code XᵀX} of m = 4n rows whose
 * columns have power-law scales (column j scaled by (j + 1)^−0.75, then the columns shuffled, so
 * the pivots are not in index order), as the FFN activations' scatter in {@code NeuronSelection}.
 * Each rank is run to completion by both: ours with {@code maxRank = k}, {@code dpstrf} with its
 * tolerance set just above our (k+1)-th pivot's residual diagonal, so it stops at the same rank (at k = n,
 * tolerance −1: the full factorization). Both time the factorization of a fresh copy (the copy
 * outside the timer); OpenBLAS's thread count is set to match the backend's.
 *
 * <p>The peer is checked: the number of leading pivots that agree, and the maximum relative
 * difference of the pivots' residual diagonals (ours: {@code pivotDiagonals}; dpstrf: the squared
 * diagonal of its factor). Both are the same greedy factorization; a disagreement past a near tie
 * is rounding, one at the start a bug.
 *
 * <p>Not a unit test; run it through {@code benchmarks/run-pivoted-cholesky.sh}. Arguments: n
 * (default 1536), ranks (default "n,944,576"), repetitions (default 7), threads (default "1,2").
 */
public final class PivotedCholeskyBenchmark {
  private PivotedCholeskyBenchmark() {}

  public static void main(String[] args) throws Throwable {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1536;
    String rankList = args.length > 1 ? args[1] : "n,944,576";
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int[] threadCounts = Arrays.stream((args.length > 3 ? args[3] : "1,2").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int[] ranks = Arrays.stream(rankList.split(",")).mapToInt(s -> s.equals("n") ? n : Integer.parseInt(s)).toArray();
    double[] a = scatter(n, 4 * n, 7);
    MethodHandle dpstrf = dpstrf();
    System.out.printf(Locale.ROOT, "java %s, %d cpus, OpenBLAS core %s, loadavg %s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), QrBenchmark.openBlasCoreName(), QrBenchmark.loadAverage());
    System.out.printf(Locale.ROOT, "%nA = XᵀX, n = %d, X %d × %d with power-law column scales; median (best) of %d%n%n",
        n, 4 * n, n, reps);
    System.out.println("| n | rank | threads | ours s | dpstrf s | ours / dpstrf (time) | leading pivots equal | "
        + "max rel. diff of pivot diagonals |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (int t : threadCounts) {
      try (Compute c = QrBenchmark.vectorBesideOpenBlas(t)) {
        for (int k : ranks) {
          run(n, k, 2, a, dpstrf, c, t, false);
          run(n, k, reps, a, dpstrf, c, t, true);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%nloadavg after: %s%n", QrBenchmark.loadAverage());
  }

  private static void run(int n, int k, int reps, double[] a, MethodHandle dpstrf, Compute c, int threads,
      boolean print) throws Throwable {
    List<Double> ours = new ArrayList<>();
    List<Double> peer = new ArrayList<>();
    double tol = k < n ? nextPivot(a, n, k, c) * (1 + 1e-9) : -1;
    PivotedCholeskyResult result = null;
    double[] peerDiag = null;
    int[] peerPiv = null;
    for (int r = 0; r < reps; r++) {
      Matrix work = Matrix.wrap(a.clone(), n, n);
      long t0 = System.nanoTime();
      result = new PivotedCholesky(c, new PivotedCholeskyOptions(k, 0, 0, PivotedCholeskyOptions.DEFAULT_BLOCK_SIZE))
          .factorInPlace(work);
      ours.add((System.nanoTime() - t0) / 1e9);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment seg = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a); // symmetric: column-major is the same
        MemorySegment piv = arena.allocate(ValueLayout.JAVA_INT, n);
        MemorySegment rank = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment info = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment work2 = arena.allocate(ValueLayout.JAVA_DOUBLE, 2L * n);
        MemorySegment uplo = arena.allocateFrom("L");
        MemorySegment nn = arena.allocateFrom(ValueLayout.JAVA_INT, n);
        MemorySegment tolSeg = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, tol);
        long t1 = System.nanoTime();
        dpstrf.invokeExact(uplo, nn, seg, nn, piv, rank, tolSeg, work2, info, 1L);
        peer.add((System.nanoTime() - t1) / 1e9);
        int inf = info.get(ValueLayout.JAVA_INT, 0);
        if (inf < 0) {
          throw new IllegalStateException("dpstrf info = " + inf);
        }
        int rk = rank.get(ValueLayout.JAVA_INT, 0);
        peerDiag = new double[rk];
        peerPiv = new int[rk];
        for (int j = 0; j < rk; j++) {
          double l = seg.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * n + j);
          peerDiag[j] = l * l;
          peerPiv[j] = piv.getAtIndex(ValueLayout.JAVA_INT, j) - 1;
        }
      }
    }
    if (!print) {
      return;
    }
    int[] p = result.pivots();
    double[] d = result.pivotDiagonals();
    int equal = 0;
    while (equal < Math.min(p.length, peerPiv.length) && p[equal] == peerPiv[equal]) {
      equal++;
    }
    double diff = 0;
    for (int j = 0; j < Math.min(equal, d.length); j++) {
      diff = Math.max(diff, Math.abs(d[j] - peerDiag[j]) / d[j]);
    }
    double o = QrBenchmark.median(ours);
    double q = QrBenchmark.median(peer);
    System.out.printf(Locale.ROOT, "| %d | %d (dpstrf %d) | %d | %.4f (%.4f) | %.4f (%.4f) | %.2f | %d | %.1e |%n", n,
        p.length, peerPiv.length, threads, o, ours.stream().min(Double::compare).orElseThrow(), q,
        peer.stream().min(Double::compare).orElseThrow(), o / q, equal, diff);
  }

  /** The (k+1)-th pivot's residual diagonal: dpstrf with this tolerance stops at rank k. */
  private static double nextPivot(double[] a, int n, int k, Compute c) {
    PivotedCholeskyResult more = new PivotedCholesky(c,
        new PivotedCholeskyOptions(k + 1, 0, 0, PivotedCholeskyOptions.DEFAULT_BLOCK_SIZE)).factor(Matrix.wrap(a, n, n));
    return more.pivotDiagonals()[k];
  }

  /** XᵀX for X m × n Gaussian, column j scaled by (j + 1)^−0.75, columns shuffled. */
  static double[] scatter(int n, int m, long seed) {
    Random rnd = new Random(seed);
    int[] order = new int[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    for (int j = n - 1; j > 0; j--) {
      int i = rnd.nextInt(j + 1);
      int s = order[i];
      order[i] = order[j];
      order[j] = s;
    }
    double[] x = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        x[i * n + j] = rnd.nextGaussian() * Math.pow(order[j] + 1, -0.75);
      }
    }
    Matrix g = Matrix.zeros(DType.F64, n, n);
    try (Compute c = Compute.open(BackendConfig.builder().backend("vector").strict(true).build())) {
      c.gemm(Transpose.T, Transpose.N, 1.0, Matrix.wrap(x, m, n), Matrix.wrap(x, m, n), 0.0, g);
    }
    return g.f64();
  }

  /** dpstrf_(uplo, n, a, lda, piv, rank, tol, work, info, uplo_len) from the system OpenBLAS. */
  private static MethodHandle dpstrf() {
    return QrBenchmark.openBlas("dpstrf_", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  }
}
