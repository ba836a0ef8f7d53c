package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision GEMV and level-1 routines (dot, axpy, scal) on the preferred species, with
 * scalar tails and a scalar path for strided vectors.
 *
 * <ul>
 *   <li>GEMV, {@code y = alpha·op(A)·x + beta·y}, A m×n row-major: without transpose each y_i is
 *       a dot product of row i with x (four rows share each load of x); with transpose the
 *       kernel walks down the rows keeping a strip of {@value #STRIP_VECTORS} vectors of y in
 *       registers. Cost 2mn flops; it is memory bound (each element of A is read once).</li>
 *   <li>dot: four vector accumulators per chunk of {@value #CHUNK} elements, chunk sums added in
 *       order. axpy and scal: one FMA or multiply per vector.</li>
 * </ul>
 *
 * <p>Work is split into pieces whose boundaries depend only on the problem size (rows, strips
 * or chunks of fixed size), never on the thread count, so results are bit-identical for any
 * number of threads.
 *
 * <p>Generated from {@code F32Vectors.java} by {@code F64SourceGenerator}: do not edit.
 */
final class F64Vectors {
  private static final VectorSpecies<Double> S = Simd.DOUBLE;
  private static final int L = S.length();
  /** Elements per dot-product partial sum and per parallel piece of axpy/scal. */
  static final int CHUNK = 1 << 14;
  /** Rows per parallel piece of the non-transposed GEMV. */
  static final int ROW_BLOCK = 64;
  /** Vectors of y kept in registers by the transposed GEMV. */
  static final int STRIP_VECTORS = 4;
  /** Below this many multiply-adds a GEMV stays on the calling thread. */
  private static final long PARALLEL_MIN_WORK = 1L << 16;

  private final Parallel parallel;

  F64Vectors(Parallel parallel) {
    this.parallel = parallel;
  }

  void gemv(boolean ta, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY) {
    int xLen = ta ? m : n;
    double[] xc = x;
    int xo = xOff;
    if (incX != 1) {
      xc = new double[xLen];
      for (int i = 0; i < xLen; i++) {
        xc[i] = x[xOff + i * incX];
      }
      xo = 0;
    }
    boolean multi = (long) m * n >= PARALLEL_MIN_WORK && parallel.threads() > 1;
    double[] xf = xc;
    int xoF = xo;
    if (!ta) {
      int pieces = (m + ROW_BLOCK - 1) / ROW_BLOCK;
      Runnable serial = () -> rows(0, m, n, alpha, a, aOff, lda, xf, xoF, beta, y, yOff, incY);
      if (multi && pieces > 1) {
        parallel.forEach(pieces, t -> rows(t * ROW_BLOCK, Math.min(m, (t + 1) * ROW_BLOCK), n, alpha, a, aOff, lda,
            xf, xoF, beta, y, yOff, incY));
      } else {
        serial.run();
      }
    } else {
      int strip = STRIP_VECTORS * L;
      int pieces = (n + strip - 1) / strip;
      if (multi && pieces > 1) {
        // group strips so that each task has a useful amount of work
        int group = Math.max(1, pieces / (8 * parallel.threads()));
        int tasks = (pieces + group - 1) / group;
        parallel.forEach(tasks, t -> columns(t * group * strip, Math.min(n, (t + 1) * group * strip), m, alpha, a, aOff, lda,
            xf, xoF, beta, y, yOff, incY));
      } else {
        columns(0, n, m, alpha, a, aOff, lda, xf, xoF, beta, y, yOff, incY);
      }
    }
  }

  /** y_i for i in [i0, i1): dot products of rows with x, four rows at a time. */
  private static void rows(int i0, int i1, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xo, double beta, double[] y, int yOff, int incY) {
    int bound = S.loopBound(n);
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int r0 = aOff + i * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      DoubleVector s0 = DoubleVector.broadcast(S, 0f);
      DoubleVector s1 = DoubleVector.broadcast(S, 0f);
      DoubleVector s2 = DoubleVector.broadcast(S, 0f);
      DoubleVector s3 = DoubleVector.broadcast(S, 0f);
      for (int j = 0; j < bound; j += L) {
        DoubleVector xv = DoubleVector.fromArray(S, x, xo + j);
        s0 = DoubleVector.fromArray(S, a, r0 + j).fma(xv, s0);
        s1 = DoubleVector.fromArray(S, a, r1 + j).fma(xv, s1);
        s2 = DoubleVector.fromArray(S, a, r2 + j).fma(xv, s2);
        s3 = DoubleVector.fromArray(S, a, r3 + j).fma(xv, s3);
      }
      double t0 = LaneSums.sum(s0);
      double t1 = LaneSums.sum(s1);
      double t2 = LaneSums.sum(s2);
      double t3 = LaneSums.sum(s3);
      for (int j = bound; j < n; j++) {
        double xj = x[xo + j];
        t0 = Math.fma(a[r0 + j], xj, t0);
        t1 = Math.fma(a[r1 + j], xj, t1);
        t2 = Math.fma(a[r2 + j], xj, t2);
        t3 = Math.fma(a[r3 + j], xj, t3);
      }
      store(y, yOff + i * incY, t0, alpha, beta);
      store(y, yOff + (i + 1) * incY, t1, alpha, beta);
      store(y, yOff + (i + 2) * incY, t2, alpha, beta);
      store(y, yOff + (i + 3) * incY, t3, alpha, beta);
    }
    for (; i < i1; i++) {
      // same operations in the same order as one lane of the four-row loop
      int r0 = aOff + i * lda;
      DoubleVector s0 = DoubleVector.broadcast(S, 0f);
      for (int j = 0; j < bound; j += L) {
        s0 = DoubleVector.fromArray(S, a, r0 + j).fma(DoubleVector.fromArray(S, x, xo + j), s0);
      }
      double t0 = LaneSums.sum(s0);
      for (int j = bound; j < n; j++) {
        t0 = Math.fma(a[r0 + j], x[xo + j], t0);
      }
      store(y, yOff + i * incY, t0, alpha, beta);
    }
  }

  /** y_j for j in [j0, j1) of y = alpha·Aᵀx + beta·y: walks the m rows once per strip of columns. */
  private static void columns(int j0, int j1, int m, double alpha, double[] a, int aOff, int lda,
      double[] x, int xo, double beta, double[] y, int yOff, int incY) {
    int strip = STRIP_VECTORS * L;
    // Sums leave registers through this buffer: handing vectors to a helper that C2 may not
    // inline would box them (see F64Gemm.kernel).
    double[] sums = new double[strip];
    int j = j0;
    for (; j + strip <= j1; j += strip) {
      DoubleVector s0 = DoubleVector.broadcast(S, 0f);
      DoubleVector s1 = DoubleVector.broadcast(S, 0f);
      DoubleVector s2 = DoubleVector.broadcast(S, 0f);
      DoubleVector s3 = DoubleVector.broadcast(S, 0f);
      for (int i = 0, r = aOff + j; i < m; i++, r += lda) {
        DoubleVector xi = DoubleVector.broadcast(S, x[xo + i]);
        s0 = DoubleVector.fromArray(S, a, r).fma(xi, s0);
        s1 = DoubleVector.fromArray(S, a, r + L).fma(xi, s1);
        s2 = DoubleVector.fromArray(S, a, r + 2 * L).fma(xi, s2);
        s3 = DoubleVector.fromArray(S, a, r + 3 * L).fma(xi, s3);
      }
      s0.intoArray(sums, 0);
      s1.intoArray(sums, L);
      s2.intoArray(sums, 2 * L);
      s3.intoArray(sums, 3 * L);
      storeSums(sums, strip, y, yOff, incY, j, alpha, beta);
    }
    for (; j + L <= j1; j += L) {
      DoubleVector s0 = DoubleVector.broadcast(S, 0f);
      for (int i = 0, r = aOff + j; i < m; i++, r += lda) {
        s0 = DoubleVector.fromArray(S, a, r).fma(DoubleVector.broadcast(S, x[xo + i]), s0);
      }
      s0.intoArray(sums, 0);
      storeSums(sums, L, y, yOff, incY, j, alpha, beta);
    }
    for (; j < j1; j++) {
      double t = 0;
      for (int i = 0, r = aOff + j; i < m; i++, r += lda) {
        t = Math.fma(a[r], x[xo + i], t);
      }
      store(y, yOff + j * incY, t, alpha, beta);
    }
  }

  private static void storeSums(double[] sums, int count, double[] y, int yOff, int incY, int j, double alpha, double beta) {
    for (int l = 0; l < count; l++) {
      store(y, yOff + (j + l) * incY, sums[l], alpha, beta);
    }
  }

  private static void store(double[] y, int at, double t, double alpha, double beta) {
    y[at] = beta == 0 ? alpha * t : alpha * t + beta * y[at];
  }

  double dot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    if (incX != 1 || incY != 1) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s = Math.fma(x[xOff + i * incX], y[yOff + i * incY], s);
      }
      return s;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    if (chunks == 1) {
      return dotChunk(n, x, xOff, y, yOff);
    }
    double[] partial = new double[chunks];
    parallel.forEach(chunks, n >= 4 * CHUNK, t -> partial[t] = dotChunk(Math.min(CHUNK, n - t * CHUNK), x, xOff + t * CHUNK, y, yOff + t * CHUNK));
    double s = 0;
    for (double p : partial) {
      s += p;
    }
    return s;
  }

  private static double dotChunk(int n, double[] x, int xo, double[] y, int yo) {
    DoubleVector s0 = DoubleVector.broadcast(S, 0f);
    DoubleVector s1 = DoubleVector.broadcast(S, 0f);
    DoubleVector s2 = DoubleVector.broadcast(S, 0f);
    DoubleVector s3 = DoubleVector.broadcast(S, 0f);
    int i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
      s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), s0);
      s1 = DoubleVector.fromArray(S, x, xo + i + L).fma(DoubleVector.fromArray(S, y, yo + i + L), s1);
      s2 = DoubleVector.fromArray(S, x, xo + i + 2 * L).fma(DoubleVector.fromArray(S, y, yo + i + 2 * L), s2);
      s3 = DoubleVector.fromArray(S, x, xo + i + 3 * L).fma(DoubleVector.fromArray(S, y, yo + i + 3 * L), s3);
    }
    for (; i + L <= n; i += L) {
      s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), s0);
    }
    double s = LaneSums.sum(s0.add(s1).add(s2.add(s3)));
    for (; i < n; i++) {
      s = Math.fma(x[xo + i], y[yo + i], s);
    }
    return s;
  }

  void axpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    if (incX != 1 || incY != 1) {
      for (int i = 0; i < n; i++) {
        y[yOff + i * incY] += alpha * x[xOff + i * incX];
      }
      return;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    parallel.forEach(chunks, n >= 4 * CHUNK, t -> axpyChunk(Math.min(CHUNK, n - t * CHUNK), alpha, x, xOff + t * CHUNK, y, yOff + t * CHUNK));
  }

  private static void axpyChunk(int n, double alpha, double[] x, int xo, double[] y, int yo) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.broadcast(S, alpha), DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }
  }

  void scal(int n, double alpha, double[] x, int xOff, int incX) {
    if (incX != 1) {
      for (int i = 0; i < n; i++) {
        x[xOff + i * incX] *= alpha;
      }
      return;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    parallel.forEach(chunks, n >= 4 * CHUNK, t -> scalChunk(Math.min(CHUNK, n - t * CHUNK), alpha, x, xOff + t * CHUNK));
  }

  private static void scalChunk(int n, double alpha, double[] x, int xo) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector.fromArray(S, x, xo + i).mul(alpha).intoArray(x, xo + i);
    }
    for (; i < n; i++) {
      x[xo + i] *= alpha;
    }
  }

}
