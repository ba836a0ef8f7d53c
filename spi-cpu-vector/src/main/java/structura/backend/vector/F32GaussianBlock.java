package structura.backend.vector;

import static structura.backend.vector.F32PairwiseKernel.GROUP;
import static structura.backend.vector.F32PairwiseKernel.SYM_ROW_TILE;
import static structura.backend.vector.F32PairwiseKernel.TILE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Gaussian kernel's products in F32, register-blocked and fused: for a block of
 * {@value F32PairwiseKernel#GROUP} targets and one vector of L sources (coordinate-major, padded
 * with zero vectors) the squared distances r² = Σ_t (y_t − x_t)², the kernel values
 * 2^(−r²·log₂e/2) ({@link F32Exp}, inlined) and, for one right-hand side, the products with v are
 * all computed in registers: no distance buffer and no store in the inner loop (the symmetric
 * path stores its column sums, one vector per GROUP·L entries). With several right-hand sides the
 * kernel values of a tile of {@value F32PairwiseKernel#TILE} sources are stored once (one store
 * per L entries) and then accumulated against each column.
 *
 * <p>Cost per L entries at d = 3, k = 1 (from the code, C2 on AVX2): distance 3 subtractions,
 * 1 multiply, 2 FMAs; kernel value 1 multiply + 11 ({@link F32Exp#exp2NonPositive}); product
 * 1 FMA: 19 vector operations, 11 of them multiplies/FMAs; plus 3/GROUP source loads, d broadcast
 * loads and 1/GROUP vector load.
 *
 * <p>Summation order: each target's sums run over the sources in index order, one partial sum
 * per lane, and the lanes are added left to right at the end ({@link F32PairwiseKernel#laneSum}),
 * exactly as the unfused tiles did; the symmetric column sums are updated target by target in
 * index order. So results do not depend on the thread count, and every step being exactly
 * rounded arithmetic, not on the JIT tier either.
 */
final class F32GaussianBlock {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final int L = S.length();
  /** −log₂e/2: the Gaussian's exp(−r²/2) is 2^(r²·this); the 1 rounding is analysed in {@link F32Exp}. */
  private static final float NEG_HALF_LOG2E = -0.5f * F32Exp.LOG2E;

  private F32GaussianBlock() {}

  /**
   * o_i ← σ²·Σ_j exp(−‖x_i − y_j‖²/2)·v_j (+ beta·o_i) for targets i0..i1 (the general path).
   * ys, vs: sources and vectors transposed to coordinate-major columns of length nPad.
   */
  static void rows(float variance, int i0, int i1, int nPad, int d, int k, float[] x, int xOff, int ldx, float[] ys, float[] vs,
      float beta, float[] o, int oOff, int ldo) {
    float[] buf = k == 1 ? null : new float[GROUP * TILE];
    float[] acc = new float[GROUP * k * L];
    float[] xg = new float[GROUP * d];
    for (int g0 = i0; g0 < i1; g0 += GROUP) {
      // a short last group repeats its last target (computed, not stored)
      int rowsInGroup = Math.min(GROUP, i1 - g0);
      gatherTargets(x, xOff, ldx, d, g0, rowsInGroup, xg);
      java.util.Arrays.fill(acc, 0f);
      if (k == 1) {
        for (int qa = 0; qa < GROUP; qa += 2) {
          rowSumsOneColumn(xg, qa, d, ys, vs, nPad, 0, nPad, acc);
        }
      } else {
        for (int j0 = 0; j0 < nPad; j0 += TILE) {
          int len = Math.min(TILE, nPad - j0);
          values(xg, d, ys, nPad, j0, len, buf);
          F32PairwiseKernel.accumulate(buf, len, vs, nPad, j0, k, acc);
        }
      }
      for (int q = 0; q < rowsInGroup; q++) {
        int oi = oOff + (g0 + q) * ldo;
        for (int c = 0; c < k; c++) {
          float sum = variance * F32PairwiseKernel.laneSum(acc, (q * k + c) * L);
          o[oi + c] = beta == 0 ? sum : sum + beta * o[oi + c];
        }
      }
    }
  }

  /**
   * The symmetric path's row tile r0 (targets r0..min(n, r0 + SYM_ROW_TILE)), GROUP targets at a
   * time: row sums over the sources from r0 on, and for the sources past the tile also the column
   * sums cols[c·nPad + j] += k(x_i, x_j)·v_i (see {@code F64PairwiseKernel}'s symmetric path).
   * rowSums[i·k + c] receives the unscaled row sums. Scratch: buf (GROUP·TILE, unused when k = 1),
   * acc (GROUP·k·L), xg (GROUP·d), vq (GROUP·k).
   */
  static void symmetricTile(int r0, int n, int nPad, int d, int k, float[] x, int xOff, int ldx, float[] ys, float[] vs,
      float[] buf, float[] acc, float[] xg, float[] vq, float[] cols, float[] rowSums) {
    int r1 = Math.min(n, r0 + SYM_ROW_TILE);
    int diagEnd = Math.min(nPad, r0 + SYM_ROW_TILE);
    for (int g0 = r0; g0 < r1; g0 += GROUP) {
      int rowsInGroup = Math.min(GROUP, r1 - g0);
      gatherTargets(x, xOff, ldx, d, g0, rowsInGroup, xg);
      // a repeated last target gets weight 0 in the column sums, so it adds exactly nothing
      for (int q = 0; q < GROUP; q++) {
        for (int c = 0; c < k; c++) {
          vq[q * k + c] = q < rowsInGroup ? vs[c * nPad + g0 + q] : 0f;
        }
      }
      java.util.Arrays.fill(acc, 0f);
      if (k == 1) {
        // per entry of cols the updates still come target by target in index order
        for (int qa = 0; qa < GROUP; qa += 2) {
          rowSumsOneColumn(xg, qa, d, ys, vs, nPad, r0, diagEnd, acc);
          rowAndColumnSumsOneColumn(xg, qa, vq, d, ys, vs, nPad, diagEnd, nPad, acc, cols);
        }
      } else {
        values(xg, d, ys, nPad, r0, diagEnd - r0, buf);
        F32PairwiseKernel.accumulate(buf, diagEnd - r0, vs, nPad, r0, k, acc);
        for (int j0 = diagEnd; j0 < nPad; j0 += TILE) {
          int len = Math.min(TILE, nPad - j0);
          values(xg, d, ys, nPad, j0, len, buf);
          rowAndColumnSums(buf, len, vs, nPad, j0, k, vq, acc, cols);
        }
      }
      for (int q = 0; q < rowsInGroup; q++) {
        for (int c = 0; c < k; c++) {
          rowSums[(g0 + q) * k + c] = F32PairwiseKernel.laneSum(acc, (q * k + c) * L);
        }
      }
    }
  }

  /** xg[q·d .. q·d + d) ← target g0 + min(q, rows − 1). */
  private static void gatherTargets(float[] x, int xOff, int ldx, int d, int g0, int rows, float[] xg) {
    for (int q = 0; q < GROUP; q++) {
      System.arraycopy(x, xOff + (g0 + Math.min(q, rows - 1)) * ldx, xg, q * d, d);
    }
  }

  /**
   * exp(−‖x − y_j‖²/2) for the L sources at j and the target at xg[xq..xq + d), in registers.
   * d ≤ 3 is written out (the coordinate loop would not be unrolled for a run-time d); the sum is
   * over the coordinates in order either way, so the bits are the same.
   */
  private static FloatVector value(float[] xg, int xq, int d, float[] ys, int nPad, int j) {
    FloatVector e = FloatVector.fromArray(S, ys, j).sub(xg[xq]);
    FloatVector r2 = e.mul(e);
    if (d == 3) {
      e = FloatVector.fromArray(S, ys, nPad + j).sub(xg[xq + 1]);
      r2 = e.fma(e, r2);
      e = FloatVector.fromArray(S, ys, 2 * nPad + j).sub(xg[xq + 2]);
      r2 = e.fma(e, r2);
    } else {
      for (int t = 1; t < d; t++) {
        e = FloatVector.fromArray(S, ys, t * nPad + j).sub(xg[xq + t]);
        r2 = e.fma(e, r2);
      }
    }
    return F32Exp.exp2NonPositive(r2.mul(NEG_HALF_LOG2E));
  }

  /**
   * acc[q·L ..] += Σ_{j0 ≤ j < j1} k(x_q, y_j)·v_j per lane for the targets q = qa, qa + 1, all in
   * registers. Two targets per loop, not four: C2 inlines a loop body only up to a node budget
   * (NodeCountInliningCutoff), and four inlined kernel values exceed it; a value left as a call
   * boxes every vector it passes, 30× slower.
   */
  private static void rowSumsOneColumn(float[] xg, int qa, int d, float[] ys, float[] vs, int nPad, int j0, int j1, float[] acc) {
    int xa = qa * d;
    int xb = xa + d;
    FloatVector a0 = FloatVector.fromArray(S, acc, qa * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, (qa + 1) * L);
    for (int j = j0; j < j1; j += L) {
      FloatVector vj = FloatVector.fromArray(S, vs, j);
      a0 = value(xg, xa, d, ys, nPad, j).fma(vj, a0);
      a1 = value(xg, xb, d, ys, nPad, j).fma(vj, a1);
    }
    a0.intoArray(acc, qa * L);
    a1.intoArray(acc, (qa + 1) * L);
  }

  /**
   * As {@link #rowSumsOneColumn}, and cols[j] += k(x_q, y_j)·vq[q] for q = qa, qa + 1 in order:
   * one load and store of cols per 2L entries.
   */
  private static void rowAndColumnSumsOneColumn(float[] xg, int qa, float[] vq, int d, float[] ys, float[] vs, int nPad, int j0,
      int j1, float[] acc, float[] cols) {
    int xa = qa * d;
    int xb = xa + d;
    FloatVector a0 = FloatVector.fromArray(S, acc, qa * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, (qa + 1) * L);
    FloatVector w0 = FloatVector.broadcast(S, vq[qa]);
    FloatVector w1 = FloatVector.broadcast(S, vq[qa + 1]);
    for (int j = j0; j < j1; j += L) {
      FloatVector vj = FloatVector.fromArray(S, vs, j);
      FloatVector k0 = value(xg, xa, d, ys, nPad, j);
      FloatVector k1 = value(xg, xb, d, ys, nPad, j);
      a0 = k0.fma(vj, a0);
      a1 = k1.fma(vj, a1);
      k1.fma(w1, k0.fma(w0, FloatVector.fromArray(S, cols, j))).intoArray(cols, j);
    }
    a0.intoArray(acc, qa * L);
    a1.intoArray(acc, (qa + 1) * L);
  }

  /** buf[q·TILE + j] ← k(x_q, y_{j0 + j}) for j &lt; len and every q: one store per L entries, distances in registers. */
  private static void values(float[] xg, int d, float[] ys, int nPad, int j0, int len, float[] buf) {
    for (int qa = 0; qa < GROUP; qa += 2) {
      int xa = qa * d;
      int xb = xa + d;
      for (int j = 0; j < len; j += L) {
        value(xg, xa, d, ys, nPad, j0 + j).intoArray(buf, qa * TILE + j);
        value(xg, xb, d, ys, nPad, j0 + j).intoArray(buf, (qa + 1) * TILE + j);
      }
    }
  }

  /** Row sums acc[(q·k + c)·L ..] and column sums cols[c·nPad + j0 + j] += buf[q][j]·vq[q·k + c], q in order, from a tile of values. */
  private static void rowAndColumnSums(float[] buf, int len, float[] vs, int nPad, int j0, int k, float[] vq, float[] acc,
      float[] cols) {
    for (int c = 0; c < k; c++) {
      FloatVector a0 = FloatVector.fromArray(S, acc, c * L);
      FloatVector a1 = FloatVector.fromArray(S, acc, (k + c) * L);
      FloatVector a2 = FloatVector.fromArray(S, acc, (2 * k + c) * L);
      FloatVector a3 = FloatVector.fromArray(S, acc, (3 * k + c) * L);
      FloatVector w0 = FloatVector.broadcast(S, vq[c]);
      FloatVector w1 = FloatVector.broadcast(S, vq[k + c]);
      FloatVector w2 = FloatVector.broadcast(S, vq[2 * k + c]);
      FloatVector w3 = FloatVector.broadcast(S, vq[3 * k + c]);
      int vBase = c * nPad + j0;
      for (int j = 0; j < len; j += L) {
        FloatVector vj = FloatVector.fromArray(S, vs, vBase + j);
        FloatVector k0 = FloatVector.fromArray(S, buf, j);
        FloatVector k1 = FloatVector.fromArray(S, buf, TILE + j);
        FloatVector k2 = FloatVector.fromArray(S, buf, 2 * TILE + j);
        FloatVector k3 = FloatVector.fromArray(S, buf, 3 * TILE + j);
        a0 = k0.fma(vj, a0);
        a1 = k1.fma(vj, a1);
        a2 = k2.fma(vj, a2);
        a3 = k3.fma(vj, a3);
        FloatVector col = FloatVector.fromArray(S, cols, vBase + j);
        k3.fma(w3, k2.fma(w2, k1.fma(w1, k0.fma(w0, col)))).intoArray(cols, vBase + j);
      }
      a0.intoArray(acc, c * L);
      a1.intoArray(acc, (k + c) * L);
      a2.intoArray(acc, (2 * k + c) * L);
      a3.intoArray(acc, (3 * k + c) * L);
    }
  }
}
