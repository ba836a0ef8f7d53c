package structura.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import structura.api.backend.AttentionRoutine;
import structura.api.backend.ComposedAttention;

/**
 * Fused attention for short sequences ({@link AttentionRoutine}): one task per (sequence, head),
 * spread over the threads, in which the scores never leave the cache. Per task the key head is
 * packed transposed ({@code headDim × len}, NR-wide panels of keys) and the value head in NR-wide
 * column panels ({@code len × NR} each), both reused by every query row; then, four query rows at a
 * time:
 * <ol>
 *   <li>the four score rows {@code S_i = Q_i K_gᵀ} by a 4 × NR register tile over the head
 *       dimension (as the GEMM micro-kernel: accumulators from zero, one FMA per step of p), turned
 *       in registers into the logits {@code z = fl(fl(scale·S) + mask)} of the softmax's first pass,
 *       with the mask row of the composed path (the key mask, and −{@code Float.MAX_VALUE} past the
 *       diagonal when causal) and each row's maximum;</li>
 *   <li>each row finished by {@link F32Elementwise#expNormalizeRow}, the exp, sum and scaling
 *       passes of the unfused softmax;</li>
 *   <li>{@code O_i = P_i V_g} by a 4 × NR tile over the keys (FMA from zero), stored straight into
 *       the head's columns of O.</li>
 * </ol>
 * Why: the composed path writes {@code heads·len²} scores per sequence (786 KB for 12 heads of
 * 128 tokens, more than this host's L2), reads them three times in the softmax and once more in
 * the second product, and packs both products' operands per call; here a task's working set is
 * the two packed heads ({@code 2·len·32} floats for MiniLM, 32 KB) and four score rows.
 *
 * <p><b>Same bits as {@link ComposedAttention} on this backend.</b> Every score and every output
 * element is one FMA chain from zero in the order of the {@link F32Gemm} micro-kernel, which with
 * alpha = 1 and beta = 0 stores its accumulator unchanged; the logits get the same two roundings
 * as in {@link F32Elementwise#softmaxRow} with the same mask values, their maximum is exact in any
 * order, and the rest of the softmax is its code. This holds while each product is one KC block of the
 * GEMM (depth ≤ KC: {@code headDim} and {@code len} at most the backend's F32 KC, 384 by
 * default); longer sequences, and sequences over {@link #MAX_FUSED_LEN}, run the composed path.
 * Results do not depend on the thread count (a task computes the same way on any thread).
 *
 * <p>Cost {@code 2·batch·heads·len²·(headDim + valueDim)} flops, one exp per score; memory per
 * thread {@code (headDim + valueDim')·len' + 5·len'} floats (primes: rounded up to NR), kept
 * between calls.
 */
final class F32Attention implements AttentionRoutine {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final int L = S.length();
  /** Columns of a register tile (two vectors), as in {@link F32Gemm}. */
  private static final int NR = 2 * L;
  /** Query rows per register tile. */
  private static final int MR = 4;
  /** Longest sequence fused: beyond it the score rows outgrow L1 and the composed GEMMs are efficient anyway. */
  static final int MAX_FUSED_LEN = 512;
  /** Below this many multiply-adds a call stays on the calling thread. */
  private static final long PARALLEL_MIN_WORK = 1L << 18;

  private final Parallel parallel;
  private final ComposedAttention composed;
  /** The GEMM's depth block: a product deeper than this is summed in blocks there, so not fused here. */
  private final int maxDepth;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  F32Attention(Parallel parallel, ComposedAttention composed, int gemmKc) {
    this.parallel = parallel;
    this.composed = composed;
    this.maxDepth = Math.min(gemmKc, MAX_FUSED_LEN);
  }

  /** Whether a call of this shape runs fused (else composed). */
  boolean fuses(int len, int headDim) {
    return len <= maxDepth && headDim <= maxDepth;
  }

  @Override
  public void sattention(int batch, int len, int heads, int kvHeads, int headDim, int valueDim, float scale,
      boolean causal, float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
      float[] keyMask, int maskOff, int ldMask, float[] o, int oOff, int ldo) {
    if (!fuses(len, headDim)) {
      composed.sattention(batch, len, heads, kvHeads, headDim, valueDim, scale, causal, q, qOff, ldq, k, kOff, ldk,
          v, vOff, ldv, keyMask, maskOff, ldMask, o, oOff, ldo);
      return;
    }
    int group = heads / kvHeads;
    long work = (long) batch * heads * len * len * (headDim + valueDim);
    parallel.forEach(batch * heads, work >= PARALLEL_MIN_WORK, item -> {
      int b = item / heads;
      int h = item % heads;
      int g = h / group;
      int row0 = b * len;
      head(len, headDim, valueDim, scale, causal,
          q, qOff + row0 * ldq + h * headDim, ldq,
          k, kOff + row0 * ldk + g * headDim, ldk,
          v, vOff + row0 * ldv + g * valueDim, ldv,
          keyMask, keyMask == null ? -1 : maskOff + b * ldMask,
          o, oOff + row0 * ldo + h * valueDim, ldo, scratch.get());
    });
  }

