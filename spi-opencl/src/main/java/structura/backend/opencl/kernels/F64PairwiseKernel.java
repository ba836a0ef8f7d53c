package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Double-precision kernel-matrix products without forming the matrix (KeOps-style):
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
 * <p>Generated from {@code F32PairwiseKernel.java} by {@code F64SourceGenerator}: do not edit.
 */
public final class F64PairwiseKernel extends PinnedKernel {
  /** Targets; set per launch. */
  double[] x;
  /** Sources; set per launch. */
  double[] y;
  /** Vectors; set per launch. */
  double[] v;
  /** Output; set per launch. */
  double[] o;
  /** Kernel variance σ², applied once per output. */
  double variance;
  /** Rational-quadratic shape α. */
  double shape;
  /** Scalar. */
  double beta;
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
  public F64PairwiseKernel(Device device) {
    super(device);
  }

  /**
   * Binds the operands of one launch, as documented on the class. The caller holds this
   * kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(int kind, double variance, double shape, int m, int n, int d, int k,
      double[] x, int xOff, int ldx, double[] y, int yOff, int ldy, double[] v, int vOff, int ldv,
      double beta, double[] o, int oOff, int ldo) {
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
      double acc0 = 0.0;
      double acc1 = 0.0;
      double acc2 = 0.0;
      double acc3 = 0.0;
      for (int j = 0; j < n; j++) {
        int yj = yOff + j * ldy;
        double r2 = 0.0;
        for (int t = 0; t < d; t++) {
          double e = x[xi + t] - y[yj + t];
          r2 += e * e;
        }
        double kij = radial(r2);
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
  private double radial(double r2) {
    double out = 0.0;
    if (kind == RadialKernelCode.GAUSSIAN) {
      out = exp(-r2 / 2);
    } else if (kind == RadialKernelCode.EXPONENTIAL) {
      out = exp(-sqrt(r2));
    } else if (kind == RadialKernelCode.MATERN_32) {
      double s = sqrt(3 * r2);
      out = (1 + s) * exp(-s);
    } else if (kind == RadialKernelCode.MATERN_52) {
      double s = sqrt(5 * r2);
      out = (1 + s + s * s / 3) * exp(-s);
    } else if (kind == RadialKernelCode.RATIONAL_QUADRATIC) {
      out = pow(1 + r2 / (2 * shape), -shape);
    } else if (kind == RadialKernelCode.CAUCHY) {
      out = 1 / (1 + r2);
    } else if (r2 > 0.0) {
      out = 1 / sqrt(r2);  // LAPLACE; the r = 0 self-interaction stays 0
    }
    return out;
  }

  /** O[oi] ← σ²·acc + beta·O[oi], not reading O when beta = 0 (it may hold NaN by contract). */
  private void store(int oi, double acc) {
    double value = variance * acc;
    if (beta != 0.0) {
      value = value + beta * o[oi];
    }
    o[oi] = value;
  }
}
