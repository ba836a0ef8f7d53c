package structura.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import structura.api.backend.RadialKernel;

/**
 * Single-precision kernel-matrix products {@code O = K(X, Y)·V + beta·O} on the preferred
 * species, without forming K (KeOps-style tiling).
 *
 * <p>The sources and vectors are first transposed into lane-friendly columns (O(n·(d + k))
 * scratch, padded to the lane count with zero vectors, so padding contributes exactly 0). Each
 * task then owns {@value #ROW_BLOCK} targets, taken {@value #GROUP} at a time. The Gaussian with
 * one right-hand side is fused (exponents, kernel values through a polynomial exp and products in
 * registers): in the dot-product form {@link F32GaussianDotBlock} where {@link F32GaussianDotForm}
 * finds it accurate for the data (d ≤ 3, points within a bounded radius of their centre), else in
 * the difference form {@link F32GaussianBlock}. Otherwise, for each group and each tile of {@value #TILE}
 * sources, the squared distances go into L1-resident buffers (exact differences, no
 * ‖x‖² + ‖y‖² − 2x·y cancellation), are mapped through κ/σ² in place, and one vector of partial
 * sums per right-hand side is accumulated with FMAs; σ² is applied once per output. exp there is
 * the Vector API's (SVML on x86).
 *
 * <p>A target's sums run over the sources in one fixed order whatever the thread count, so
 * results are bit-identical for any number of threads, with one caveat for the tiled path: the
 * Vector API's transcendental lanewise operations (EXP, LOG1P; used by every kind but CAUCHY and
 * LAPLACE) are the SVML intrinsic in C2-compiled code and {@code Math}/{@code StrictMath} per
 * lane before that, which can differ in the last bit, so a call made while the JIT is still cold
 * can differ from a warm one by about one ulp per kernel entry (well inside the routine's
 * contract). The fused Gaussian blocks use FMAs and adds only and are the same in every tier.
 */
final class F32PairwiseKernel {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final int L = S.length();
  /** Targets per parallel task. */
  static final int ROW_BLOCK = 16;
  /** Sources per tile: the distance buffers (GROUP × 2 KiB) stay in L1. */
  static final int TILE = 512;
  /** Targets that share each load of a source and of a vector (the register block; the code is written for 4). */
  static final int GROUP = 4;
  /** Below this many kernel entries a call stays on the calling thread. */
  private static final long PARALLEL_MIN_ENTRIES = 1L << 15;
  /** Symmetric path: targets per row tile, a multiple of every lane count so that tiles stay aligned. */
  static final int SYM_ROW_TILE = 16;

  /** Which code the Gaussian with one right-hand side takes; anything but the default is for the side-by-side timing harness. */
  enum GaussianPath {
    /** The tiled SVML path of every kind: the routine as it was before {@link F32GaussianBlock}. */
    TILED,
    /** Always the fused difference form ({@link F32GaussianBlock}): the routine as it was before {@link F32GaussianDotBlock}. */
    DIFFERENCE,
    /** The dot-product form ({@link F32GaussianDotBlock}) where {@link F32GaussianDotForm} finds it accurate, else the difference form. */
    DOT_WHERE_ACCURATE
  }

  private final Parallel parallel;
  private final GaussianPath gaussianPath;

  F32PairwiseKernel(Parallel parallel) {
    this(parallel, GaussianPath.DOT_WHERE_ACCURATE);
  }

  F32PairwiseKernel(Parallel parallel, GaussianPath gaussianPath) {
    this.parallel = parallel;
    this.gaussianPath = gaussianPath;
  }

  private boolean fused(RadialKernel kernel, int k) {
    return gaussianPath != GaussianPath.TILED && kernel.kind() == RadialKernel.Kind.GAUSSIAN && k == 1;
  }

