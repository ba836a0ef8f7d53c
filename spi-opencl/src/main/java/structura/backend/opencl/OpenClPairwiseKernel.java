package structura.backend.opencl;

import com.aparapi.Range;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RadialKernel;
import structura.backend.opencl.kernels.F32PairwiseKernel;
import structura.backend.opencl.kernels.F64PairwiseKernel;
import structura.backend.opencl.kernels.RadialKernelCode;

/**
 * Kernel-matrix products {@code O = K(X, Y)·V + beta·O} of the {@code opencl} backend on
 * {@link F32PairwiseKernel} and {@link F64PairwiseKernel}, every {@link RadialKernel.Kind}, in
 * one launch per call: a 2-D range {@code (⌈m/wg⌉·wg, ⌈k/4⌉)} with one work-item per target and
 * group of four right-hand sides (the kernel's Javadoc has the layout). Cost about
 * ⌈k/4⌉·m·n·(3d + c_κ) + 2·m·n·k flops and no m×n storage, plus the copy of X, Y, V and O to
 * the device and of O back. Arguments arrive validated by
 * {@link structura.api.backend.Compute#kernelMultiply}.
 */
final class OpenClPairwiseKernel implements PairwiseKernelRoutine {
  /** Right-hand sides per work-item: the kernel's four accumulators. */
  private static final int COLUMNS_PER_ITEM = 4;

  private final OpenClLauncher launcher;
  private final int wg;
  private final F32PairwiseKernel f32;
  /** Null without fp64: Aparapi would refuse to build a double kernel. */
  private final F64PairwiseKernel f64;

  /** @param wg work-group size along the targets, within the device's limit */
  OpenClPairwiseKernel(OpenClLauncher launcher, int wg) {
    this.launcher = launcher;
    this.wg = wg;
    this.f32 = launcher.own(new F32PairwiseKernel(launcher.device()));
    this.f64 = launcher.fp64() ? launcher.own(new F64PairwiseKernel(launcher.device())) : null;
  }

  @Override
  public void skernelMultiply(RadialKernel kernel, int m, int n, int d, int k, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy, float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo) {
    F32PairwiseKernel g = f32;
    synchronized (g) {
      g.bind(RadialKernelCode.of(kernel.kind()), (float) kernel.variance(), (float) kernel.shape(), m, n, d, k,
          x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
      try {
        launcher.launch(g, range(m, k), "skernelMultiply");
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void dkernelMultiply(RadialKernel kernel, int m, int n, int d, int k, double[] x, int xOff, int ldx,
      double[] y, int yOff, int ldy, double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo) {
    launcher.requireFp64("dkernelMultiply");
    F64PairwiseKernel g = f64;
    synchronized (g) {
      g.bind(RadialKernelCode.of(kernel.kind()), kernel.variance(), kernel.shape(), m, n, d, k,
          x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
      try {
        launcher.launch(g, range(m, k), "dkernelMultiply");
      } finally {
        g.unbind();
      }
    }
  }

  private Range range(int m, int k) {
    int columnGroups = (k + COLUMNS_PER_ITEM - 1) / COLUMNS_PER_ITEM;
    return launcher.range2(OpenClLauncher.roundUp(m, wg), columnGroups, wg, 1);
  }
}
