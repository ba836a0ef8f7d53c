package structura.algorithms.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.netlib.util.intW;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Side-by-side timing and accuracy of a rank-k truncated SVD of one m×n F64 matrix (default
 * 8192×4096, k = 64): ours ({@link RandomizedSvd}, defaults p = 10, q = 2) on a chosen backend,
 * the same randomized algorithm with every step on OpenBLAS (dgemm, dgeqrf/dorgqr, dgesdd of the
 * small B), LAPACK dgesdd (thin, jobz = "S") through dev.ludovic.netlib (native OpenBLAS when
 * {@code liblapack.so.3} resolves to it, else the Java F2J port), and EJML's compact SVD. The
 * exact SVDs compute all min(m, n) triplets; that is what a user without a randomized method calls.
 *
 * <p>Not a unit test (no {@code @Test}); run it as a plain main (class path as in docs/performance.md;
 * the file holds the last module's class path, algorithms', which has the LAPACK and EJML jars):
 * <pre>
 * source scripts/find-jdk.sh
 * ./mvnw -B -q -pl algorithms,spi-cpu-vector -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp-svd.txt
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx8g \
 *   -cp algorithms/target/test-classes:algorithms/target/classes:spi-cpu-vector/target/classes:api/target/classes:$(cat /tmp/cp-svd.txt) \
 *   structura.algorithms.linalg.SvdBenchmark 8192 4096 64 2 vector 2 4
 * </pre>
 * Arguments: m, n, rank k, repetitions (default 1) after a warm-up at 1/8 size, backend id
 * (default {@code java}, the reference; {@code vector} needs spi-cpu-vector's classes and
 * {@code --add-modules jdk.incubator.vector}), thread count of that backend (default 2), and the
 * EJML divisor f (default 4). EJML's full 8192×4096 SVD would take about 15 to 50 minutes on the
 * 2-vCPU VM of docs/performance.md (scaled from sizes up to 1448×724), so by default it
 * runs on the leading (m/f)×(n/f) and (m/2f)×(n/2f) blocks only, and its full-size time is given
 * as a range: × f³ (the flop ratio at a fixed aspect ratio) and × f^e with e the growth exponent
 * measured between the two blocks (larger than 3 while the blocks outgrow the cache; EJML is not
 * cache-blocked); 1 runs it at full size, {@code skip} leaves it out. Scaled times are printed apart
 * from the measured ones. The backend is opened strict, so a routine it lacks fails instead of
 * falling back.
 *
 * <p>Test matrix: A = (G₁/√m)·diag(d)·(G₂/√n) + E with G₁ m×r and G₂ r×n standard Gaussian,
 * r = min(512, min(m, n)/2), d_j = 1/(j+1) (a slow, Zipf-like decay as in text or embedding data)
 * and E Gaussian noise of spectral norm about 10⁻³. Since G₁/√m and G₂/√n are near-isometries for
 * r ≪ m, n, σ_j(A) ≈ 1/j up to factors (1 ± √(r/m))(1 ± √(r/n)), then a noise floor; the exact
 * σ come from dgesdd. Building it is one GEMM of 2mnr flops instead of the O(mn²) of an explicit
 * U·diag(σ)·Vᵀ with orthonormal factors.
 *
 * <p>Accuracy: the error of our A_k = UΣVᵀ is measured on the residual R = A − A_k formed with
 * one backend GEMM: Frobenius exactly, spectral as the top singular value of R·Q after 10 block
 * power iterations with 8 vectors (a lower bound of ‖R‖₂). Both are set against the Eckart–Young
 * optimum from dgesdd's σ: σ_{k+1} and √(Σ_{j>k} σ_j²); also the largest relative error of our top
 * k singular values against dgesdd's.
 */
public final class SvdBenchmark {
  private SvdBenchmark() {}

  private record Timed<T>(double seconds, T value) {}

  public static void main(String[] args) {
    int m = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String backend = args.length > 4 ? args[4] : "java";
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    int ejmlDiv = args.length <= 6 ? 4 : args[6].equals("skip") ? 0 : Integer.parseInt(args[6]);
    LAPACK lapack = LAPACK.getInstance();
    try (Compute c = backend.equals("java") ? Compute.reference()
        : Compute.open(BackendConfig.builder().backend(backend).strict(true).threads(threads).build())) {
      System.out.printf(Locale.ROOT, "java %s, %d cpus, LAPACK impl %s, backend %s%n", Runtime.version(),
          Runtime.getRuntime().availableProcessors(), lapack.getClass().getSimpleName(), c.backend().describe());
      run(m / 8, n / 8, Math.max(1, k / 8), 1, ejmlDiv, lapack, c, false);
      run(m, n, k, reps, ejmlDiv, lapack, c, true);
    }
  }

