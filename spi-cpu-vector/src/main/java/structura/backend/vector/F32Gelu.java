package structura.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact (erf) GELU {@code x·Φ(x) = x/2·(1 + erf(x/√2))} of F32 lanes, in one branch-free
 * formula: a rational function times one exp, instead of two blended erf branches.
 *
 * <p><b>Method.</b> With {@code z = min(|x|/√2, 9)}, the lower tail {@code h = Φ(−|x|) = erfc(z)/2}
 * is computed as {@code exp(−z²)·P(z)/Q(z)}, P of degree 4 and Q of degree 5 ({@code Q(0) = 1})
 * fitted to {@code exp(z²)·erfc(z)/2} on [0, 10] for minimal relative error (5.6·10⁻⁹ in exact
 * arithmetic; {@code spi-cpu-vector/src/test/python/fit_gelu_erfc.py}); the exp is
 * {@link F32Exp#expNonPositive} (FMAs and integer adds, no library call). Then
 * {@code Φ(x) = 1 − h} for x ≥ 0 and {@code h} for x &lt; 0, and the result {@code x·Φ(x)}. Because
 * h is computed directly (not as {@code 1 − erf}), the negative side keeps its relative accuracy
 * and the positive side loses nothing to cancellation: {@code 1 − h} with {@code h ≤ ½} is exact or
 * within half an ulp. z is capped at 9 so that h stays a normal float (about 10⁻³⁷; smaller
 * values would be subnormal, which x86 multiplies slowly); beyond, the true GELU differs from
 * {@code x·h(9)} or x by less than 10⁻³⁵. About 30 vector operations including one division,
 * against about 40 and a blend of two branches for N. Juffa's erff that this replaces; measured
 * 2.3 × faster alone on the AVX2 host (docs/performance.md).
 *
 * <p><b>Accuracy</b> (against erf in F64, {@code F32ElementwiseAccuracyTest}, dense grid on
 * [−12, 12]): within 3.8·10⁻⁷ absolute everywhere (Juffa's erff GELU: 4.5·10⁻⁷), which is under
 * 2 ulp of the result for x ≥ 1; under 5 ulp of the result on [−1, 1) (the relative errors of the
 * exp and the rational function, about 2 ulp each, pass into h and so into Φ); for x &lt; −1, where the result is below 0.16 in magnitude, within 6.2·10⁻⁸
 * absolute. Edge cases: NaN gives NaN, ±0 gives ±0, +∞ gives +∞; −∞ gives −∞ (the limit, 0, is
 * not reached by {@code x·h} at a finite h).
 *
 * <p>Tails of rows (fewer than a vector of elements) are computed by the same vector code on a
 * masked load, so an element gets the same bits wherever it falls in a row.
 */
final class F32Gelu {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  /** z cap: exp(−81)·R(9) ≈ 2·10⁻³⁷ is still a normal float. */
  static final float Z_MAX = 9f;
  private static final float RSQRT2 = 0.70710678118654752f;
  // h(z) = exp(−z²)·P(z)/Q(z); see fit_gelu_erfc.py
  private static final float P0 = 0.5000000028099961f;
  private static final float P1 = 0.6187913498500731f;
  private static final float P2 = 0.3653685859191123f;
  private static final float P3 = 0.1144027628181705f;
  private static final float P4 = 0.01635487747620709f;
  private static final float Q1 = 2.365962434955449f;
  private static final float Q2 = 2.4004307032578183f;
  private static final float Q3 = 1.3237501731673986f;
  private static final float Q4 = 0.40557405057281204f;
  private static final float Q5 = 0.05797581777382589f;

  private F32Gelu() {}

  /** GELU of every lane. */
  static FloatVector gelu(FloatVector x) {
    FloatVector z = x.abs().mul(RSQRT2).min(Z_MAX);
    FloatVector e = F32Exp.expNonPositive(z.mul(z).neg());
    FloatVector p = z.fma(P4, P3);
    p = p.fma(z, FloatVector.broadcast(S, P2));
    p = p.fma(z, FloatVector.broadcast(S, P1));
    p = p.fma(z, FloatVector.broadcast(S, P0));
    FloatVector q = z.fma(Q5, Q4);
    q = q.fma(z, FloatVector.broadcast(S, Q3));
    q = q.fma(z, FloatVector.broadcast(S, Q2));
    q = q.fma(z, FloatVector.broadcast(S, Q1));
    q = q.fma(z, FloatVector.broadcast(S, 1f));
    FloatVector h = e.mul(p).div(q);
    // Φ(x): h below zero, 1 − h from zero up (−0 included, so GELU(−0) = −0·½ = −0)
    FloatVector phi = h.neg().add(1f).blend(h, x.lt(0f));
    return x.mul(phi);
  }

  /** GELU in place on {@code x[from, from + count)}, with a masked vector for the last partial one. */
  static void geluInPlace(float[] x, int from, int count) {
    int body = S.loopBound(count);
    int j = 0;
    for (; j < body; j += S.length()) {
      gelu(FloatVector.fromArray(S, x, from + j)).intoArray(x, from + j);
    }
    if (j < count) {
      VectorMask<Float> m = S.indexInRange(j, count);
      gelu(FloatVector.fromArray(S, x, from + j, m)).intoArray(x, from + j, m);
    }
  }

  /**
   * {@code x ← gelu(fl(x + bias))} on {@code x[from, from + count)} with {@code bias[biasFrom, …)},
   * with a masked vector for the last partial one.
   */
  static void biasGeluInPlace(float[] x, int from, int count, float[] bias, int biasFrom) {
    int body = S.loopBound(count);
    int j = 0;
    for (; j < body; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, from + j).add(FloatVector.fromArray(S, bias, biasFrom + j));
      gelu(v).intoArray(x, from + j);
    }
    if (j < count) {
      VectorMask<Float> m = S.indexInRange(j, count);
      FloatVector v = FloatVector.fromArray(S, x, from + j, m).add(FloatVector.fromArray(S, bias, biasFrom + j, m));
      gelu(v).intoArray(x, from + j, m);
    }
  }
}