  /** Per-thread buffers, grown on demand and kept. */
  private static final class Scratch {
    float[] keys = new float[0];
    float[] values = new float[0];
    float[] scores = new float[0];
    float[] mask = new float[0];
    float[] rowMask = new float[0];
    /** Per score row, a vector of running maxima. */
    final float[] max = new float[MR * L];

    void ensure(int keyFloats, int valueFloats, int scoreFloats, int maskFloats) {
      keys = keys.length >= keyFloats ? keys : new float[keyFloats];
      values = values.length >= valueFloats ? values : new float[valueFloats];
      scores = scores.length >= scoreFloats ? scores : new float[scoreFloats];
      mask = mask.length >= maskFloats ? mask : new float[maskFloats];
      rowMask = rowMask.length >= MR * maskFloats ? rowMask : new float[MR * maskFloats];
    }
  }

  /**
   * One (sequence, head): q, k, v and o point at element (0, 0) of the head's {@code len} rows.
   * {@code keyOff < 0} means no key mask.
   */
  private static void head(int len, int dh, int dv, float scale, boolean causal, float[] q, int qi, int ldq,
      float[] k, int ki, int ldk, float[] v, int vi, int ldv, float[] keyMask, int keyOff, float[] o, int oi, int ldo,
      Scratch s) {
    int keyPanels = (len + NR - 1) / NR;
    int lp = keyPanels * NR;
    int valuePanels = (dv + NR - 1) / NR;
    s.ensure(dh * lp, valuePanels * len * NR, MR * lp, lp);
    float[] kt = s.keys;
    float[] vp = s.values;
    float[] sc = s.scores;
    float[] mask = s.mask;
    packKeys(len, dh, k, ki, ldk, lp, kt);
    packValues(len, dv, v, vi, ldv, valuePanels, vp);
    // the key-mask row as the composed path copies it (zeros without a mask); −∞ on the padding
    // keys of the last panel, so that they never become a row maximum
    for (int j = 0; j < lp; j++) {
      mask[j] = j >= len ? Float.NEGATIVE_INFINITY : keyOff < 0 ? 0f : keyMask[keyOff + j];
    }
    float[] rowMask = causal ? s.rowMask : mask;
    int ldm = causal ? lp : 0;
    float[] max = s.max;
    for (int i0 = 0; i0 < len; i0 += MR) {
      int rows = Math.min(MR, len - i0);
      if (causal) {
        // the composed path's causal mask rows: −Float.MAX_VALUE past the diagonal
        for (int r = 0; r < rows; r++) {
          int i = i0 + r;
          for (int j = 0; j < lp; j++) {
            rowMask[r * lp + j] = j > i && j < len ? -Float.MAX_VALUE : mask[j];
          }
        }
      }
      // 1. z = scale·S + mask for rows i0 .. i0 + rows − 1 into sc (row r at r·lp), with row maxima
      java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
      for (int jp = 0; jp < keyPanels; jp++) {
        int j0 = jp * NR;
        if (rows == MR) {
          logits4(dh, q, qi + i0 * ldq, ldq, kt, j0, lp, scale, rowMask, j0, ldm, sc, j0, lp, max);
        } else {
          for (int r = 0; r < rows; r++) {
            logits1(dh, q, qi + (i0 + r) * ldq, kt, j0, lp, scale, rowMask, r * ldm + j0, sc, r * lp + j0, max, r * L);
          }
        }
      }
      // 2. the unfused softmax's exp, sum and scaling on each row
      for (int r = 0; r < rows; r++) {
        float m = FloatVector.fromArray(S, max, r * L).reduceLanes(VectorOperators.MAX);
        F32Elementwise.expNormalizeRow(len, sc, r * lp, m);
      }
      // 3. O rows = P rows · V, per NR-wide panel of value columns
      for (int cp = 0; cp < valuePanels; cp++) {
        int c0 = cp * NR;
        int cols = Math.min(NR, dv - c0);
        int panel = cp * len * NR;
        if (rows == MR) {
          output4(len, sc, lp, vp, panel, o, oi + i0 * ldo + c0, ldo, cols);
        } else {
          for (int r = 0; r < rows; r++) {
            output1(len, sc, r * lp, vp, panel, o, oi + (i0 + r) * ldo + c0, cols);
          }
        }
      }
    }
  }