  void multiply(RadialKernel kernel, int m, int n, int d, int k, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy,
      float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo) {
    int nPad = (n + L - 1) / L * L;
    boolean fused = fused(kernel, k);
    F32GaussianDotForm dot = fused && gaussianPath == GaussianPath.DOT_WHERE_ACCURATE
        ? F32GaussianDotForm.prepareIfAccurate(m, n, nPad, d, x, xOff, ldx, y, yOff, ldy) : null;
    // the dot form brings its own centred sources
    int ysRows = dot == null ? d : 0;
    float[] ys = new float[ysRows * nPad];
    float[] vs = new float[k * nPad];
    for (int j = 0; j < n; j++) {
      for (int t = 0; t < ysRows; t++) {
        ys[t * nPad + j] = y[yOff + j * ldy + t];
      }
      for (int c = 0; c < k; c++) {
        vs[c * nPad + j] = v[vOff + j * ldv + c];
      }
    }
    boolean multithreaded = (long) m * n >= PARALLEL_MIN_ENTRIES;
    if (x == y && xOff == yOff && ldx == ldy && m == n) {
      int groups = F64PairwiseKernel.symmetricGroups(n, nPad, k);
      if (groups >= F64PairwiseKernel.SYM_MIN_GROUPS) {
        symmetric(kernel, dot, n, nPad, d, k, groups, x, xOff, ldx, ys, vs, beta, o, oOff, ldo, multithreaded);
        return;
      }
    }
    int tasks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
    parallel.forEach(tasks, multithreaded, task -> rows(kernel, fused, dot, task * ROW_BLOCK, Math.min(m, (task + 1) * ROW_BLOCK), n,
        nPad, d, k, x, xOff, ldx, ys, vs, beta, o, oOff, ldo));
  }

  private static void rows(RadialKernel kernel, boolean fused, F32GaussianDotForm dot, int i0, int i1, int n, int nPad, int d, int k,
      float[] x, int xOff, int ldx, float[] ys, float[] vs, float beta, float[] o, int oOff, int ldo) {
    if (dot != null) {
      F32GaussianDotBlock.rows((float) kernel.variance(), dot, i0, i1, nPad, vs, beta, o, oOff, ldo);
      return;
    }
    if (fused) {
      F32GaussianBlock.rows((float) kernel.variance(), i0, i1, nPad, d, x, xOff, ldx, ys, vs, beta, o, oOff, ldo);
      return;
    }
    float[] buf = new float[GROUP * TILE];
    float[] acc = new float[GROUP * k * L];
    float[] xg = new float[GROUP * d];
    int kind = kernel.kind().ordinal();
    float shape = (float) kernel.shape();
    for (int g0 = i0; g0 < i1; g0 += GROUP) {
      // a group of GROUP targets shares every load of a source and of a vector; a short last
      // group repeats its last target (computed, not stored), so each target's sums are the same
      int rowsInGroup = Math.min(GROUP, i1 - g0);
      for (int q = 0; q < GROUP; q++) {
        System.arraycopy(x, xOff + (g0 + Math.min(q, rowsInGroup - 1)) * ldx, xg, q * d, d);
      }
      java.util.Arrays.fill(acc, 0f);
      for (int j0 = 0; j0 < nPad; j0 += TILE) {
        int len = Math.min(TILE, nPad - j0);
        squaredDistances(xg, d, ys, nPad, j0, len, buf);
        for (int q = 0; q < GROUP; q++) {
          radial(kind, shape, buf, q * TILE, q * TILE + len);
        }
        accumulate(buf, len, vs, nPad, j0, k, acc);
      }
      float variance = (float) kernel.variance();
      for (int q = 0; q < rowsInGroup; q++) {
        int oi = oOff + (g0 + q) * ldo;
        for (int c = 0; c < k; c++) {
          float sum = variance * laneSum(acc, (q * k + c) * L);
          o[oi + c] = beta == 0 ? sum : sum + beta * o[oi + c];
        }
      }
    }
  }

