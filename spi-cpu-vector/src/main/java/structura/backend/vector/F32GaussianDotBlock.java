package structura.backend.vector;

import static structura.backend.vector.F32PairwiseKernel.GROUP;
import static structura.backend.vector.F32PairwiseKernel.SYM_ROW_TILE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Gaussian kernel's products in F32 with one right-hand side in the dot-product form of
 * {@link F32GaussianDotForm}: for {@value F32PairwiseKernel#GROUP} targets, two at a time, and two
 * vectors of L sources, the exponents s = b_j + Σ_t x̃_t·e_jt (3 FMAs each), the values 2^s (the
 * steps of {@link F32Exp#exp2NonPositive} without its clamp: the form bounds s) and the products
 * with v, all in registers; 2^(a_i) is applied once per target.
 *
 * <p>Why this shape (measured on the Zen 1 host, docs/performance.md). The difference form's
 * loop ({@link F32GaussianBlock}) ran at about 40 % of the host's measured issue-rate bound: each
 * value is a long dependency chain, and two per iteration left too few independent chains. Here, per
 * value, 3 FMAs (exponent), 3 adds (reduction), 5 FMAs (polynomial), shift and integer add, and
 * 1 FMA (row sum) [+ 1 FMA column sum]: 13 [14] vector operations instead of about 22 (the
 * clamp's {@code max} is not one instruction on AVX2, having Java's NaN and −0 semantics), and
 * four independent values per iteration: two targets × two source vectors (fewer live registers
 * than four targets × one vector, measured 5–10 % faster), each load of a source vector
 * (3 coordinates, b, v) shared by two targets.
 *
 * <p>Summation order: each target's row sums run over the sources in index order, one partial
 * sum per lane, lanes added left to right; column sums are updated target by target in index
 * order. Only exactly rounded operations, so results depend neither on the thread count nor on
 * the JIT tier.
 */
final class F32GaussianDotBlock {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
  private static final int L = S.length();
  private static final int DIMS = F32GaussianDotForm.DIMS;

  private F32GaussianDotBlock() {}

  /**
   * o_i ← σ²·Σ_j exp(−‖x_i − y_j‖²/2)·v_j (+ beta·o_i) for targets i0..i1 (the general path). vs:
   * the vector in one column of length nPad, zero-padded. Scratch: GROUP·L floats.
   */
  static void rows(float variance, F32GaussianDotForm points, int i0, int i1, int nPad, float[] vs, float beta, float[] o, int oOff,
      int ldo) {
    float[] acc = new float[GROUP * L];
    for (int g0 = i0; g0 < i1; g0 += GROUP) {
      // a short last group repeats its last target (computed, not stored)
      int rowsInGroup = Math.min(GROUP, i1 - g0);
      java.util.Arrays.fill(acc, 0f);
      span(points.targets, g0, rowsInGroup, points.sources, vs, nPad, 0, nPad, acc, null, null);
      for (int q = 0; q < rowsInGroup; q++) {
        int oi = oOff + (g0 + q) * ldo;
        float sum = variance * (points.scales[g0 + q] * F32PairwiseKernel.laneSum(acc, q * L));
        o[oi] = beta == 0 ? sum : sum + beta * o[oi];
      }
    }
  }

  /**
   * The symmetric path's row tile r0, as {@link F32GaussianBlock#symmetricTile}: rowSums[i] ←
   * Σ_{j ≥ r0} k(x_i, x_j)·v_j (unscaled by σ²), and for the sources past the tile also
   * cols[j] += k(x_i, x_j)·v_i. Scratch: acc (GROUP·L), w (GROUP).
   */
  static void symmetricTile(F32GaussianDotForm points, int r0, int n, int nPad, float[] vs, float[] acc, float[] w, float[] cols,
      float[] rowSums) {
    int r1 = Math.min(n, r0 + SYM_ROW_TILE);
    int diagEnd = Math.min(nPad, r0 + SYM_ROW_TILE);
    for (int g0 = r0; g0 < r1; g0 += GROUP) {
      int rowsInGroup = Math.min(GROUP, r1 - g0);
      // 2^(a_i) folded into the column weights; a repeated last target gets weight 0, so it adds exactly nothing
      for (int q = 0; q < GROUP; q++) {
        w[q] = q < rowsInGroup ? points.scales[g0 + q] * vs[g0 + q] : 0f;
      }
      java.util.Arrays.fill(acc, 0f);
      span(points.targets, g0, rowsInGroup, points.sources, vs, nPad, r0, diagEnd, acc, null, null);
      span(points.targets, g0, rowsInGroup, points.sources, vs, nPad, diagEnd, nPad, acc, w, cols);
      for (int q = 0; q < rowsInGroup; q++) {
        rowSums[g0 + q] = points.scales[g0 + q] * F32PairwiseKernel.laneSum(acc, q * L);
      }
    }
  }

  /**
   * acc[q·L ..] += Σ_{j0 ≤ j < j1} 2^(s_qj)·v_j per lane for the four targets q of the group at
   * g0 (targets past rowsInGroup repeat the last one), and when cols is not null also
   * cols[j] += 2^(s_qj)·w[q] for q = 0..3 in order: two targets × two source vectors at a time
   * ({@link #twoTargetsTwoVectors}), then the last source vector, if the span holds an odd number
   * of them, for all four targets ({@link #fourTargets}). Each target's lanes still see the sources
   * in index order and each cols entry the targets in index order, so the bits are those of
   * four targets × one vector throughout.
   */
  private static void span(float[] targets, int g0, int rowsInGroup, float[] ys, float[] vs, int nPad, int j0, int j1, float[] acc,
      float[] w, float[] cols) {
    int pairsEnd = j0 + (j1 - j0) / (2 * L) * (2 * L);
    twoTargetsTwoVectors(targets, g0, rowsInGroup, 0, ys, vs, nPad, j0, pairsEnd, acc, w, cols);
    twoTargetsTwoVectors(targets, g0, rowsInGroup, 2, ys, vs, nPad, j0, pairsEnd, acc, w, cols);
    if (pairsEnd < j1) {
      fourTargets(targets, g0, rowsInGroup, ys, vs, nPad, pairsEnd, j1, acc, w, cols);
    }
  }

  /**
   * As {@link #span} for the targets qa, qa + 1 of the group and the sources j0..j1 (a multiple of
   * 2L), two source vectors per iteration: four independent values per iteration like
   * {@link #fourTargets}, but with 6 target broadcasts live instead of 12 (measured 7–10 % faster
   * on the general path; the registers are the limit, see docs/performance.md). Written out for
   * the reasons given at {@link #fourTargets}. For the column sums: cols[j] += k_qa·w_qa + k_qa+1·w_qa+1.
   */
  private static void twoTargetsTwoVectors(float[] targets, int g0, int rowsInGroup, int qa, float[] ys, float[] vs, int nPad, int j0,
      int j1, float[] acc, float[] w, float[] cols) {
    int last = rowsInGroup - 1;
    int t0 = (g0 + Math.min(qa, last)) * DIMS;
    int t1 = (g0 + Math.min(qa + 1, last)) * DIMS;
    FloatVector x00 = FloatVector.broadcast(S, targets[t0]);
    FloatVector x01 = FloatVector.broadcast(S, targets[t0 + 1]);
    FloatVector x02 = FloatVector.broadcast(S, targets[t0 + 2]);
    FloatVector x10 = FloatVector.broadcast(S, targets[t1]);
    FloatVector x11 = FloatVector.broadcast(S, targets[t1 + 1]);
    FloatVector x12 = FloatVector.broadcast(S, targets[t1 + 2]);
    FloatVector a0 = FloatVector.fromArray(S, acc, qa * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, (qa + 1) * L);
    FloatVector w0 = FloatVector.broadcast(S, cols == null ? 0f : w[qa]);
    FloatVector w1 = FloatVector.broadcast(S, cols == null ? 0f : w[qa + 1]);
    FloatVector round = FloatVector.broadcast(S, F32Exp.ROUND);
    FloatVector c1 = FloatVector.broadcast(S, F32Exp.C1);
    FloatVector c2 = FloatVector.broadcast(S, F32Exp.C2);
    FloatVector c3 = FloatVector.broadcast(S, F32Exp.C3);
    FloatVector c4 = FloatVector.broadcast(S, F32Exp.C4);
    FloatVector c5 = FloatVector.broadcast(S, F32Exp.C5);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int j = j0; j < j1; j += 2 * L) {
      int jb = j + L;
      FloatVector e0 = FloatVector.fromArray(S, ys, j);
      FloatVector e1 = FloatVector.fromArray(S, ys, nPad + j);
      FloatVector e2 = FloatVector.fromArray(S, ys, 2 * nPad + j);
      FloatVector b = FloatVector.fromArray(S, ys, 3 * nPad + j);
      FloatVector f0 = FloatVector.fromArray(S, ys, jb);
      FloatVector f1 = FloatVector.fromArray(S, ys, nPad + jb);
      FloatVector f2 = FloatVector.fromArray(S, ys, 2 * nPad + jb);
      FloatVector fb = FloatVector.fromArray(S, ys, 3 * nPad + jb);
      // exponents: target qa and qa + 1 against the vectors at j (s0, s1) and at j + L (s2, s3)
      FloatVector s0 = e0.fma(x00, e1.fma(x01, e2.fma(x02, b)));
      FloatVector s1 = e0.fma(x10, e1.fma(x11, e2.fma(x12, b)));
      FloatVector s2 = f0.fma(x00, f1.fma(x01, f2.fma(x02, fb)));
      FloatVector s3 = f0.fma(x10, f1.fma(x11, f2.fma(x12, fb)));
      // 2^s as in fourTargets
      FloatVector r0 = s0.add(round);
      FloatVector r1 = s1.add(round);
      FloatVector r2 = s2.add(round);
      FloatVector r3 = s3.add(round);
      FloatVector d0 = s0.sub(r0.sub(round));
      FloatVector d1 = s1.sub(r1.sub(round));
      FloatVector d2 = s2.sub(r2.sub(round));
      FloatVector d3 = s3.sub(r3.sub(round));
      FloatVector p0 = d0.fma(c5, c4).fma(d0, c3).fma(d0, c2).fma(d0, c1).fma(d0, one);
      FloatVector p1 = d1.fma(c5, c4).fma(d1, c3).fma(d1, c2).fma(d1, c1).fma(d1, one);
      FloatVector p2 = d2.fma(c5, c4).fma(d2, c3).fma(d2, c2).fma(d2, c1).fma(d2, one);
      FloatVector p3 = d3.fma(c5, c4).fma(d3, c3).fma(d3, c2).fma(d3, c1).fma(d3, one);
      FloatVector k0 = (FloatVector) ((IntVector) r0.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p0.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k1 = (FloatVector) ((IntVector) r1.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p1.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k2 = (FloatVector) ((IntVector) r2.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p2.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k3 = (FloatVector) ((IntVector) r3.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p3.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector va = FloatVector.fromArray(S, vs, j);
      FloatVector vb = FloatVector.fromArray(S, vs, jb);
      // per lane the sources in index order: j, then j + L
      a0 = k2.fma(vb, k0.fma(va, a0));
      a1 = k3.fma(vb, k1.fma(va, a1));
      if (cols != null) {
        k1.fma(w1, k0.fma(w0, FloatVector.fromArray(S, cols, j))).intoArray(cols, j);
        k3.fma(w1, k2.fma(w0, FloatVector.fromArray(S, cols, jb))).intoArray(cols, jb);
      }
    }
    a0.intoArray(acc, qa * L);
    a1.intoArray(acc, (qa + 1) * L);
  }

  /**
   * As {@link #span}, four targets × one source vector per iteration (used for a span's last
   * vector; it was the whole loop before {@link #twoTargetsTwoVectors} measured faster).
   *
   * <p>Written out, four values side by side, with {@link F32Exp#exp2NonPositive}'s steps copied in
   * rather than called: C2 stops inlining ordinary methods once a compilation passes its node
   * budget (NodeCountInliningCutoff; it was reached at the third of four calls), and a vector
   * that crosses a call that was not inlined is boxed (10⁹ bytes allocated per product at
   * N = 2·10⁴). The Vector API's own methods are force-inlined past that budget, so code made of
   * them only compiles to straight-line vector code. {@code F32PairwiseKernelSideBySide} reports
   * the bytes allocated per call; {@code F32GaussianDotFormTest} checks these values against F64.
   * The test on cols is loop-invariant (C2 unswitches the loop).
   */
  private static void fourTargets(float[] targets, int g0, int rowsInGroup, float[] ys, float[] vs, int nPad, int j0, int j1,
      float[] acc, float[] w, float[] cols) {
    int last = rowsInGroup - 1;
    int t0 = g0 * DIMS;
    int t1 = (g0 + Math.min(1, last)) * DIMS;
    int t2 = (g0 + Math.min(2, last)) * DIMS;
    int t3 = (g0 + Math.min(3, last)) * DIMS;
    FloatVector x00 = FloatVector.broadcast(S, targets[t0]);
    FloatVector x01 = FloatVector.broadcast(S, targets[t0 + 1]);
    FloatVector x02 = FloatVector.broadcast(S, targets[t0 + 2]);
    FloatVector x10 = FloatVector.broadcast(S, targets[t1]);
    FloatVector x11 = FloatVector.broadcast(S, targets[t1 + 1]);
    FloatVector x12 = FloatVector.broadcast(S, targets[t1 + 2]);
    FloatVector x20 = FloatVector.broadcast(S, targets[t2]);
    FloatVector x21 = FloatVector.broadcast(S, targets[t2 + 1]);
    FloatVector x22 = FloatVector.broadcast(S, targets[t2 + 2]);
    FloatVector x30 = FloatVector.broadcast(S, targets[t3]);
    FloatVector x31 = FloatVector.broadcast(S, targets[t3 + 1]);
    FloatVector x32 = FloatVector.broadcast(S, targets[t3 + 2]);
    FloatVector a0 = FloatVector.fromArray(S, acc, 0);
    FloatVector a1 = FloatVector.fromArray(S, acc, L);
    FloatVector a2 = FloatVector.fromArray(S, acc, 2 * L);
    FloatVector a3 = FloatVector.fromArray(S, acc, 3 * L);
    FloatVector w0 = FloatVector.broadcast(S, cols == null ? 0f : w[0]);
    FloatVector w1 = FloatVector.broadcast(S, cols == null ? 0f : w[1]);
    FloatVector w2 = FloatVector.broadcast(S, cols == null ? 0f : w[2]);
    FloatVector w3 = FloatVector.broadcast(S, cols == null ? 0f : w[3]);
    FloatVector round = FloatVector.broadcast(S, F32Exp.ROUND);
    FloatVector c1 = FloatVector.broadcast(S, F32Exp.C1);
    FloatVector c2 = FloatVector.broadcast(S, F32Exp.C2);
    FloatVector c3 = FloatVector.broadcast(S, F32Exp.C3);
    FloatVector c4 = FloatVector.broadcast(S, F32Exp.C4);
    FloatVector c5 = FloatVector.broadcast(S, F32Exp.C5);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int j = j0; j < j1; j += L) {
      FloatVector e0 = FloatVector.fromArray(S, ys, j);
      FloatVector e1 = FloatVector.fromArray(S, ys, nPad + j);
      FloatVector e2 = FloatVector.fromArray(S, ys, 2 * nPad + j);
      FloatVector b = FloatVector.fromArray(S, ys, 3 * nPad + j);
      // exponents s = b + Σ_t x̃_t·e_t (in [−64, 16] by construction, see F32GaussianDotForm)
      FloatVector s0 = e0.fma(x00, e1.fma(x01, e2.fma(x02, b)));
      FloatVector s1 = e0.fma(x10, e1.fma(x11, e2.fma(x12, b)));
      FloatVector s2 = e0.fma(x20, e1.fma(x21, e2.fma(x22, b)));
      FloatVector s3 = e0.fma(x30, e1.fma(x31, e2.fma(x32, b)));
      // 2^s as in F32Exp.exp2NonPositive, without the clamp (s ≥ −64): n = round(s) in the low bits of r, f = s − n ∈ [−½, ½]
      FloatVector r0 = s0.add(round);
      FloatVector r1 = s1.add(round);
      FloatVector r2 = s2.add(round);
      FloatVector r3 = s3.add(round);
      FloatVector f0 = s0.sub(r0.sub(round));
      FloatVector f1 = s1.sub(r1.sub(round));
      FloatVector f2 = s2.sub(r2.sub(round));
      FloatVector f3 = s3.sub(r3.sub(round));
      FloatVector p0 = f0.fma(c5, c4).fma(f0, c3).fma(f0, c2).fma(f0, c1).fma(f0, one);
      FloatVector p1 = f1.fma(c5, c4).fma(f1, c3).fma(f1, c2).fma(f1, c1).fma(f1, one);
      FloatVector p2 = f2.fma(c5, c4).fma(f2, c3).fma(f2, c2).fma(f2, c1).fma(f2, one);
      FloatVector p3 = f3.fma(c5, c4).fma(f3, c3).fma(f3, c2).fma(f3, c1).fma(f3, one);
      // 2^f·2ⁿ: n·2²³ added to the bits of 2^f
      FloatVector k0 = (FloatVector) ((IntVector) r0.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p0.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k1 = (FloatVector) ((IntVector) r1.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p1.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k2 = (FloatVector) ((IntVector) r2.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p2.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector k3 = (FloatVector) ((IntVector) r3.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23)
          .add((IntVector) p3.reinterpretShape(I, 0)).reinterpretShape(S, 0);
      FloatVector vj = FloatVector.fromArray(S, vs, j);
      a0 = k0.fma(vj, a0);
      a1 = k1.fma(vj, a1);
      a2 = k2.fma(vj, a2);
      a3 = k3.fma(vj, a3);
      if (cols != null) {
        k3.fma(w3, k2.fma(w2, k1.fma(w1, k0.fma(w0, FloatVector.fromArray(S, cols, j))))).intoArray(cols, j);
      }
    }
    a0.intoArray(acc, 0);
    a1.intoArray(acc, L);
    a2.intoArray(acc, 2 * L);
    a3.intoArray(acc, 3 * L);
  }
}
