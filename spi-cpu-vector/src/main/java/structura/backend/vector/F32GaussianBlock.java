package structura.backend.vector;

import static structura.backend.vector.F32PairwiseKernel.GROUP;
import static structura.backend.vector.F32PairwiseKernel.SYM_ROW_TILE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Gaussian kernel's products in F32 with one right-hand side, register-blocked and fused:
 * for a block of {@value F32PairwiseKernel#GROUP} targets, taken two at a time, and one vector of
 * L sources (coordinate-major, padded with zero vectors) the squared distances
 * r² = Σ_t (y_t − x_t)², the kernel values 2^(−r²·log₂e/2) ({@link F32Exp}, inlined) and the
 * products with v are all computed in registers: no distance buffer and no store in the inner
 * loop (the symmetric path stores its column sums, one vector per 2L entries).
 *
 * <p>Only for k = 1: with several right-hand sides the kernel values are reused k times, and
 * there the previous tiles (values stored once per tile, SVML exp) measured faster than storing
 * these values (0.86× at k = 4, N = 10⁴, see docs/performance.md), so {@link F32PairwiseKernel}
 * keeps them.
 *
 * <p>Cost per L entries at d = 3 (from the code): distance 3 subtractions, 1 multiply, 2 FMAs;
 * kernel value 1 multiply + 11 ({@link F32Exp#exp2NonPositive}: max, add, 2 subtractions,
 * 5 FMAs, shift, integer add); product 1 FMA: 19 vector operations, 10 of them
 * multiplies/FMAs; plus d/2 source loads, d broadcasts and 1/2 vector load (two targets share a
 * load). The symmetric path adds 1 FMA per L entries and a load and store of column sums per 2L.
 *
 * <p>Summation order: each target's sums run over the sources in index order, one partial sum
 * per lane, and the lanes are added left to right at the end ({@link F32PairwiseKernel#laneSum}),
 * exactly as the unfused tiles do; the symmetric column sums are updated target by target in
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
   * o_i ← σ²·Σ_j exp(−‖x_i − y_j‖²/2)·v_j (+ beta·o_i) for targets i0..i1, one right-hand side
   * (the general path). ys, vs: sources and the vector transposed to coordinate-major columns of
   * length nPad. Scratch: GROUP·(L + d) floats.
   */
  static void rows(float variance, int i0, int i1, int nPad, int d, float[] x, int xOff, int ldx, float[] ys, float[] vs,
      float beta, float[] o, int oOff, int ldo) {
    float[] acc = new float[GROUP * L];
    float[] xg = new float[GROUP * d];
    for (int g0 = i0; g0 < i1; g0 += GROUP) {
      // a short last group repeats its last target (computed, not stored)
      int rowsInGroup = Math.min(GROUP, i1 - g0);
      gatherTargets(x, xOff, ldx, d, g0, rowsInGroup, xg);
      java.util.Arrays.fill(acc, 0f);
      for (int qa = 0; qa < GROUP; qa += 2) {
        oneColumn(xg, qa, d, ys, vs, nPad, 0, nPad, acc, null, null);
      }
      for (int q = 0; q < rowsInGroup; q++) {
        int oi = oOff + (g0 + q) * ldo;
        float sum = variance * F32PairwiseKernel.laneSum(acc, q * L);
        o[oi] = beta == 0 ? sum : sum + beta * o[oi];
      }
    }
  }

  /**
   * The symmetric path's row tile r0 (targets r0..min(n, r0 + SYM_ROW_TILE)), one right-hand
   * side, GROUP targets at a time: row sums over the sources from r0 on, and for the sources past
   * the tile also the column sums cols[j] += k(x_i, x_j)·v_i (see {@code F64PairwiseKernel}'s
   * symmetric path). rowSums[i] receives the unscaled row sums. Scratch: acc (GROUP·L), xg
   * (GROUP·d), vq (GROUP).
   */
  static void symmetricTile(int r0, int n, int nPad, int d, float[] x, int xOff, int ldx, float[] ys, float[] vs, float[] acc,
      float[] xg, float[] vq, float[] cols, float[] rowSums) {
    int r1 = Math.min(n, r0 + SYM_ROW_TILE);
    int diagEnd = Math.min(nPad, r0 + SYM_ROW_TILE);
    for (int g0 = r0; g0 < r1; g0 += GROUP) {
      int rowsInGroup = Math.min(GROUP, r1 - g0);
      gatherTargets(x, xOff, ldx, d, g0, rowsInGroup, xg);
      // a repeated last target gets weight 0 in the column sums, so it adds exactly nothing
      for (int q = 0; q < GROUP; q++) {
        vq[q] = q < rowsInGroup ? vs[g0 + q] : 0f;
      }
      java.util.Arrays.fill(acc, 0f);
      // per entry of cols the updates still come target by target in index order
      for (int qa = 0; qa < GROUP; qa += 2) {
        oneColumn(xg, qa, d, ys, vs, nPad, r0, diagEnd, acc, null, null);
        oneColumn(xg, qa, d, ys, vs, nPad, diagEnd, nPad, acc, vq, cols);
      }
      for (int q = 0; q < rowsInGroup; q++) {
        rowSums[g0 + q] = F32PairwiseKernel.laneSum(acc, q * L);
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
   * d = 3 (the benchmarked case) is written out, as C2 does not unroll a coordinate loop of
   * run-time length; the sum is over the coordinates in order either way, so the bits agree.
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
   * registers, and when cols is not null also cols[j] += k(x_q, y_j)·vq[q] for q = qa, qa + 1 in
   * order (one load and store of cols per 2L entries).
   *
   * <p>Why two targets per loop, not four, and why one method for both uses: C2 inlines into one
   * compilation only up to a node budget (NodeCountInliningCutoff), and the Vector API's code for
   * four kernel values, or for two once this loop was inlined into the caller of a separate
   * row-sums-only variant, exceeded it; a kernel value left as a call boxes every vector it passes
   * (measured 2× slower, 10⁸ bytes allocated per product at N = 10⁴). Two values per loop, in
   * this one method, allocate nothing per entry ({@code F32PairwiseKernelSideBySide} reports the
   * bytes allocated per call). The test on cols is loop-invariant (C2 unswitches the loop).
   */
  private static void oneColumn(float[] xg, int qa, int d, float[] ys, float[] vs, int nPad, int j0, int j1, float[] acc,
      float[] vq, float[] cols) {
    int xa = qa * d;
    int xb = xa + d;
    FloatVector a0 = FloatVector.fromArray(S, acc, qa * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, (qa + 1) * L);
    FloatVector w0 = FloatVector.broadcast(S, cols == null ? 0f : vq[qa]);
    FloatVector w1 = FloatVector.broadcast(S, cols == null ? 0f : vq[qa + 1]);
    for (int j = j0; j < j1; j += L) {
      FloatVector vj = FloatVector.fromArray(S, vs, j);
      FloatVector k0 = value(xg, xa, d, ys, nPad, j);
      FloatVector k1 = value(xg, xb, d, ys, nPad, j);
      a0 = k0.fma(vj, a0);
      a1 = k1.fma(vj, a1);
      if (cols != null) {
        k1.fma(w1, k0.fma(w0, FloatVector.fromArray(S, cols, j))).intoArray(cols, j);
      }
    }
    a0.intoArray(acc, qa * L);
    a1.intoArray(acc, (qa + 1) * L);
  }
}
