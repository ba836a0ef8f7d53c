package structura.backend.vector;

import static structura.backend.vector.F32PairwiseKernel.GROUP;
import static structura.backend.vector.F32PairwiseKernel.SYM_ROW_TILE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Gaussian kernel's products in F32 with one right-hand side in the dot-product form of
 * {@link F32GaussianDotForm}: for {@value F32PairwiseKernel#GROUP} targets at once and one vector
 * of L sources, the exponents s = b_j + Σ_t x̃_t·e_jt (3 FMAs each), the values 2^s
 * (the steps of {@link F32Exp#exp2NonPositive} without its clamp: the form bounds s) and the products with v, all in
 * registers; 2^(a_i) is applied once per target.
 *
 * <p>Why this shape (measured on the Zen 1 host, docs/performance.md). The difference form's
 * loop ({@link F32GaussianBlock}) ran at about a third of the host's issue rate: each value is a
 * long dependency chain and two targets per loop left too few independent chains. Here, per
 * value, 3 FMAs (exponent), 3 adds (reduction), 5 FMAs (polynomial), shift and integer add, and
 * 1 FMA (row sum) [+ 1 FMA column sum]: 13 [14] vector operations instead of about 22 (the
 * clamp's {@code max} is a five-instruction blend on AVX2), four independent values per
 * iteration, and the five loads (3 coordinates, b, v) and, on the symmetric path, the column
 * sums' load and store shared by four targets instead of two.
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
      fourTargets(points.targets, g0, rowsInGroup, points.sources, vs, nPad, 0, nPad, acc, null, null);
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
      fourTargets(points.targets, g0, rowsInGroup, points.sources, vs, nPad, r0, diagEnd, acc, null, null);
      fourTargets(points.targets, g0, rowsInGroup, points.sources, vs, nPad, diagEnd, nPad, acc, w, cols);
      for (int q = 0; q < rowsInGroup; q++) {
        rowSums[g0 + q] = points.scales[g0 + q] * F32PairwiseKernel.laneSum(acc, q * L);
      }
    }
  }

  /**
   * acc[q·L ..] += Σ_{j0 ≤ j < j1} 2^(s_qj)·v_j per lane for the four targets q of the group at
   * g0 (targets past rowsInGroup repeat the last one), and when cols is not null also
   * cols[j] += 2^(s_qj)·w[q] for q = 0..3 in order.
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
