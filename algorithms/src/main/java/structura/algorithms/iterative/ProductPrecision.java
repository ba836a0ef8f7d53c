package structura.algorithms.iterative;

/**
 * The number format operator products are rounded to, to run (or emulate) a solver whose
 * matrix-vector products are done in low precision, as in Maddox, Potapczynski and Wilson,
 * "Low-precision arithmetic for fast Gaussian processes" (UAI 2022).
 *
 * <p>A product in format f is {@code round_f(A·round_f(x))}: the input block is stored in f before
 * the product and the output is stored in f after it, which is what a half-precision GEMM with
 * half-precision operands and output does. Unit roundoff u: F64 2⁻⁵³, F32 2⁻²⁴, FP16 2⁻¹¹, BF16
 * 2⁻⁸. FP16 has a tiny range (largest finite 65504), so each column is scaled by a power of two
 * to a largest magnitude of about 1 before rounding (as the paper scales by 1/√n before casting);
 * a power of two makes the scaling exact.
 */
public enum ProductPrecision {
  /** No rounding (the operator's own arithmetic). */
  F64,
  /** IEEE binary32 storage: u = 2⁻²⁴. */
  F32,
  /** IEEE binary16 (half) storage: u = 2⁻¹¹, range ±65504. */
  FP16,
  /** bfloat16 storage (8 significand bits, float's exponent range): u = 2⁻⁸. */
  BF16;

  /** Rounds {@code v} to this format (round to nearest even); FP16 values beyond its range become ±Inf. */
  public double round(double v) {
    return switch (this) {
      case F64 -> v;
      case F32 -> (float) v;
      case FP16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
      case BF16 -> roundBf16((float) v);
    };
  }

  private static float roundBf16(float f) {
    if (Float.isNaN(f)) {
      return f;
    }
    int bits = Float.floatToRawIntBits(f);
    int lsb = (bits >>> 16) & 1;
    bits += 0x7FFF + lsb;
    return Float.intBitsToFloat(bits & 0xFFFF0000);
  }

  /** Rounds every entry of the column-major-agnostic row-major n×k block in place, column-scaled for FP16. */
  void roundBlock(double[] block, int n, int k) {
    if (this == F64) {
      return;
    }
    for (int j = 0; j < k; j++) {
      double scale = 1;
      if (this == FP16) {
        double max = 0;
        for (int i = 0; i < n; i++) {
          max = Math.max(max, Math.abs(block[i * k + j]));
        }
        scale = max > 0 && Double.isFinite(max) ? Math.scalb(1.0, Math.getExponent(max)) : 1;
      }
      for (int i = 0; i < n; i++) {
        block[i * k + j] = round(block[i * k + j] / scale) * scale;
      }
    }
  }
}
