package structura.backend.vector;

/**
 * The points of one Gaussian kernel product prepared for the dot-product form of the exponent,
 * and the test that decides whether that form is accurate enough for them.
 *
 * <p><b>The form.</b> With every point shifted by the bounding-box centre c of targets and
 * sources (e = p − c, which changes no distance) and κ = log₂e/2,
 * <pre>exp(−‖x_i − y_j‖²/2) = 2^(a_i + s_ij),   s_ij = b_j + Σ_t x̃_it·e_jt,
 * a_i = −κ‖e_i‖²,  b_j = −κ‖e_j‖²,  x̃_i = log₂e·e_i,</pre>
 * so a kernel value costs one FMA per coordinate (s is already the exponent of 2: no multiply by
 * log₂e, no subtraction per coordinate) and 2^(a_i) is applied once per target: to its row sum,
 * and folded into its weight w_i = 2^(a_i)·v_i in the symmetric path's column sums. Coordinates
 * are padded to {@value #DIMS} with zeros, which add exactly nothing (fma(0, 0, s) = s).
 *
 * <p><b>Range.</b> With A = max over all points of κ‖e‖² ≤ {@value #MAX_A}: −4A ≤ a + s ≤ 0 in
 * exact arithmetic (‖x − y‖ ≤ ‖e_x‖ + ‖e_y‖) and a ≥ −A, so s ∈ [−4A, A] up to rounding: inside the
 * range where the polynomial 2^y of {@link F32Exp} is exact in its exponent without the clamp at −125.
 *
 * <p><b>Accuracy; why the test.</b> The terms of s cancel: b is as large as A, the dot product
 * as large as 2A, s itself near −A... 0 for near pairs. Rounding the stored b and x̃ and the
 * three FMAs (partial sums up to 2A) gives an absolute error of at most ≈ 10·u·A in s (u = 2⁻²⁴),
 * hence a relative error of at most ln2·10·u·A ≈ 6.9·u·A in the kernel value, whatever the
 * distance r of the pair. Rounding the centred points e = fl(p − c) moves each point by at most
 * u·‖e‖, a relative error of at most 4·ln2·u·r·√(κA) ≈ 2.8·u·r·√(κA) in the value: proportional
 * to r, like the difference form's own error (≈ 1.4·u·κr², from rounding the differences), and
 * as large as that only for the farthest pairs. The r-independent part is what is new, largest
 * relative to the value for near pairs. So the dot form is used only when A ≤ {@value #MAX_A}
 * (worst case 110·u ≈ 6.6·10⁻⁶; {@code F32GaussianDotFormTest} checks every value of data at the
 * limit against this bound) and when there are at least {@value #MIN_SOURCES} sources, so that
 * this worst case stays below the F32 conformance tolerance 2·(n + 2d + 12)·u (≥ 152·u there) of
 * a sum over the n sources. Otherwise the caller keeps the difference form ({@link F32GaussianBlock}). The choice depends on the data and the
 * sizes only, never on the thread count, so results stay bit-identical for any thread count.
 * Unit-cube data at lengthscale 0.2 (a cube of side 5 in scaled units) has A ≤ 3·2.5²·κ = 13.5.
 */
final class F32GaussianDotForm {
  /** Coordinates per point in the prepared arrays (d ≤ 3; missing ones are 0). */
  static final int DIMS = 3;
  /** The largest A = max κ‖p − c‖² for which the dot form is used (see the class comment). */
  static final double MAX_A = 16;
  /** Fewer sources than this keep the difference form (see the class comment). */
  static final int MIN_SOURCES = 64;
  private static final double LOG2E = 1.4426950408889634;
  private static final double KAPPA = LOG2E / 2;
  private static final double LN2 = 0.6931471805599453;
  /** 1/k! for k = 0..11 (each k! is exact in F64, so each entry is one correctly rounded division). */
  private static final double[] INVERSE_FACTORIALS = new double[12];

