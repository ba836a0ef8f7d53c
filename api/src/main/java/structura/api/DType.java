package structura.api;

/**
 * Element type of a {@link Matrix} or operator: IEEE-754 single ({@link #F32}, backed by
 * {@code float[]}) or double ({@link #F64}, backed by {@code double[]}) precision.
 */
public enum DType {
  /** 32-bit IEEE-754 binary32, stored in {@code float[]}. */
  F32(Float.BYTES, Math.ulp(1.0f) / 2),
  /** 64-bit IEEE-754 binary64, stored in {@code double[]}. */
  F64(Double.BYTES, Math.ulp(1.0) / 2);

  private final int bytes;
  private final double unitRoundoff;

  DType(int bytes, double unitRoundoff) {
    this.bytes = bytes;
    this.unitRoundoff = unitRoundoff;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /**
   * Unit roundoff u = 2<sup>-24</sup> for F32 and 2<sup>-53</sup> for F64: the bound on the
   * relative error of one rounded operation, used to scale numerical tolerances.
   */
  public double unitRoundoff() {
    return unitRoundoff;
  }
}
