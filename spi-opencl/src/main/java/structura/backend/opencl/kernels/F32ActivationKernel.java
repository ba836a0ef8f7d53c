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
public final class F32ActivationKernel extends PinnedKernel {
  /** Operation code: exact GELU. */
  public static final int GELU = 0;
  /** Operation code: SiLU. */
  public static final int SILU = 1;
  /** Operation code: SwiGLU. */
  public static final int SWIGLU = 2;

  /** The block, in and out (the gate for SwiGLU); set per launch. */
  float[] x;
  /** The up projection for SwiGLU, a 1-element placeholder otherwise; set per launch. */
  float[] up;
  /** {@link #GELU}, {@link #SILU} or {@link #SWIGLU}. */
  int op;
  /** Rows. */
  int m;
  /** Columns. */
  int n;
  /** Layout of x. */
  int off;
  /** Layout of x. */
  int ld;
  /** Layout of up. */
  int upOff;
  /** Layout of up. */
  int ldUp;

  /**
   * Stands in for an absent optional operand: Aparapi binds every array field a kernel reads on
   * each launch, and the kernel reads this one only when its flag says so. Never written.
   */
  private final float[] absent = new float[1];

  /** @param device the pinned OpenCL device */
  public F32ActivationKernel(Device device) {
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

  /**
   * Binds the operands of one launch: operation {@code op} on the m×n block of x at {@code off};
   * {@code up} is the SwiGLU up projection and ignored (may be null) for the other operations.
   * The caller holds this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int op, int m, int n, float[] x, int off, int ld, float[] up, int upOff, int ldUp) {
    this.op = op;
    this.m = m;
    this.n = n;
    this.x = x;
    this.off = off;
    this.ld = ld;
    this.up = op == SWIGLU ? up : absent;
    this.upOff = op == SWIGLU ? upOff : 0;
    this.ldUp = op == SWIGLU ? ldUp : 0;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    up = null;
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
