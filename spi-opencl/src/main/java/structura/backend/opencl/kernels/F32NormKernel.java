package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * LayerNorm ({@code rms == 0}: {@code x ← (x − μ)/√(σ² + eps) ∘ gamma + beta}) or RMSNorm
 * ({@code rms == 1}: {@code x ← x/√(mean(x²) + eps) ∘ gamma}) of every row, in place.
 *
 * <p><b>Layout.</b> One work-group of {@code wg} work-items per row (range {@code rows·wg}),
 * strided along the row, two reductions in local memory by halving: the sum (skipped for RMSNorm,
 * whose "mean" is 0), then the sum of squared deviations from the mean. Two passes rather than
 * {@code E[x²] − E[x]²} because the one-pass variance cancels catastrophically for rows with a
 * large mean (a LayerNorm input of 100 ± 3 loses all its digits in float). One kernel for both
 * norms: the flag only selects operands, every work-item runs the same barriers, which must stay
 * outside branches on POCL 3.1 (see {@link F32GemvKernel}). {@code wg} must be a power of two.
 *
 * <p><b>Cost.</b> about 6·m·n flops, x read three times and written once.
 */
public final class F32NormKernel extends PinnedKernel {
  /** Work-group size, a power of two. */
  public final int wg;
  @Local final float[] scratch;

  /** The block, in and out; set per launch. */
  float[] x;
  /** Per-column scale; set per launch. */
  float[] gamma;
  /** Per-column shift, or a 1-element placeholder for RMSNorm; set per launch. */
  float[] beta;
  /** 1 for RMSNorm, 0 for LayerNorm. */
  int rms;
  /** Added to the variance (mean square) before the square root. */
  float eps;
  /** Columns. */
  int n;
  /** Layout of x: first element of this launch's first row. */
  int off;
  /** Layout of x. */
  int ld;
  /** Offset of gamma. */
  int gammaOff;
  /** Offset of beta. */
  int betaOff;

  /**
   * Stands in for an absent optional operand: Aparapi binds every array field a kernel reads on
   * each launch, and the kernel reads this one only when its flag says so. Never written.
   */
  private final float[] absent = new float[1];

  /**
   * @param device the pinned OpenCL device
   * @param wg work-group size, a power of two within the device limit
   */
  public F32NormKernel(Device device, int wg) {
    super(device);
    this.wg = wg;
    this.scratch = new float[2 * wg];  // second half: the centred sums of the correction
  }

  /**
   * Binds the operands of one launch: rows of n columns from {@code off} on (one work-group per
   * row, so the launch's range sets how many), normalised with {@code gamma} and, for LayerNorm,
   * shifted by {@code beta}; {@code beta} is ignored (may be null) when {@code rms}. The caller
   * holds this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(boolean rms, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta,
      int betaOff, float eps) {
    this.rms = rms ? 1 : 0;
    this.n = n;
    this.x = x;
    this.off = off;
    this.ld = ld;
    this.gamma = gamma;
    this.gammaOff = gammaOff;
    this.beta = rms ? absent : beta;
    this.betaOff = rms ? 0 : betaOff;
    this.eps = eps;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    gamma = null;
    beta = null;
  }

  @Override
  public void run() {
    int xr = off + getGroupId(0) * ld;
    float s = 0f;
    if (rms == 0) {
      for (int j = getLocalId(0); j < n; j += wg) {
        s += x[xr + j];
      }
    }
    scratch[getLocalId(0)] = s;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (getLocalId(0) < h) {
        scratch[getLocalId(0)] = scratch[getLocalId(0)] + scratch[getLocalId(0) + h];
      }
      localBarrier();
    }
    float mean = scratch[0] / n;
    localBarrier();  // every work-item has read the sum before scratch is reused
    float q = 0f;
    float sc = 0f;
    for (int j = getLocalId(0); j < n; j += wg) {
      float c = x[xr + j] - mean;
      q += c * c;
      sc += c;
    }
    scratch[getLocalId(0)] = q;
    scratch[wg + getLocalId(0)] = sc;
    localBarrier();
    for (int h = wg / 2; h > 0; h = h / 2) {
      if (getLocalId(0) < h) {
        scratch[getLocalId(0)] = scratch[getLocalId(0)] + scratch[getLocalId(0) + h];
        scratch[wg + getLocalId(0)] = scratch[wg + getLocalId(0)] + scratch[wg + getLocalId(0) + h];
      }
      localBarrier();
    }
    // Corrected two-pass (Chan, Golub and LeVeque 1983): the float mean of a row far from zero is
    // off by a few ulps of its magnitude; Σc measures that error with small numbers. For RMSNorm
    // the "mean" is 0 and Σc is not used.
    float delta = 0f;
    if (rms == 0) {
      delta = scratch[wg] / n;
    }
    mean = mean + delta;
    float var = scratch[0] / n - delta * delta;
    if (var < 0f) {
      var = 0f;
    }
    // sqrt and a true division rather than rsqrt: OpenCL allows rsqrt an error of 2 ulp
    float inv = 1f / sqrt(var + eps);
    for (int j = getLocalId(0); j < n; j += wg) {
      float v = (x[xr + j] - mean) * inv * gamma[gammaOff + j];
      if (rms == 0) {
        v = v + beta[betaOff + j];
      }
      x[xr + j] = v;
    }
  }
}
