package structura.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and 2^y of non-positive F32 lanes from lane-wise FMAs, adds and integer ops only, so C2
 * compiles them to straight-line vector code that keeps the caller's accumulators in registers
 * (the SVML {@code VectorOperators.EXP} stub is a call that spills them), and so the interpreter's
 * and C1's per-lane fallback and C2's code compute the same bits (every step is exactly rounded
 * IEEE arithmetic; no transcendental intrinsic whose last bit depends on the JIT tier).
 *
 * <p>Method, for y ≤ 0: clamp y to ≥ {@value #MIN_EXPONENT} (so 2ⁿ below stays a normal number);
 * n = round(y) by adding and subtracting 1.5·2²³ (round to nearest even, exact for |y| &lt; 2²²);
 * f = y − n ∈ [−½, ½], exact; 2^f by a degree-5 polynomial (Horner, 5 FMAs) fitted for minimal
 * relative error on [−½, ½] (7.5·10⁻⁸ in exact arithmetic); the result 2^f·2ⁿ by adding n to the
 * exponent field: the rounding sum t = y + 1.5·2²³ holds n in its low mantissa bits, so
 * {@code bits(t) << 23} is n·2²³ modulo 2³², added to {@code bits(2^f)} as integers. 12 vector
 * operations for exp (one multiply by log₂e included), 11 for 2^y.
 *
 * <p>Accuracy (tested against {@code Math.exp} in F64 by {@code F32ExpTest}): 2^y is within
 * 2.5·10⁻⁷ relative (about 2 ulp) for every y in [−125, 0]. exp(x) = 2^(x·log₂e) adds the rounding
 * of x·log₂e, a relative error of at most |x|·1.2·10⁻⁷ in the result: the same size as the error
 * that rounding x itself to F32 causes, so inherent to an F32 argument (≤ 1.5·10⁻⁶ for x ≥ −12,
 * i.e. for kernel values ≥ 6·10⁻⁶). Below the clamp (y &lt; −125, x &lt; −86.6) the result is
 * 2⁻¹²⁵ ≈ 2.4·10⁻³⁸ instead of a subnormal or 0: an absolute error under 3·10⁻³⁸.
 */
final class F32Exp {
  private static final VectorSpecies<Float> S = Simd.FLOAT;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
  /** log₂e rounded to F32. */
  static final float LOG2E = 1.44269504f;
  /** The smallest exponent computed exactly; smaller ones are clamped to it. */
  static final float MIN_EXPONENT = -125f;
  /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer, kept in the low mantissa bits. */
  static final float ROUND = 0x1.8p23f;
  // (ROUND and C1..C5 are package-private: F32GaussianDotBlock repeats these steps inline)
  // 2^f ≈ 1 + C1·f + C2·f² + C3·f³ + C4·f⁴ + C5·f⁵ on [−½, ½], least-relative-error fit
  // (Lawson iteration in NumPy, coefficients rounded to F32; see F32ExpTest for the measured error)
  static final float C1 = 0.6931469440460205f;
  static final float C2 = 0.24022120237350464f;
  static final float C3 = 0.05550713464617729f;
  static final float C4 = 0.009675538167357445f;
  static final float C5 = 0.001327644451521337f;

  static {
    // Both reinterpretations once, now: each species builds its "dummy vector" lazily on first
    // use, and C2 intrinsifies a reinterpretation only when that field is already set (a JIT
    // constant); compiled before that, every call would box its vectors.
    FloatVector.zero(S).reinterpretShape(I, 0).reinterpretShape(S, 0);
  }

  private F32Exp() {}

  /** exp(x) lane-wise for x ≤ 0 (clamped below at −86.6, see the class comment). */
  static FloatVector expNonPositive(FloatVector x) {
    return exp2NonPositive(x.mul(LOG2E));
  }

  /** 2^y lane-wise for y ≤ 0 (clamped below at {@value #MIN_EXPONENT}). */
  static FloatVector exp2NonPositive(FloatVector y) {
    FloatVector yc = y.max(MIN_EXPONENT);
    FloatVector t = yc.add(ROUND);
    FloatVector f = yc.sub(t.sub(ROUND));
    // Horner, not Estrin's scheme: Estrin measured 11 % faster alone (3 FMA latencies instead of
    // 5), but its extra nodes pushed a two-target kernel block over C2's inlining node budget
    // (see F32GaussianBlock), which then boxed every vector
    FloatVector p = f.fma(C5, C4);
    p = p.fma(f, FloatVector.broadcast(S, C3));
    p = p.fma(f, FloatVector.broadcast(S, C2));
    p = p.fma(f, FloatVector.broadcast(S, C1));
    p = p.fma(f, FloatVector.broadcast(S, 1f));
    // reinterpretShape to a constant species: reinterpretAsInts() derives the species at run time
    IntVector scaled = ((IntVector) t.reinterpretShape(I, 0)).lanewise(VectorOperators.LSHL, 23).add((IntVector) p.reinterpretShape(I, 0));
    return (FloatVector) scaled.reinterpretShape(S, 0);
  }
}
