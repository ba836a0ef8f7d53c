package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import structura.api.backend.RadialKernel;

/**
 * Double-precision kernel-matrix products {@code O = K(X, Y)·V + beta·O} on the preferred
 * species, without forming K (KeOps-style tiling).
 *
 * <p>The sources and vectors are first transposed into lane-friendly columns (O(n·(d + k))
 * scratch, padded to the lane count with zero vectors, so padding contributes exactly 0). Each
 * task then owns {@value #ROW_BLOCK} targets; for each target and each tile of {@value #TILE}
 * sources it computes the squared distances into an L1-resident buffer (exact differences, no
 * ‖x‖² + ‖y‖² − 2x·y cancellation), maps them through κ/σ² in place, and accumulates one
 * vector of partial sums per right-hand side with FMAs; σ² is applied once per output. Unlike
 * {@link F32PairwiseKernel} it takes one target at a time (F64 has no throughput target; the 4-target
 * register block is the next step if it gets one); exp is the Vector API's.
 *
 * <p>A target's sums run over the sources in one fixed order whatever the thread count, so
 * results are bit-identical for any number of threads, with one caveat: the Vector API's
 * transcendental lanewise operations (EXP, LOG1P; used by every kind but CAUCHY and LAPLACE)
 * are the SVML intrinsic in C2-compiled code and {@code Math}/{@code StrictMath} per lane before
 * that, which can differ in the last bit, so a call made while the JIT is still cold can differ
 * from a warm one by about one ulp per kernel entry (well inside the routine's contract). A
 * polynomial exp built from FMAs alone would be reproducible across JIT tiers but measured 1.6×
 * slower.
 */
final class F64PairwiseKernel {
  private static final VectorSpecies<Double> S = Simd.DOUBLE;
  private static final int L = S.length();
  /** Targets per parallel task. */
  static final int ROW_BLOCK = 16;
  /** Sources per tile: the distance buffer (8 KiB) stays in L1. */
  static final int TILE = 1024;
  /** Below this many kernel entries a call stays on the calling thread. */
  private static final long PARALLEL_MIN_ENTRIES = 1L << 15;


  private final Parallel parallel;

  F64PairwiseKernel(Parallel parallel) {
    this.parallel = parallel;
  }

  void multiply(RadialKernel kernel, int m, int n, int d, int k, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy,
      double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo) {
    int nPad = (n + L - 1) / L * L;
    double[] ys = new double[d * nPad];
    double[] vs = new double[k * nPad];
    for (int j = 0; j < n; j++) {
      for (int t = 0; t < d; t++) {
        ys[t * nPad + j] = y[yOff + j * ldy + t];
      }
      for (int c = 0; c < k; c++) {
        vs[c * nPad + j] = v[vOff + j * ldv + c];
      }
    }
    int tasks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
    boolean multithreaded = (long) m * n >= PARALLEL_MIN_ENTRIES;
    parallel.forEach(tasks, multithreaded, task -> rows(kernel, task * ROW_BLOCK, Math.min(m, (task + 1) * ROW_BLOCK), n, nPad, d, k,
        x, xOff, ldx, ys, vs, beta, o, oOff, ldo));
  }

  private static void rows(RadialKernel kernel, int i0, int i1, int n, int nPad, int d, int k, double[] x, int xOff, int ldx,
      double[] ys, double[] vs, double beta, double[] o, int oOff, int ldo) {
    double[] buf = new double[TILE];
    double[] acc = new double[k * L];
    double[] xi = new double[d];
    int kind = kernel.kind().ordinal();
    double shape =  kernel.shape();
    for (int i = i0; i < i1; i++) {
      System.arraycopy(x, xOff + i * ldx, xi, 0, d);
      java.util.Arrays.fill(acc, 0);
      for (int j0 = 0; j0 < nPad; j0 += TILE) {
        int len = Math.min(TILE, nPad - j0);
        squaredDistances(xi, d, ys, nPad, j0, len, buf);
        radial(kind, shape, buf, len);
        for (int c = 0; c < k; c++) {
          DoubleVector a = DoubleVector.fromArray(S, acc, c * L);
          int vBase = c * nPad + j0;
          for (int j = 0; j < len; j += L) {
            a = DoubleVector.fromArray(S, buf, j).fma(DoubleVector.fromArray(S, vs, vBase + j), a);
          }
          a.intoArray(acc, c * L);
        }
      }
      double variance =  kernel.variance();
      int oi = oOff + i * ldo;
      for (int c = 0; c < k; c++) {
        double sum = variance * laneSum(acc, c * L);
        o[oi + c] = beta == 0 ? sum : sum + beta * o[oi + c];
      }
    }
  }