  static {
    double factorial = 1;
    for (int k = 0; k < INVERSE_FACTORIALS.length; k++) {
      factorial *= Math.max(k, 1);
      INVERSE_FACTORIALS[k] = 1 / factorial;
    }
  }

  /** Sources, (DIMS + 1) rows of nPad floats: e_j0, e_j1, e_j2, then b_j; padding all zeros. */
  final float[] sources;
  /** Targets, DIMS floats each: x̃_i = log₂e·e_i. */
  final float[] targets;
  /** 2^(a_i) per target. */
  final float[] scales;

  private F32GaussianDotForm(float[] sources, float[] targets, float[] scales) {
    this.sources = sources;
    this.targets = targets;
    this.scales = scales;
  }

  /**
   * The prepared points, or null when the dot form would not be accurate enough (d &gt; {@value
   * #DIMS}, n &lt; {@value #MIN_SOURCES}, A &gt; {@value #MAX_A}, or non-finite coordinates). x: m
   * targets (row stride ldx), y: n sources (ldy); both may be the same array. Cost O((m + n)·d).
   */
  static F32GaussianDotForm prepareIfAccurate(int m, int n, int nPad, int d, float[] x, int xOff, int ldx, float[] y, int yOff,
      int ldy) {
    if (d > DIMS || n < MIN_SOURCES) {
      return null;
    }
    float[] centre = new float[d];
    for (int t = 0; t < d; t++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < m; i++) {
        float p = x[xOff + i * ldx + t];
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      for (int j = 0; j < n; j++) {
        float p = y[yOff + j * ldy + t];
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      if (!(hi - lo < Double.POSITIVE_INFINITY)) {
        return null;  // NaN or infinite coordinates: the difference form propagates them as before
      }
      centre[t] = (float) ((lo + hi) / 2);
    }
    float[] sources = new float[(DIMS + 1) * nPad];
    for (int j = 0; j < n; j++) {
      double norm2 = 0;
      for (int t = 0; t < d; t++) {
        float e = y[yOff + j * ldy + t] - centre[t];
        sources[t * nPad + j] = e;
        norm2 += (double) e * e;
      }
      if (KAPPA * norm2 > MAX_A) {
        return null;
      }
      sources[DIMS * nPad + j] = (float) (-KAPPA * norm2);
    }
    float[] targets = new float[m * DIMS];
    float[] scales = new float[m];
    for (int i = 0; i < m; i++) {
      double norm2 = 0;
      for (int t = 0; t < d; t++) {
        float e = x[xOff + i * ldx + t] - centre[t];
        targets[i * DIMS + t] = (float) (LOG2E * e);
        norm2 += (double) e * e;
      }
      if (KAPPA * norm2 > MAX_A) {
        return null;
      }
      scales[i] = (float) twoToThe(-KAPPA * norm2);
    }
    return new F32GaussianDotForm(sources, targets, scales);
  }

  /**
   * 2^a in F64 for |a| ≤ 2⁵⁰, to about 10⁻¹⁵ relative (far below the F32 result's rounding):
   * 2^a = 2ⁿ·e^(f·ln2), n = rint(a), |f| ≤ ½, e^x by its Taylor polynomial to degree 11 (remainder
   * ≤ 0.35¹²/12! ≈ 6·10⁻¹⁵). Not {@code StrictMath.pow} (about 150 ns, 10 % of a small FKT
   * near-field block's time at one call per target) and not {@code Math.pow} (an intrinsic
   * whose last bit may depend on the JIT tier): only exactly rounded operations, so the same
   * bits everywhere.
   */
  static double twoToThe(double a) {
    double n = Math.rint(a);
    double x = (a - n) * LN2;
    double p = INVERSE_FACTORIALS[11];
    for (int k = 10; k >= 0; k--) {
      p = p * x + INVERSE_FACTORIALS[k];
    }
    return Math.scalb(p, (int) n);
  }
}
