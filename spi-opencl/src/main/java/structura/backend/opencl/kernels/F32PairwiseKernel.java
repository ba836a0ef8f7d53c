package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision kernel-matrix products without forming the matrix (KeOps-style):
 * {@code O = σ²·(K̃(X, Y)·V) + beta·O} with {@code K̃_ij = κ(‖x_i − y_j‖²)/σ²}, X m×d targets,
 * Y n×d sources, V n×k, O m×k, row-major with leading dimensions; the radial function is chosen
 * by a {@link RadialKernelCode}.
 *
 * <p><b>Launch.</b> A 2-D range {@code (⌈m/wg⌉·wg, ⌈k/4⌉)} of {@code (wg, 1)} work-groups:
 * work-item (i, q) owns target i and the right-hand sides 4q..4q+3, kept in four registers, so
 * each kernel value it computes feeds up to four multiply-adds and K̃ is evaluated ⌈k/4⌉ times
 * per entry (once for the common k ≤ 4). The work-items of a group share each source index j at
 * the same time, so their loads of y_j and v_j hit one address (a broadcast on a GPU, one cache
 * line on a CPU). Each work-item sums its sources in index order, so results do not depend on
 * the device's scheduling.
 *
 * <p><b>Cost.</b> ⌈k/4⌉·m·n·(3d + c_κ) + 2·m·n·k flops; no scratch memory, no m×n storage.
 * Squared distances are summed from exact differences (no ‖x‖² + ‖y‖² − 2x·y cancellation).
 * Only O is written; with beta = 0 it is not read.
 *
 * <p>{@link F64PairwiseKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32PairwiseKernel extends PinnedKernel {
  /** Targets; set per launch. */
  float[] x;
  /** Sources; set per launch. */
  float[] y;
  /** Vectors; set per launch. */
  float[] v;
  /** Output; set per launch. */
  float[] o;
  /** Kernel variance σ², applied once per output. */
  float variance;
  /** Rational-quadratic shape α. */
  float shape;
  /** Scalar. */
  float beta;
  /** The radial function, a {@link RadialKernelCode}. */
  int kind;
  /** Shape. */
  int m;
  /** Shape. */
  int n;
  /** Shape. */
  int d;
  /** Shape. */
  int k;
  /** Layout of X. */
  int xOff;
  /** Layout of X. */
  int ldx;
  /** Layout of Y. */
  int yOff;
  /** Layout of Y. */
  int ldy;
  /** Layout of V. */
  int vOff;
  /** Layout of V. */
  int ldv;
  /** Layout of O. */
  int oOff;
  /** Layout of O. */
  int ldo;

  /** @param device the pinned OpenCL device */
  public F32PairwiseKernel(Device device) {
    super(device);
  }

  /**
   * Binds the operands of one launch, as documented on the class. The caller holds this
   * kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int kind, float variance, float shape, int m, int n, int d, int k,
      float[] x, int xOff, int ldx, float[] y, int yOff, int ldy, float[] v, int vOff, int ldv,
      float beta, float[] o, int oOff, int ldo) {
    this.kind = kind;
    this.variance = variance;
    this.shape = shape;
    this.m = m;
    this.n = n;
    this.d = d;
    this.k = k;
    this.x = x;
    this.xOff = xOff;
    this.ldx = ldx;
    this.y = y;
    this.yOff = yOff;
    this.ldy = ldy;
    this.v = v;
    this.vOff = vOff;
    this.ldv = ldv;
    this.beta = beta;
    this.o = o;
    this.oOff = oOff;
    this.ldo = ldo;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    x = null;
    y = null;
    v = null;
    o = null;
  }

  @Override
  public void run() {
    int i = getGlobalId(0);
    int c0 = getGlobalId(1) * 4;
    if (i < m) {
      int xi = xOff + i * ldx;
      // columns past k read column c0 again (always valid) and are never stored, which keeps
      // the inner loop free of bounds checks
      int c1 = min(c0 + 1, k - 1);
      int c2 = min(c0 + 2, k - 1);
      int c3 = min(c0 + 3, k - 1);
      float acc0 = 0f;
      float acc1 = 0f;
      float acc2 = 0f;
      float acc3 = 0f;
      for (int j = 0; j < n; j++) {
        int yj = yOff + j * ldy;
        float r2 = 0f;
        for (int t = 0; t < d; t++) {
          float e = x[xi + t] - y[yj + t];
          r2 += e * e;
        }
        float kij = radial(r2);
        int vj = vOff + j * ldv;
        acc0 += kij * v[vj + c0];
        acc1 += kij * v[vj + c1];
        acc2 += kij * v[vj + c2];
        acc3 += kij * v[vj + c3];
      }
      int oi = oOff + i * ldo;
      store(oi + c0, acc0);
      if (c0 + 1 < k) {
        store(oi + c0 + 1, acc1);
      }
      if (c0 + 2 < k) {
        store(oi + c0 + 2, acc2);
      }
      if (c0 + 3 < k) {
        store(oi + c0 + 3, acc3);
      }
    }
  }

  /** κ(r)/σ² at r² = {@code r2}, for the bound kind. LAPLACE is exactly 0 at r = 0. */
  private float radial(float r2) {
    float out = 0f;
    if (kind == RadialKernelCode.GAUSSIAN) {
      out = exp(-r2 / 2);
    } else if (kind == RadialKernelCode.EXPONENTIAL) {
      out = exp(-sqrt(r2));
    } else if (kind == RadialKernelCode.MATERN_32) {
      float s = sqrt(3 * r2);
      out = (1 + s) * exp(-s);
    } else if (kind == RadialKernelCode.MATERN_52) {
      float s = sqrt(5 * r2);
      out = (1 + s + s * s / 3) * exp(-s);
    } else if (kind == RadialKernelCode.RATIONAL_QUADRATIC) {
      out = pow(1 + r2 / (2 * shape), -shape);
    } else if (kind == RadialKernelCode.CAUCHY) {
      out = 1 / (1 + r2);
    } else if (r2 > 0f) {
      out = 1 / sqrt(r2);  // LAPLACE; the r = 0 self-interaction stays 0
    }
    return out;
  }

  /** O[oi] ← σ²·acc + beta·O[oi], not reading O when beta = 0 (it may hold NaN by contract). */
  private void store(int oi, float acc) {
    float value = variance * acc;
    if (beta != 0f) {
      value = value + beta * o[oi];
    }
    o[oi] = value;
  }
}
