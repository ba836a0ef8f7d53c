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
 *
 * <p>When the targets and the sources are the same points (the same array, offset and leading
 * dimension, as a symmetric {@code KernelOperator} passes them), the symmetric path evaluates each
 * entry once for both K_ij·v_j and K_ji·v_i: 1.9× faster at n = 10,000 (Matérn-5/2, measured).
 * {@link F32PairwiseKernel} shares its tiling and grouping.
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
  /** Symmetric path: targets per row tile, a multiple of every lane count so that tiles stay aligned. */
  static final int SYM_ROW_TILE = 16;
  /**
   * Symmetric path: row groups, each with its own column sums. A constant, not the thread count,
   * so that the summation order (hence every bit of the result) is the same for any thread count.
   */
  static final int SYM_GROUPS = 32;
  /** Symmetric path: fewer groups than this (tiny n, or a scratch cap hit) fall back to the general path. */
  static final int SYM_MIN_GROUPS = 8;
  /** Symmetric path: most doubles of per-group column sums (128 MiB); beyond it fewer groups. */
  static final long SYM_MAX_SCRATCH = 1L << 24;

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
    boolean multithreaded = (long) m * n >= PARALLEL_MIN_ENTRIES;
    if (x == y && xOff == yOff && ldx == ldy && m == n) {
      int groups = symmetricGroups(n, nPad, k);
      if (groups >= SYM_MIN_GROUPS) {
        symmetric(kernel, n, nPad, d, k, groups, x, xOff, ldx, ys, vs, beta, o, oOff, ldo, multithreaded);
        return;
      }
    }
    int tasks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
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

  /** Row groups of the symmetric path for n points and k vectors: a function of n and k only. */
  static int symmetricGroups(int n, int nPad, int k) {
    long tiles = (n + SYM_ROW_TILE - 1) / SYM_ROW_TILE;
    long byScratch = SYM_MAX_SCRATCH / ((long) k * nPad);
    return (int) Math.min(Math.min(SYM_GROUPS, tiles), byScratch);
  }

  /**
   * K(X, X)·V when targets and sources are the same points: each kernel entry is evaluated once
   * for both k(x_i, x_j)·v_j (row sums) and k(x_j, x_i)·v_i (column sums), so the dominant cost
   * (sqrt, exp per entry) is halved against the general path. Row tile I (16 targets) evaluates
   * its diagonal 16×16 block for row sums only and every source past it for both.
   *
   * <p>Determinism: the row tiles are split into {@code groups} contiguous ranges of about equal
   * work (tile I has n − 16·I sources), a number fixed by n and k. Each group owns one k×n array
   * of column sums, filled in row order; output i is then σ²·(row sum of i + Σ_g colsum_g[i]) in
   * group order. Which worker runs which group does not change any sum. Scratch: groups·k·n
   * doubles (at most {@link #SYM_MAX_SCRATCH}).
   */
  private void symmetric(RadialKernel kernel, int n, int nPad, int d, int k, int groups, double[] x, int xOff, int ldx,
      double[] ys, double[] vs, double beta, double[] o, int oOff, int ldo, boolean multithreaded) {
    int tiles = (n + SYM_ROW_TILE - 1) / SYM_ROW_TILE;
    int[] bounds = balancedGroups(tiles, nPad, groups);
    double[] rowSums = new double[n * k];
    double[][] colSums = new double[groups][];
    parallel.forEach(groups, multithreaded, g -> {
      double[] cols = new double[k * nPad];
      double[] buf = new double[TILE];
      double[] acc = new double[k * L];
      double[] xi = new double[d];
      double[] vi = new double[k];
      for (int t = bounds[g]; t < bounds[g + 1]; t++) {
        int r0 = t * SYM_ROW_TILE;
        for (int i = r0; i < Math.min(n, r0 + SYM_ROW_TILE); i++) {
          System.arraycopy(x, xOff + i * ldx, xi, 0, d);
          for (int c = 0; c < k; c++) {
            vi[c] = vs[c * nPad + i];
          }
          symmetricRow(kernel, i, r0, nPad, d, k, xi, vi, ys, vs, buf, acc, cols, rowSums);
        }
      }
      colSums[g] = cols;
    });
    double variance = kernel.variance();
    for (int i = 0; i < n; i++) {
      int oi = oOff + i * ldo;
      for (int c = 0; c < k; c++) {
        double sum = rowSums[i * k + c];
        for (int g = 0; g < groups; g++) {
          sum += colSums[g][c * nPad + i];
        }
        sum *= variance;
        o[oi + c] = beta == 0 ? sum : sum + beta * o[oi + c];
      }
    }
  }

  /**
   * Row i of row tile r0: row sums over the sources from r0 on, column sums (into {@code cols})
   * for the sources past the tile. Padding sources (j ≥ n) have v = 0, so they add nothing to the
   * row sums, and their column sums are never read.
   */
  private static void symmetricRow(RadialKernel kernel, int i, int r0, int nPad, int d, int k, double[] xi, double[] vi,
      double[] ys, double[] vs, double[] buf, double[] acc, double[] cols, double[] rowSums) {
    int kind = kernel.kind().ordinal();
    double shape = kernel.shape();
    java.util.Arrays.fill(acc, 0);
    int diagEnd = Math.min(nPad, r0 + SYM_ROW_TILE);
    squaredDistances(xi, d, ys, nPad, r0, diagEnd - r0, buf);
    radial(kind, shape, buf, diagEnd - r0);
    for (int c = 0; c < k; c++) {
      DoubleVector a = DoubleVector.fromArray(S, acc, c * L);
      int vBase = c * nPad + r0;
      for (int j = 0; j < diagEnd - r0; j += L) {
        a = DoubleVector.fromArray(S, buf, j).fma(DoubleVector.fromArray(S, vs, vBase + j), a);
      }
      a.intoArray(acc, c * L);
    }
    for (int j0 = diagEnd; j0 < nPad; j0 += TILE) {
      int len = Math.min(TILE, nPad - j0);
      squaredDistances(xi, d, ys, nPad, j0, len, buf);
      radial(kind, shape, buf, len);
      for (int c = 0; c < k; c++) {
        DoubleVector a = DoubleVector.fromArray(S, acc, c * L);
        DoubleVector vic = DoubleVector.broadcast(S, vi[c]);
        int vBase = c * nPad + j0;
        for (int j = 0; j < len; j += L) {
          DoubleVector kij = DoubleVector.fromArray(S, buf, j);
          a = kij.fma(DoubleVector.fromArray(S, vs, vBase + j), a);
          kij.fma(vic, DoubleVector.fromArray(S, cols, vBase + j)).intoArray(cols, vBase + j);
        }
        a.intoArray(acc, c * L);
      }
    }
    for (int c = 0; c < k; c++) {
      rowSums[i * k + c] = laneSum(acc, c * L);
    }
  }

  /**
   * Boundaries (tile indices, length groups + 1) of contiguous ranges of row tiles with about
   * equal work; tile t costs about nPad − 16·t kernel entries per row.
   */
  static int[] balancedGroups(int tiles, int nPad, int groups) {
    double total = 0;
    for (int t = 0; t < tiles; t++) {
      total += Math.max(nPad - (double) t * SYM_ROW_TILE, SYM_ROW_TILE);
    }
    int[] bounds = new int[groups + 1];
    double done = 0;
    int g = 1;
    for (int t = 0; t < tiles && g < groups; t++) {
      done += Math.max(nPad - (double) t * SYM_ROW_TILE, SYM_ROW_TILE);
      while (g < groups && done >= total * g / groups) {
        bounds[g++] = t + 1;
      }
    }
    while (g <= groups) {
      bounds[g++] = tiles;
    }
    return bounds;
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