  private static void run(int m, int n, int k, int reps, int ejmlDiv, LAPACK lapack, Compute c, boolean print) {
    Matrix a = testMatrix(m, n, c);
    Timed<SvdResult> ours = time(print, "ours RandomizedSvd rank " + k + " (p=10, q=2)", m, n, reps,
        () -> new RandomizedSvd(c, RandomizedSvdOptions.ofRank(k)).decompose(a));
    // LAPACK is column-major: the row-major data of Aᵀ is A in column-major order.
    double[] colMajor = Householder.toColumnMajor(a);
    Timed<double[]> sdd = time(print, "LAPACK dgesdd (jobz=S, all triplets)", m, n, reps,
        () -> lapackSdd(lapack, m, n, colMajor.clone()));
    // The same algorithm (HMT Alg. 4.4 + 5.1, same p, q and Householder re-orthonormalization)
    // on OpenBLAS: separates our kernels' speed from the algorithm's advantage over dgesdd.
    Timed<double[]> peer = time(print, "OpenBLAS randomized SVD (dgemm, dgeqrf/dorgqr)", m, n, reps,
        () -> randomizedSvdOnLapack(dev.ludovic.netlib.blas.BLAS.getInstance(), lapack, colMajor, m, n, k, 10, 2));
    double[] ejml = {Double.NaN, Double.NaN};
    if (ejmlDiv == 1) {
      ejml[0] = ejml[1] = timeEjml(a, m, n, reps, print);
    } else if (ejmlDiv > 1) {
      // Two sizes a factor 2 apart give the local growth exponent: EJML is not cache-blocked, so
      // its time per flop rises once the matrix leaves the cache and f³ alone underestimates.
      double half = timeEjml(a, m / (2 * ejmlDiv), n / (2 * ejmlDiv), reps, print);
      double t = timeEjml(a, m / ejmlDiv, n / ejmlDiv, reps, print);
      double e = Math.max(3, Math.log(t / half) / Math.log(2));
      ejml[0] = t * Math.pow(ejmlDiv, 3);
      ejml[1] = t * Math.pow(ejmlDiv, e);
      if (print) {
        System.out.printf(Locale.ROOT, "%-45s %5dx%-5d %9.3f s  (x %d^3, not run)%n", "EJML SVD compact, scaled by flops",
            m, n, ejml[0], ejmlDiv);
        System.out.printf(Locale.ROOT, "%-45s %5dx%-5d %9.3f s  (x %d^%.2f, not run)%n",
            "EJML SVD compact, scaled by measured growth", m, n, ejml[1], ejmlDiv, e);
      }
    } else if (print) {
      System.out.println("EJML skipped");
    }
    if (!print) {
      return;
    }
    System.out.printf(Locale.ROOT, "ratio LAPACK dgesdd / ours: %.2f%n", sdd.seconds() / ours.seconds());
    System.out.printf(Locale.ROOT, "ratio OpenBLAS randomized SVD / ours: %.2f%n", peer.seconds() / ours.seconds());
    double worstPeer = 0;
    for (int i = 0; i < k; i++) {
      worstPeer = Math.max(worstPeer, Math.abs(peer.value()[i] - ours.value().singularValues()[i]) / peer.value()[i]);
    }
    System.out.printf(Locale.ROOT, "max_j<=k |s_j(ours) - s_j(OpenBLAS randomized)| / s_j: %.3e (the same Omega: both draw it from SplittableRandom(0) in the same order)%n",
        worstPeer);
    if (ejmlDiv == 1) {
      System.out.printf(Locale.ROOT, "ratio EJML / ours: %.2f%n", ejml[0] / ours.seconds());
    } else if (ejmlDiv > 1) {
      System.out.printf(Locale.ROOT, "ratio EJML / ours: %.2f to %.2f (EJML scaled from %dx%d, not run at %dx%d)%n",
          ejml[0] / ours.seconds(), ejml[1] / ours.seconds(), m / ejmlDiv, n / ejmlDiv, m, n);
    }
    accuracy(a, ours.value(), sdd.value(), k, c);
  }