  /**
   * K(X, X)·V when targets and sources are the same points: each kernel entry evaluated once for a
   * row sum and a column sum, half the exp/sqrt work of the general path. The scheme and its
   * determinism are those of {@code F64PairwiseKernel}'s symmetric path (same row tiles, same
   * balanced groups, column sums combined in group order); one target at a time.
   */
  private void symmetric(RadialKernel kernel, F32GaussianDotForm dot, int n, int nPad, int d, int k, int groups, float[] x, int xOff, int ldx,
      float[] ys, float[] vs, float beta, float[] o, int oOff, int ldo, boolean multithreaded) {
    int tiles = (n + SYM_ROW_TILE - 1) / SYM_ROW_TILE;
    int[] bounds = F64PairwiseKernel.balancedGroups(tiles, nPad, groups);
    float[] rowSums = new float[n * k];
    float[][] colSums = new float[groups][];
    boolean fusedGaussian = fused(kernel, k);
    parallel.forEach(groups, multithreaded, g -> {
      float[] cols = new float[k * nPad];
      if (dot != null) {
        float[] acc = new float[GROUP * L];
        float[] w = new float[GROUP];
        for (int t = bounds[g]; t < bounds[g + 1]; t++) {
          F32GaussianDotBlock.symmetricTile(dot, t * SYM_ROW_TILE, n, nPad, vs, acc, w, cols, rowSums);
        }
        colSums[g] = cols;
        return;
      }
      if (fusedGaussian) {
        float[] acc = new float[GROUP * L];
        float[] xg = new float[GROUP * d];
        float[] vq = new float[GROUP];
        for (int t = bounds[g]; t < bounds[g + 1]; t++) {
          F32GaussianBlock.symmetricTile(t * SYM_ROW_TILE, n, nPad, d, x, xOff, ldx, ys, vs, acc, xg, vq, cols, rowSums);
        }
        colSums[g] = cols;
        return;
      }
      float[] buf = new float[TILE];
      float[] acc = new float[k * L];
      float[] xi = new float[d];
      float[] vi = new float[k];
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
    float variance = (float) kernel.variance();
    for (int i = 0; i < n; i++) {
      int oi = oOff + i * ldo;
      for (int c = 0; c < k; c++) {
        float sum = rowSums[i * k + c];
        for (int g = 0; g < groups; g++) {
          sum += colSums[g][c * nPad + i];
        }
        sum *= variance;
        o[oi + c] = beta == 0 ? sum : sum + beta * o[oi + c];
      }
    }
  }

  /** Row i of row tile r0: row sums from r0 on, column sums for the sources past the tile (see the F64 twin). */
  private static void symmetricRow(RadialKernel kernel, int i, int r0, int nPad, int d, int k, float[] xi, float[] vi,
      float[] ys, float[] vs, float[] buf, float[] acc, float[] cols, float[] rowSums) {
    int kind = kernel.kind().ordinal();
    float shape = (float) kernel.shape();
    java.util.Arrays.fill(acc, 0f);
    int diagEnd = Math.min(nPad, r0 + SYM_ROW_TILE);
    squaredDistancesOne(xi, d, ys, nPad, r0, diagEnd - r0, buf);
    radial(kind, shape, buf, 0, diagEnd - r0);
    for (int c = 0; c < k; c++) {
      FloatVector a = FloatVector.fromArray(S, acc, c * L);
      int vBase = c * nPad + r0;
      for (int j = 0; j < diagEnd - r0; j += L) {
        a = FloatVector.fromArray(S, buf, j).fma(FloatVector.fromArray(S, vs, vBase + j), a);
      }
      a.intoArray(acc, c * L);
    }
    for (int j0 = diagEnd; j0 < nPad; j0 += TILE) {
      int len = Math.min(TILE, nPad - j0);
      squaredDistancesOne(xi, d, ys, nPad, j0, len, buf);
      radial(kind, shape, buf, 0, len);
      for (int c = 0; c < k; c++) {
        FloatVector a = FloatVector.fromArray(S, acc, c * L);
        FloatVector vic = FloatVector.broadcast(S, vi[c]);
        int vBase = c * nPad + j0;
        for (int j = 0; j < len; j += L) {
          FloatVector kij = FloatVector.fromArray(S, buf, j);
          a = kij.fma(FloatVector.fromArray(S, vs, vBase + j), a);
          kij.fma(vic, FloatVector.fromArray(S, cols, vBase + j)).intoArray(cols, vBase + j);
        }
        a.intoArray(acc, c * L);
      }
    }
    for (int c = 0; c < k; c++) {
      rowSums[i * k + c] = laneSum(acc, c * L);
    }
  }

  /** buf[0..len) ← ‖x − y_j‖² for one target and the sources j0..j0+len of the transposed block. */
  private static void squaredDistancesOne(float[] xi, int d, float[] ys, int nPad, int j0, int len, float[] buf) {
    float x0 = xi[0];
    for (int j = 0; j < len; j += L) {
      FloatVector diff = FloatVector.fromArray(S, ys, j0 + j).sub(x0);
      diff.mul(diff).intoArray(buf, j);
    }
    for (int t = 1; t < d; t++) {
      float xt = xi[t];
      int base = t * nPad + j0;
      for (int j = 0; j < len; j += L) {
        FloatVector diff = FloatVector.fromArray(S, ys, base + j).sub(xt);
        diff.fma(diff, FloatVector.fromArray(S, buf, j)).intoArray(buf, j);
      }
    }
  }

  /**
   * The L lanes at {@code from} added left to right. Not {@code reduceLanes(ADD)}: its order is
   * unspecified and differs between the interpreter's fallback and the C2 intrinsic, which would
   * make results depend on how warm the JIT is.
   */
  static float laneSum(float[] acc, int from) {
    float s = 0;
    for (int l = 0; l < L; l++) {
      s += acc[from + l];
    }
    return s;
  }

  /** acc[q][c] += Σ_j buf[q][j]·vs[c][j0 + j] for the GROUP targets q, one vector load of v per four FMAs. */
  static void accumulate(float[] buf, int len, float[] vs, int nPad, int j0, int k, float[] acc) {
    for (int c = 0; c < k; c++) {
      FloatVector a0 = FloatVector.fromArray(S, acc, c * L);
      FloatVector a1 = FloatVector.fromArray(S, acc, (k + c) * L);
      FloatVector a2 = FloatVector.fromArray(S, acc, (2 * k + c) * L);
      FloatVector a3 = FloatVector.fromArray(S, acc, (3 * k + c) * L);
      int vBase = c * nPad + j0;
      for (int j = 0; j < len; j += L) {
        FloatVector vj = FloatVector.fromArray(S, vs, vBase + j);
        a0 = FloatVector.fromArray(S, buf, j).fma(vj, a0);
        a1 = FloatVector.fromArray(S, buf, TILE + j).fma(vj, a1);
        a2 = FloatVector.fromArray(S, buf, 2 * TILE + j).fma(vj, a2);
        a3 = FloatVector.fromArray(S, buf, 3 * TILE + j).fma(vj, a3);
      }
      a0.intoArray(acc, c * L);
      a1.intoArray(acc, (k + c) * L);
      a2.intoArray(acc, (2 * k + c) * L);
      a3.intoArray(acc, (3 * k + c) * L);
    }
  }

  /** buf[q][0..len) ← ‖x_q − y_j‖² for the GROUP targets q and the sources j0..j0+len of the transposed block. */
  private static void squaredDistances(float[] xg, int d, float[] ys, int nPad, int j0, int len, float[] buf) {
    float x0 = xg[0];
    float x1 = xg[d];
    float x2 = xg[2 * d];
    float x3 = xg[3 * d];
    for (int j = 0; j < len; j += L) {
      FloatVector yt = FloatVector.fromArray(S, ys, j0 + j);
      FloatVector e0 = yt.sub(x0);
      FloatVector e1 = yt.sub(x1);
      FloatVector e2 = yt.sub(x2);
      FloatVector e3 = yt.sub(x3);
      e0.mul(e0).intoArray(buf, j);
      e1.mul(e1).intoArray(buf, TILE + j);
      e2.mul(e2).intoArray(buf, 2 * TILE + j);
      e3.mul(e3).intoArray(buf, 3 * TILE + j);
    }
    for (int t = 1; t < d; t++) {
      float xt0 = xg[t];
      float xt1 = xg[d + t];
      float xt2 = xg[2 * d + t];
      float xt3 = xg[3 * d + t];
      int base = t * nPad + j0;
      for (int j = 0; j < len; j += L) {
        FloatVector yt = FloatVector.fromArray(S, ys, base + j);
        FloatVector e0 = yt.sub(xt0);
        FloatVector e1 = yt.sub(xt1);
        FloatVector e2 = yt.sub(xt2);
        FloatVector e3 = yt.sub(xt3);
        e0.fma(e0, FloatVector.fromArray(S, buf, j)).intoArray(buf, j);
        e1.fma(e1, FloatVector.fromArray(S, buf, TILE + j)).intoArray(buf, TILE + j);
        e2.fma(e2, FloatVector.fromArray(S, buf, 2 * TILE + j)).intoArray(buf, 2 * TILE + j);
        e3.fma(e3, FloatVector.fromArray(S, buf, 3 * TILE + j)).intoArray(buf, 3 * TILE + j);
      }
    }
  }

  /** buf[from..to) ← κ(r)/σ² in place, r² = buf; one small loop per kind so each inlines and stays in registers. */
  private static void radial(int kind, float shape, float[] buf, int from, int to) {
    switch (RadialKernel.Kind.values()[kind]) {
      case GAUSSIAN -> {
        for (int j = from; j < to; j += L) {
          expNonPositive(FloatVector.fromArray(S, buf, j).mul(-0.5f)).intoArray(buf, j);
        }
      }
      case EXPONENTIAL, MATERN_12 -> {
        for (int j = from; j < to; j += L) {
          expNonPositive(FloatVector.fromArray(S, buf, j).sqrt().neg()).intoArray(buf, j);
        }
      }
      case MATERN_32 -> {
        for (int j = from; j < to; j += L) {
          FloatVector s = FloatVector.fromArray(S, buf, j).mul(3f).sqrt();
          s.add(1f).mul(expNonPositive(s.neg())).intoArray(buf, j);
        }
      }
      case MATERN_52 -> {
        for (int j = from; j < to; j += L) {
          FloatVector s = FloatVector.fromArray(S, buf, j).mul(5f).sqrt();
          s.fma(s.mul(1f / 3f), s.add(1f)).mul(expNonPositive(s.neg())).intoArray(buf, j);
        }
      }
      case RATIONAL_QUADRATIC -> {
        float inv2a = 1f / (2f * shape);
        for (int j = from; j < to; j += L) {
          FloatVector lg = FloatVector.fromArray(S, buf, j).mul(inv2a).lanewise(VectorOperators.LOG1P);
          expNonPositive(lg.mul(-shape)).intoArray(buf, j);
        }
      }
      case CAUCHY -> {
        for (int j = from; j < to; j += L) {
          FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, buf, j).add(1f)).intoArray(buf, j);
        }
      }
      case LAPLACE -> {
        for (int j = from; j < to; j += L) {
          FloatVector r2 = FloatVector.fromArray(S, buf, j);
          VectorMask<Float> zero = r2.eq(0f);
          FloatVector.broadcast(S, 1f).div(r2.sqrt()).blend(0f, zero).intoArray(buf, j);
        }
      }
    }
  }

  /**
   * exp(x) for x ≤ 0 through the Vector API's EXP: the JDK's SVML intrinsic on x86 (about 1 ulp),
   * Math.exp per lane elsewhere. In these store-and-reload tiles it measured faster than the
   * polynomial {@link F32Exp} (0.86× with F32Exp at k = 4); the fused k = 1 Gaussian blocks use
   * F32Exp, which an inlined loop can keep in registers.
   */
  static FloatVector expNonPositive(FloatVector x) {
    return x.lanewise(VectorOperators.EXP);
  }
}