  /**
   * The L lanes at {@code from} added left to right. Not {@code reduceLanes(ADD)}: its order is
   * unspecified and differs between the interpreter's fallback and the C2 intrinsic, which would
   * make results depend on how warm the JIT is.
   */
  private static double laneSum(double[] acc, int from) {
    double s = 0;
    for (int l = 0; l < L; l++) {
      s += acc[from + l];
    }
    return s;
  }

  /** buf[0..len) ← ‖x − y_j‖² for the sources j0..j0+len of the transposed block. */
  private static void squaredDistances(double[] xi, int d, double[] ys, int nPad, int j0, int len, double[] buf) {
    double x0 = xi[0];
    for (int j = 0; j < len; j += L) {
      DoubleVector diff = DoubleVector.fromArray(S, ys, j0 + j).sub(x0);
      diff.mul(diff).intoArray(buf, j);
    }
    for (int t = 1; t < d; t++) {
      double xt = xi[t];
      int base = t * nPad + j0;
      for (int j = 0; j < len; j += L) {
        DoubleVector diff = DoubleVector.fromArray(S, ys, base + j).sub(xt);
        diff.fma(diff, DoubleVector.fromArray(S, buf, j)).intoArray(buf, j);
      }
    }
  }

  /** buf ← κ(r)/σ² in place, r² = buf; one small loop per kind so each inlines and stays in registers. */
  private static void radial(int kind, double shape, double[] buf, int len) {
    switch (RadialKernel.Kind.values()[kind]) {
      case GAUSSIAN -> {
        for (int j = 0; j < len; j += L) {
          expNonPositive(DoubleVector.fromArray(S, buf, j).mul(-0.5)).intoArray(buf, j);
        }
      }
      case EXPONENTIAL, MATERN_12 -> {
        for (int j = 0; j < len; j += L) {
          expNonPositive(DoubleVector.fromArray(S, buf, j).sqrt().neg()).intoArray(buf, j);
        }
      }
      case MATERN_32 -> {
        for (int j = 0; j < len; j += L) {
          DoubleVector s = DoubleVector.fromArray(S, buf, j).mul(3).sqrt();
          s.add(1).mul(expNonPositive(s.neg())).intoArray(buf, j);
        }
      }
      case MATERN_52 -> {
        for (int j = 0; j < len; j += L) {
          DoubleVector s = DoubleVector.fromArray(S, buf, j).mul(5).sqrt();
          s.fma(s.mul(1.0 / 3.0), s.add(1)).mul(expNonPositive(s.neg())).intoArray(buf, j);
        }
      }
      case RATIONAL_QUADRATIC -> {
        double inv2a = 1 / (2 * shape);
        for (int j = 0; j < len; j += L) {
          DoubleVector lg = DoubleVector.fromArray(S, buf, j).mul(inv2a).lanewise(VectorOperators.LOG1P);
          expNonPositive(lg.mul(-shape)).intoArray(buf, j);
        }
      }
      case CAUCHY -> {
        for (int j = 0; j < len; j += L) {
          DoubleVector.broadcast(S, 1).div(DoubleVector.fromArray(S, buf, j).add(1)).intoArray(buf, j);
        }
      }
      case LAPLACE -> {
        for (int j = 0; j < len; j += L) {
          DoubleVector r2 = DoubleVector.fromArray(S, buf, j);
          VectorMask<Double> zero = r2.eq(0);
          DoubleVector.broadcast(S, 1).div(r2.sqrt()).blend(0, zero).intoArray(buf, j);
        }
      }
    }
  }

  /** exp(x) for x ≤ 0, through the Vector API's EXP (the JDK's SVML intrinsic, or Math.exp per lane). */
  static DoubleVector expNonPositive(DoubleVector x) {
    return x.lanewise(VectorOperators.EXP);
  }
}
