package structura.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import structura.api.backend.ElementwiseRoutine;

/**
 * The transformer elementwise routines (softmax, GELU, SiLU, SwiGLU, LayerNorm, RMSNorm) on the
 * preferred float species, with scalar tails.
 *
 * <p><b>exp.</b> Our own polynomial, not {@code VectorOperators.EXP}: that operator is an
 * intrinsic only where the JDK ships a vector math library for the CPU (SVML on x86, SLEEF on
 * some AArch64 builds) and otherwise falls back to one {@code Math.exp} per lane, so its speed
 * and its bits would depend on the platform. Here {@code exp(x) = 2^k · p(r)} with
 * {@code k = rint(x·log₂e)} (the 1.5·2²³ rounding trick, which also yields k's bits),
 * {@code r = x − k·ln2} in two FMA steps (Cody–Waite split of ln2) and the Cephes {@code expf}
 * degree-5 minimax polynomial on |r| ≤ ln2/2: about 1 ulp. Inputs below −87 give 0 (the true
 * value is under 1.7e-38) and above 88 are clamped (so 2^k stays a normal float); NaN stays NaN.
 *
 * <p><b>GELU.</b> {@link F32Gelu}: the lower tail Φ(−|x|) as exp(−z²) times a rational function,
 * one branch (within 4·10⁻⁷ absolute, see there). {@link #sbiasGelu} adds the bias in the same
 * pass.
 *
 * <p>The scalar tails run the same formulas with {@link Math#fma} in the same order, so an
 * element gets the same bits whether it falls in a vector body or in a tail. Rows are
 * independent: a parallel call splits the rows into blocks and each row is computed the same
 * way on any thread, so results do not depend on the thread count. Row statistics (softmax max
 * and sum, norm means and variances) are accumulated in float vector lanes and reduced by
 * {@link LaneSums#sum} in a fixed order (the max by {@code reduceLanes(MAX)}, which needs none);
 * the norms use two passes (mean first), so a large common offset does not cancel.
 */
final class F32Elementwise implements ElementwiseRoutine {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final int L = S.length();
  /** Below this many elements a call stays on the calling thread. */
  static final long PARALLEL_MIN_ELEMENTS = 1L << 15;
  /** Target elements per parallel task (rows are grouped up to about this much). */
  private static final int TASK_ELEMENTS = 1 << 14;

  // exp constants (Cephes expf)
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = 0x4B400000;
  private static final float EXP_LO = -87f;
  private static final float EXP_HI = 88f;
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  private final Parallel parallel;

  F32Elementwise(Parallel parallel) {
    this.parallel = parallel;
  }

  /** Body of one row-block task: rows {@code [i0, i1)}. */
  @FunctionalInterface
  private interface Rows {
    void run(int i0, int i1);
  }

  /** Splits the m rows into blocks of about {@link #TASK_ELEMENTS} elements, parallel when the call is large. */
  private void forRows(int m, int n, Rows body) {
    long total = (long) m * n;
    if (parallel.threads() == 1 || total < PARALLEL_MIN_ELEMENTS || m == 1) {
      body.run(0, m);
      return;
    }
    int rows = Math.max(1, TASK_ELEMENTS / n);
    // no more than about 8 tasks per thread, so small rows do not turn into thousands of hand-offs
    rows = Math.max(rows, (m + 8 * parallel.threads() - 1) / (8 * parallel.threads()));
    int block = rows;
    int tasks = (m + block - 1) / block;
    parallel.forEach(tasks, t -> body.run(t * block, Math.min(m, (t + 1) * block)));
  }

  // ---- softmax --------------------------------------------------------------------------------