  /** K (len × dh) transposed into kt (dh × lp), keys past len zero. */
  private static void packKeys(int len, int dh, float[] k, int ki, int ldk, int lp, float[] kt) {
    int j = 0;
    // four keys at a time: four sequential row streams in, four consecutive floats out per p
    for (; j + 4 <= len; j += 4) {
      int r0 = ki + j * ldk;
      int r1 = r0 + ldk;
      int r2 = r1 + ldk;
      int r3 = r2 + ldk;
      for (int p = 0, dst = j; p < dh; p++, dst += lp) {
        kt[dst] = k[r0 + p];
        kt[dst + 1] = k[r1 + p];
        kt[dst + 2] = k[r2 + p];
        kt[dst + 3] = k[r3 + p];
      }
    }
    for (; j < len; j++) {
      for (int p = 0, src = ki + j * ldk; p < dh; p++) {
        kt[p * lp + j] = k[src + p];
      }
    }
    for (int p = 0; p < dh; p++) {
      java.util.Arrays.fill(kt, p * lp + len, (p + 1) * lp, 0f);
    }
  }

  /** V (len × dv) into column panels of NR: element (j, c) at {@code (c / NR)·len·NR + j·NR + c mod NR}, columns past dv zero. */
  private static void packValues(int len, int dv, float[] v, int vi, int ldv, int panels, float[] vp) {
    for (int cp = 0; cp < panels; cp++) {
      int c0 = cp * NR;
      int cols = Math.min(NR, dv - c0);
      for (int j = 0; j < len; j++) {
        int dst = cp * len * NR + j * NR;
        int src = vi + j * ldv + c0;
        for (int c = 0; c < cols; c++) {
          vp[dst + c] = v[src + c];
        }
        for (int c = cols; c < NR; c++) {
          vp[dst + c] = 0f;
        }
      }
    }
  }

