package structura.backend.opencl;

import structura.api.backend.Level1Routine;
import structura.backend.opencl.kernels.F32AxpyKernel;
import structura.backend.opencl.kernels.F32DotKernel;
import structura.backend.opencl.kernels.F32ScalKernel;
import structura.backend.opencl.kernels.F64AxpyKernel;
import structura.backend.opencl.kernels.F64DotKernel;
import structura.backend.opencl.kernels.F64ScalKernel;

/**
 * Level-1 routines of the {@code opencl} backend, in F32 and F64. axpy and scal run one
 * work-item per element. dot runs in two stages: at most {@link #DOT_GROUPS} work-groups each
 * reduce a strided share of the products in local memory, and the host adds their partial sums
 * in group order (so the result does not depend on timing). Cost 2·n flops each; the vectors are
 * copied to the device and back on every call, so these pay off only inside larger work.
 */
final class OpenClLevel1 implements Level1Routine {
  /** At most this many work-groups in the first stage of dot; the host adds their partial sums. */
  static final int DOT_GROUPS = 64;

  private final OpenClLauncher launcher;
  private final int wg;
  private final F32DotKernel f32Dot;
  private final F32AxpyKernel f32Axpy;
  private final F32ScalKernel f32Scal;
  /** Null without fp64, like the other F64 kernels. */
  private final F64DotKernel f64Dot;
  private final F64AxpyKernel f64Axpy;
  private final F64ScalKernel f64Scal;

  /** @param wg work-group size, a power of two within the device's limit */
  OpenClLevel1(OpenClLauncher launcher, int wg) {
    this.launcher = launcher;
    this.wg = wg;
    this.f32Dot = launcher.own(new F32DotKernel(launcher.device(), wg));
    this.f32Axpy = launcher.own(new F32AxpyKernel(launcher.device()));
    this.f32Scal = launcher.own(new F32ScalKernel(launcher.device()));
    boolean fp64 = launcher.fp64();
    this.f64Dot = fp64 ? launcher.own(new F64DotKernel(launcher.device(), wg)) : null;
    this.f64Axpy = fp64 ? launcher.own(new F64AxpyKernel(launcher.device())) : null;
    this.f64Scal = fp64 ? launcher.own(new F64ScalKernel(launcher.device())) : null;
  }

  private int dotGroups(int n) {
    return Math.max(1, Math.min(DOT_GROUPS, (n + wg - 1) / wg));
  }

  @Override
  public float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    F32DotKernel g = f32Dot;
    int groups = dotGroups(n);
    float[] partial = new float[groups];
    synchronized (g) {
      g.bind(n, x, xOff, incX, y, yOff, incY, partial);
      try {
        launcher.launch(g, launcher.groups(groups, wg), "sdot");
      } finally {
        g.unbind();
      }
    }
    float sum = 0f;
    for (float p : partial) {
      sum += p;
    }
    return sum;
  }

  @Override
  public double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    launcher.requireFp64("ddot");
    F64DotKernel g = f64Dot;
    int groups = dotGroups(n);
    double[] partial = new double[groups];
    synchronized (g) {
      g.bind(n, x, xOff, incX, y, yOff, incY, partial);
      try {
        launcher.launch(g, launcher.groups(groups, wg), "ddot");
      } finally {
        g.unbind();
      }
    }
    double sum = 0;
    for (double p : partial) {
      sum += p;
    }
    return sum;
  }

  @Override
  public void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    F32AxpyKernel g = f32Axpy;
    synchronized (g) {
      g.bind(n, alpha, x, xOff, incX, y, yOff, incY);
      try {
        launcher.launch(g, launcher.range1(n, wg), "saxpy");
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    launcher.requireFp64("daxpy");
    F64AxpyKernel g = f64Axpy;
    synchronized (g) {
      g.bind(n, alpha, x, xOff, incX, y, yOff, incY);
      try {
        launcher.launch(g, launcher.range1(n, wg), "daxpy");
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void sscal(int n, float alpha, float[] x, int xOff, int incX) {
    F32ScalKernel g = f32Scal;
    synchronized (g) {
      g.bind(n, alpha, x, xOff, incX);
      try {
        launcher.launch(g, launcher.range1(n, wg), "sscal");
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void dscal(int n, double alpha, double[] x, int xOff, int incX) {
    launcher.requireFp64("dscal");
    F64ScalKernel g = f64Scal;
    synchronized (g) {
      g.bind(n, alpha, x, xOff, incX);
      try {
        launcher.launch(g, launcher.range1(n, wg), "dscal");
      } finally {
        g.unbind();
      }
    }
  }
}