  @Override
  public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        softmaxRow(n, alpha, x, off + i * ld, mask, maskOff + i * ldMask);
      }
    });
  }

  /**
   * Softmax of one row of n elements at {@code x[row ..]}, mask row at {@code mask[mrow ..]} (or
   * null). The fused attention ({@link F32Attention}) does pass 1 in its score tile's write-out
   * and shares passes 2 and 3 ({@link #expNormalizeRow}), so fused and composed attention give the
   * same bits.
   */
  static void softmaxRow(int n, float alpha, float[] x, int row, float[] mask, int mrow) {
    int body = S.loopBound(n);
    // pass 1: z = alpha·x + mask (rounded to float as the reference does), stored in place; row max
    FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    FloatVector va = FloatVector.broadcast(S, alpha);
    int j = 0;
    if (mask == null) {
      for (; j < body; j += L) {
        FloatVector z = FloatVector.fromArray(S, x, row + j).mul(va);
        z.intoArray(x, row + j);
        vmax = vmax.max(z);
      }
    } else {
      for (; j < body; j += L) {
        FloatVector z = FloatVector.fromArray(S, x, row + j).mul(va).add(FloatVector.fromArray(S, mask, mrow + j));
        z.intoArray(x, row + j);
        vmax = vmax.max(z);
      }
    }
    float max = vmax.reduceLanes(VectorOperators.MAX);
    for (; j < n; j++) {
      float z = alpha * x[row + j] + (mask == null ? 0f : mask[mrow + j]);
      x[row + j] = z;
      max = Math.max(max, z);
    }
    expNormalizeRow(n, x, row, max);
  }

  /**
   * Passes 2 and 3 of {@link #softmaxRow} on a row of logits z whose maximum is {@code max}:
   * {@code x ← exp(z − max) / Σ exp(z − max)}. The fused attention ({@link F32Attention}) forms z
   * and its maximum while the scores are still in registers, then calls this, so both paths run
   * the same exp, sum and scaling.
   */
  static void expNormalizeRow(int n, float[] x, int row, float max) {
    int body = S.loopBound(n);
    int j;
    // pass 2: e = exp(z − max) in place, row sum
    FloatVector vm = FloatVector.broadcast(S, max);
    FloatVector vsum = FloatVector.broadcast(S, 0f);
    for (j = 0; j < body; j += L) {
      FloatVector e = exp(FloatVector.fromArray(S, x, row + j).sub(vm));
      e.intoArray(x, row + j);
      vsum = vsum.add(e);
    }
    float sum = LaneSums.sum(vsum);
    for (; j < n; j++) {
      float e = exp(x[row + j] - max);
      x[row + j] = e;
      sum += e;
    }
    // pass 3: scale by 1/sum (sum ≥ 1: the max element contributes exp(0) = 1)
    float inv = 1f / sum;
    FloatVector vi = FloatVector.broadcast(S, inv);
    for (j = 0; j < body; j += L) {
      FloatVector.fromArray(S, x, row + j).mul(vi).intoArray(x, row + j);
    }
    for (; j < n; j++) {
      x[row + j] *= inv;
    }
  }

  // ---- activations ----------------------------------------------------------------------------

  @Override
  public void sgelu(int m, int n, float[] x, int off, int ld) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        F32Gelu.geluInPlace(x, off + i * ld, n);
      }
    });
  }

  @Override
  public void sbiasGelu(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        F32Gelu.biasGeluInPlace(x, off + i * ld, n, bias, biasOff);
      }
    });
  }

  @Override
  public void ssilu(int m, int n, float[] x, int off, int ld) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int row = off + i * ld;
        int body = S.loopBound(n);
        int j = 0;
        for (; j < body; j += L) {
          FloatVector v = FloatVector.fromArray(S, x, row + j);
          silu(v).intoArray(x, row + j);
        }
        for (; j < n; j++) {
          x[row + j] = silu(x[row + j]);
        }
      }
    });
  }

  @Override
  public void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int g = gateOff + i * ldGate;
        int u = upOff + i * ldUp;
        int body = S.loopBound(n);
        int j = 0;
        for (; j < body; j += L) {
          FloatVector v = FloatVector.fromArray(S, gate, g + j);
          silu(v).mul(FloatVector.fromArray(S, up, u + j)).intoArray(gate, g + j);
        }
        for (; j < n; j++) {
          gate[g + j] = silu(gate[g + j]) * up[u + j];
        }
      }
    });
  }

  // ---- norms ----------------------------------------------------------------------------------

  @Override
  public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta, int betaOff,
      float eps) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        normRow(n, x, off + i * ld, gamma, gammaOff, beta, betaOff, eps, true);
      }
    });
  }

  @Override
  public void saddLayerNorm(int m, int n, float[] x, int off, int ld, float[] bias, int biasOff, float[] r, int rOff,
      int ldR, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int row = off + i * ld;
        addRow(n, x, row, bias, biasOff, r, rOff + i * ldR);
        normRow(n, x, row, gamma, gammaOff, beta, betaOff, eps, true);
      }
    });
  }

  /**
   * {@code x ← fl(fl(x + bias) + r)} on one row (bias may be null): the row is in L1 afterwards,
   * where the norm's passes read it again, so this costs about one pass less than a separate
   * bias pass and residual axpy over the whole matrix.
   */
  private static void addRow(int n, float[] x, int row, float[] bias, int biasOff, float[] r, int rRow) {
    int body = S.loopBound(n);
    int j = 0;
    if (bias == null) {
      for (; j < body; j += L) {
        FloatVector.fromArray(S, x, row + j).add(FloatVector.fromArray(S, r, rRow + j)).intoArray(x, row + j);
      }
    } else {
      for (; j < body; j += L) {
        FloatVector.fromArray(S, x, row + j).add(FloatVector.fromArray(S, bias, biasOff + j))
            .add(FloatVector.fromArray(S, r, rRow + j)).intoArray(x, row + j);
      }
    }
    for (; j < n; j++) {
      float v = bias == null ? x[row + j] : x[row + j] + bias[biasOff + j];
      x[row + j] = v + r[rRow + j];
    }
  }

  @Override
  public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps) {
    forRows(m, n, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        normRow(n, x, off + i * ld, gamma, gammaOff, null, 0, eps, false);
      }
    });
  }

  /** One row of LayerNorm ({@code center}) or RMSNorm; beta may be null (no shift). */
  private static void normRow(int n, float[] x, int row, float[] gamma, int gOff, float[] beta, int bOff, float eps,
      boolean center) {
    int body = S.loopBound(n);
    int j;
    float mean = 0f;
    if (center) {
      FloatVector vs = FloatVector.broadcast(S, 0f);
      for (j = 0; j < body; j += L) {
        vs = vs.add(FloatVector.fromArray(S, x, row + j));
      }
      float s = LaneSums.sum(vs);
      for (; j < n; j++) {
        s += x[row + j];
      }
      mean = s / n;
    }
    FloatVector vmean = FloatVector.broadcast(S, mean);
    FloatVector vq = FloatVector.broadcast(S, 0f);
    FloatVector vc = FloatVector.broadcast(S, 0f);
    for (j = 0; j < body; j += L) {
      FloatVector c = FloatVector.fromArray(S, x, row + j).sub(vmean);
      vq = c.fma(c, vq);
      vc = vc.add(c);
    }
    float q = LaneSums.sum(vq);
    float sc = LaneSums.sum(vc);
    for (; j < n; j++) {
      float c = x[row + j] - mean;
      q = Math.fma(c, c, q);
      sc += c;
    }
    if (center) {
      // Corrected two-pass (Chan, Golub and LeVeque 1983): the float mean of a row far from zero
      // (100 ± 3, say) is off by a few ulps of 100; the centred sum Σc measures that error with
      // small numbers, so mean + Σc/n and Σc² − (Σc)²/n are accurate to the ulps of the spread.
      float delta = sc / n;
      mean += delta;
      q = Math.max(0f, q - sc * delta);
      vmean = FloatVector.broadcast(S, mean);
    }
    float inv = (float) (1.0 / Math.sqrt((double) (q / n) + eps));
    FloatVector vi = FloatVector.broadcast(S, inv);
    if (beta != null) {
      for (j = 0; j < body; j += L) {
        FloatVector c = FloatVector.fromArray(S, x, row + j).sub(vmean).mul(vi);
        c.fma(FloatVector.fromArray(S, gamma, gOff + j), FloatVector.fromArray(S, beta, bOff + j)).intoArray(x, row + j);
      }
      for (; j < n; j++) {
        x[row + j] = Math.fma((x[row + j] - mean) * inv, gamma[gOff + j], beta[bOff + j]);
      }
    } else {
      for (j = 0; j < body; j += L) {
        FloatVector.fromArray(S, x, row + j).mul(vi).mul(FloatVector.fromArray(S, gamma, gOff + j)).intoArray(x, row + j);
      }
      for (; j < n; j++) {
        x[row + j] = x[row + j] * inv * gamma[gOff + j];
      }
    }
  }

  // ---- math kernels: vector and scalar versions of the same formulas --------------------------

  /** {@code x·σ(x) = x / (1 + exp(−x))}. */
  private static FloatVector silu(FloatVector v) {
    return v.div(exp(v.neg()).add(1f));
  }

  static float silu(float v) {
    return v / (exp(-v) + 1f);
  }

  /** exp on every lane, see the class comment. */
  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_LO).min(EXP_HI);
    FloatVector t = xc.fma(LOG2E, ROUND);
    FloatVector k = t.sub(ROUND);
    FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = r.fma(P0, P1);
    p = p.fma(r, FloatVector.broadcast(S, P2));
    p = p.fma(r, FloatVector.broadcast(S, P3));
    p = p.fma(r, FloatVector.broadcast(S, P4));
    p = p.fma(r, FloatVector.broadcast(S, P5));
    FloatVector r2 = r.mul(r);
    p = p.fma(r2, r).add(1f);
    IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
    FloatVector e = p.mul(bits.reinterpretAsFloats());
    VectorMask<Float> under = x.lt(EXP_LO);
    return e.blend(0f, under);
  }

  static float exp(float x) {
    if (x < EXP_LO) {
      return 0f;
    }
    float xc = Math.min(x, EXP_HI);  // NaN stays NaN through min
    float t = Math.fma(xc, LOG2E, ROUND);
    float k = t - ROUND;
    float r = Math.fma(k, -LN2_HI, xc);
    r = Math.fma(k, -LN2_LO, r);
    float p = Math.fma(r, P0, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float r2 = r * r;
    p = Math.fma(p, r2, r) + 1f;
    return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
  }
}