  /**
   * Four rows of logits, one NR-wide panel of keys: {@code S = Σ_p q[r][p]·kt[p][j]} by FMA from
   * zero (the GEMM micro-kernel's order), then {@code z = fl(fl(scale·S) + mask[r][j])} (pass 1 of
   * the softmax, the same two roundings) into {@code sc[si + r·ld + j]}, and the running maxima
   * of each row in {@code max[r·L ..]}. Mask row r at {@code mi + r·ldm}.
   */
  private static void logits4(int dh, float[] q, int qi, int ldq, float[] kt, int kj, int lp, float scale,
      float[] mask, int mi, int ldm, float[] sc, int si, int ld, float[] max) {
    FloatVector c00 = FloatVector.broadcast(S, 0f);
    FloatVector c01 = FloatVector.broadcast(S, 0f);
    FloatVector c10 = FloatVector.broadcast(S, 0f);
    FloatVector c11 = FloatVector.broadcast(S, 0f);
    FloatVector c20 = FloatVector.broadcast(S, 0f);
    FloatVector c21 = FloatVector.broadcast(S, 0f);
    FloatVector c30 = FloatVector.broadcast(S, 0f);
    FloatVector c31 = FloatVector.broadcast(S, 0f);
    int q1 = qi + ldq;
    int q2 = q1 + ldq;
    int q3 = q2 + ldq;
    for (int p = 0; p < dh; p++) {
      int ib = kj + p * lp;
      FloatVector b0 = FloatVector.fromArray(S, kt, ib);
      FloatVector b1 = FloatVector.fromArray(S, kt, ib + L);
      FloatVector x = FloatVector.broadcast(S, q[qi + p]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, q[q1 + p]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, q[q2 + p]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, q[q3 + p]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    // written out per row: a helper taking vectors, if C2 did not inline it, would box them
    FloatVector z0;
    FloatVector z1;
    z0 = c00.mul(scale).add(FloatVector.fromArray(S, mask, mi));
    z1 = c01.mul(scale).add(FloatVector.fromArray(S, mask, mi + L));
    z0.intoArray(sc, si);
    z1.intoArray(sc, si + L);
    FloatVector.fromArray(S, max, 0).max(z0).max(z1).intoArray(max, 0);
    z0 = c10.mul(scale).add(FloatVector.fromArray(S, mask, mi + ldm));
    z1 = c11.mul(scale).add(FloatVector.fromArray(S, mask, mi + ldm + L));
    z0.intoArray(sc, si + ld);
    z1.intoArray(sc, si + ld + L);
    FloatVector.fromArray(S, max, L).max(z0).max(z1).intoArray(max, L);
    z0 = c20.mul(scale).add(FloatVector.fromArray(S, mask, mi + 2 * ldm));
    z1 = c21.mul(scale).add(FloatVector.fromArray(S, mask, mi + 2 * ldm + L));
    z0.intoArray(sc, si + 2 * ld);
    z1.intoArray(sc, si + 2 * ld + L);
    FloatVector.fromArray(S, max, 2 * L).max(z0).max(z1).intoArray(max, 2 * L);
    z0 = c30.mul(scale).add(FloatVector.fromArray(S, mask, mi + 3 * ldm));
    z1 = c31.mul(scale).add(FloatVector.fromArray(S, mask, mi + 3 * ldm + L));
    z0.intoArray(sc, si + 3 * ld);
    z1.intoArray(sc, si + 3 * ld + L);
    FloatVector.fromArray(S, max, 3 * L).max(z0).max(z1).intoArray(max, 3 * L);
  }

  /** One row of logits, one panel of keys (the rows left over by {@link #logits4}). */
  private static void logits1(int dh, float[] q, int qi, float[] kt, int kj, int lp, float scale, float[] mask, int mi,
      float[] sc, int si, float[] max, int mx) {
    FloatVector c0 = FloatVector.broadcast(S, 0f);
    FloatVector c1 = FloatVector.broadcast(S, 0f);
    for (int p = 0; p < dh; p++) {
      int ib = kj + p * lp;
      FloatVector x = FloatVector.broadcast(S, q[qi + p]);
      c0 = x.fma(FloatVector.fromArray(S, kt, ib), c0);
      c1 = x.fma(FloatVector.fromArray(S, kt, ib + L), c1);
    }
    FloatVector z0 = c0.mul(scale).add(FloatVector.fromArray(S, mask, mi));
    FloatVector z1 = c1.mul(scale).add(FloatVector.fromArray(S, mask, mi + L));
    z0.intoArray(sc, si);
    z1.intoArray(sc, si + L);
    FloatVector.fromArray(S, max, mx).max(z0).max(z1).intoArray(max, mx);
  }

  /**
   * Four output rows, one panel of value columns: {@code o[r][c] = Σ_j p[r][j]·vp[j][c]}, FMA from
   * zero; the first {@code cols} columns are stored.
   */
  private static void output4(int len, float[] p, int ld, float[] vp, int panel, float[] o, int oi, int ldo,
      int cols) {
    FloatVector c00 = FloatVector.broadcast(S, 0f);
    FloatVector c01 = FloatVector.broadcast(S, 0f);
    FloatVector c10 = FloatVector.broadcast(S, 0f);
    FloatVector c11 = FloatVector.broadcast(S, 0f);
    FloatVector c20 = FloatVector.broadcast(S, 0f);
    FloatVector c21 = FloatVector.broadcast(S, 0f);
    FloatVector c30 = FloatVector.broadcast(S, 0f);
    FloatVector c31 = FloatVector.broadcast(S, 0f);
    for (int j = 0; j < len; j++) {
      int ib = panel + j * NR;
      FloatVector b0 = FloatVector.fromArray(S, vp, ib);
      FloatVector b1 = FloatVector.fromArray(S, vp, ib + L);
      FloatVector x = FloatVector.broadcast(S, p[j]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, p[ld + j]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, p[2 * ld + j]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, p[3 * ld + j]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    if (cols == NR) {
      c00.intoArray(o, oi);
      c01.intoArray(o, oi + L);
      c10.intoArray(o, oi + ldo);
      c11.intoArray(o, oi + ldo + L);
      c20.intoArray(o, oi + 2 * ldo);
      c21.intoArray(o, oi + 2 * ldo + L);
      c30.intoArray(o, oi + 3 * ldo);
      c31.intoArray(o, oi + 3 * ldo + L);
      return;
    }
    float[] tile = new float[MR * NR];
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    for (int r = 0; r < MR; r++) {
      System.arraycopy(tile, r * NR, o, oi + r * ldo, cols);
    }
  }

  /** One output row, one panel of value columns (the rows left over by {@link #output4}). */
  private static void output1(int len, float[] p, int pi, float[] vp, int panel, float[] o, int oi, int cols) {
    FloatVector c0 = FloatVector.broadcast(S, 0f);
    FloatVector c1 = FloatVector.broadcast(S, 0f);
    for (int j = 0; j < len; j++) {
      int ib = panel + j * NR;
      FloatVector x = FloatVector.broadcast(S, p[pi + j]);
      c0 = x.fma(FloatVector.fromArray(S, vp, ib), c0);
      c1 = x.fma(FloatVector.fromArray(S, vp, ib + L), c1);
    }
    float[] tile = new float[NR];
    c0.intoArray(tile, 0);
    c1.intoArray(tile, L);
    System.arraycopy(tile, 0, o, oi, cols);
  }
}