  /** Best time of EJML's compact SVD of the leading me×ne block of {@code a}, input copy included. */
  private static double timeEjml(Matrix a, int me, int ne, int reps, boolean print) {
    double[] sub = a.view(0, 0, me, ne).copy().f64();
    Timed<Boolean> t = time(print, "EJML SVD compact (all triplets)", me, ne, reps, () -> {
      SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(me, ne, true, true, true);
      return svd.decompose(DMatrixRMaj.wrap(me, ne, sub.clone()));
    });
    if (!t.value()) {
      throw new IllegalStateException("EJML's SVD did not converge on " + me + "x" + ne);
    }
    return t.seconds();
  }

  private static void accuracy(Matrix a, SvdResult ours, double[] sigma, int k, Compute c) {
    int m = a.rows();
    int n = a.cols();
    double[] s = ours.singularValues();
    Matrix us = ours.u();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        us.set(i, j, us.get(i, j) * s[j]);
      }
    }
    Matrix r = a.copy();
    c.gemm(Transpose.N, Transpose.N, -1.0, us, ours.vt(), 1.0, r);
    double fro = 0;
    for (double x : r.f64()) {
      fro += x * x;
    }
    fro = Math.sqrt(fro);
    // Subspace iteration on RᵀR from a Gaussian start; the top singular value of R·Q with Q
    // orthonormal never exceeds ‖R‖₂, so this is a lower bound, tight once Q holds the top direction.
    Matrix q = Sketches.gaussian(DType.F64, n, 8, new SplittableRandom(7), 1.0);
    for (int it = 0; it < 10; it++) {
      Matrix y = c.multiply(Transpose.N, r, Transpose.N, q);
      q = new HouseholderQr(c, HouseholderQrOptions.defaults()).factor(c.multiply(Transpose.T, r, Transpose.N, y)).q();
    }
    double spec = TruncatedSvd.singularValues(c.multiply(Transpose.N, r, Transpose.N, q))[0];
    double tail = 0;
    for (int j = k; j < sigma.length; j++) {
      tail += sigma[j] * sigma[j];
    }
    double optFro = Math.sqrt(tail);
    double optSpec = sigma[k];
    double relSv = 0;
    for (int j = 0; j < k; j++) {
      relSv = Math.max(relSv, Math.abs(s[j] - sigma[j]) / sigma[j]);
    }
    System.out.printf(Locale.ROOT, "sigma_1 %.4e, sigma_k %.4e, sigma_k+1 %.4e, sigma_min %.4e%n", sigma[0],
        sigma[k - 1], sigma[k], sigma[sigma.length - 1]);
    System.out.printf(Locale.ROOT, "%-30s %12s %12s %8s%n", "rank-" + k + " error", "ours", "optimal", "ratio");
    System.out.printf(Locale.ROOT, "%-30s %12.4e %12.4e %8.4f%n", "Frobenius ||A - A_k||_F", fro, optFro, fro / optFro);
    System.out.printf(Locale.ROOT, "%-30s %12.4e %12.4e %8.4f%n", "spectral ||A - A_k||_2 (lb)", spec, optSpec,
        spec / optSpec);
    System.out.printf(Locale.ROOT, "max_j<=k |s_j - sigma_j| / sigma_j: %.3e%n", relSv);
  }

  /** Singular values (all min(m, n), non-increasing) of the column-major {@code w}, which is overwritten. */
  /**
   * Randomized SVD of the column-major m×n {@code a} (not modified) with OpenBLAS doing every
   * step: Y = A·Ω, q rounds of Z = orth(Aᵀ·Q), Q = orth(A·Z), then B = Qᵀ·A and dgesdd of B;
   * orth = dgeqrf + dorgqr. Returns the top k singular values (U = Q·U_B is formed too, so
   * the work matches {@link RandomizedSvd}'s).
   */
  static double[] randomizedSvdOnLapack(dev.ludovic.netlib.blas.BLAS blas, LAPACK lapack, double[] a, int m, int n,
      int k, int p, int q) {
    int l = Math.min(k + p, Math.min(m, n));
    SplittableRandom rnd = new SplittableRandom(0);
    double[] omega = new double[n * l];
    for (int i = 0; i < omega.length; i++) {
      omega[i] = rnd.nextGaussian();
    }
    double[] y = new double[m * l];
    blas.dgemm("N", "N", m, l, n, 1.0, a, m, omega, n, 0.0, y, m);
    orthonormalize(lapack, y, m, l);
    double[] z = new double[n * l];
    for (int it = 0; it < q; it++) {
      blas.dgemm("T", "N", n, l, m, 1.0, a, m, y, m, 0.0, z, n);
      orthonormalize(lapack, z, n, l);
      blas.dgemm("N", "N", m, l, n, 1.0, a, m, z, n, 0.0, y, m);
      orthonormalize(lapack, y, m, l);
    }
    double[] b = new double[l * n];
    blas.dgemm("T", "N", l, n, m, 1.0, y, m, a, m, 0.0, b, l);
    double[] ub = new double[l * l];
    double[] s = svdInPlace(lapack, b, l, n, ub);
    double[] u = new double[m * k];
    blas.dgemm("N", "N", m, k, l, 1.0, y, m, ub, l, 0.0, u, m);
    return java.util.Arrays.copyOf(s, k);
  }

  /** Q of the column-major rows×cols {@code x} in place (dgeqrf, dorgqr with workspace queries). */
  private static void orthonormalize(LAPACK lapack, double[] x, int rows, int cols) {
    double[] tau = new double[cols];
    intW info = new intW(0);
    double[] q = new double[1];
    lapack.dgeqrf(rows, cols, x, rows, tau, q, -1, info);
    double[] work = new double[(int) q[0]];
    lapack.dgeqrf(rows, cols, x, rows, tau, work, work.length, info);
    lapack.dorgqr(rows, cols, cols, x, rows, tau, q, -1, info);
    work = new double[Math.max(work.length, (int) q[0])];
    lapack.dorgqr(rows, cols, cols, x, rows, tau, work, work.length, info);
    if (info.val != 0) {
      throw new IllegalStateException("dgeqrf/dorgqr failed, info = " + info.val);
    }
  }

  static double[] lapackSdd(LAPACK lapack, int m, int n, double[] w) {
    return svdInPlace(lapack, w, m, n, new double[m * Math.min(m, n)]);
  }

  /**
   * Thin SVD of the column-major rows×cols {@code w} (overwritten) by dgesdd (jobz = "S", with the
   * workspace query): returns the singular values, U (rows × min(rows, cols)) into {@code u}.
   */
  private static double[] svdInPlace(LAPACK lapack, double[] w, int rows, int cols, double[] u) {
    int mn = Math.min(rows, cols);
    double[] s = new double[mn];
    double[] vt = new double[mn * cols];
    int[] iwork = new int[8 * mn];
    intW info = new intW(0);
    double[] q = new double[1];
    lapack.dgesdd("S", rows, cols, w, rows, s, u, rows, vt, mn, q, -1, iwork, info);
    double[] work = new double[(int) q[0]];
    lapack.dgesdd("S", rows, cols, w, rows, s, u, rows, vt, mn, work, work.length, iwork, info);
    if (info.val != 0) {
      throw new IllegalStateException("dgesdd failed, info = " + info.val);
    }
    return s;
  }


  /** The low-rank-plus-noise matrix of the class comment, seeded; the product runs on {@code c}. */
  static Matrix testMatrix(int m, int n, Compute c) {
    SplittableRandom rng = new SplittableRandom(42);
    int r = Math.min(512, Math.min(m, n) / 2);
    // Entries of std ν/(√m + √n) give a noise matrix of spectral norm about ν (Gaussian matrices).
    Matrix a = Sketches.gaussian(DType.F64, m, n, rng, 1e-3 / (Math.sqrt(m) + Math.sqrt(n)));
    Matrix g1 = Sketches.gaussian(DType.F64, m, r, rng, 1.0);
    Matrix g2 = Sketches.gaussian(DType.F64, r, n, rng, 1.0 / Math.sqrt(n));
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < r; j++) {
        g1.set(i, j, g1.get(i, j) / (Math.sqrt(m) * (j + 1)));
      }
    }
    c.gemm(Transpose.N, Transpose.N, 1.0, g1, g2, 1.0, a);
    return a;
  }

  private static <T> Timed<T> time(boolean print, String label, int m, int n, int reps, Supplier<T> r) {
    double best = Double.MAX_VALUE;
    T last = null;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      last = r.get();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    if (print) {
      System.out.printf(Locale.ROOT, "%-45s %5dx%-5d %9.3f s%n", label, m, n, best);
    }
    return new Timed<>(best, last);
  }
}
