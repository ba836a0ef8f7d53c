package structura.backend.opencl;

import structura.api.backend.ElementwiseRoutine;
import structura.backend.opencl.kernels.F32ActivationKernel;
import structura.backend.opencl.kernels.F32NormKernel;
import structura.backend.opencl.kernels.F32SoftmaxKernel;

/**
 * The elementwise transformer operations of the {@code opencl} backend, in place and F32 only
 * (as the SPI defines the family). Softmax and the norms run one work-group of {@code wg}
 * work-items per row ({@link F32SoftmaxKernel}, {@link F32NormKernel}), rows in chunks so that
 * the global size rows·wg fits an int; the activations run one work-item per element over a 2-D
 * range, columns in groups of {@code wg} along dimension 0 and one row per index of dimension 1,
 * so m·n may exceed an int while each dimension fits ({@link F32ActivationKernel}).
 */
final class OpenClElementwise implements ElementwiseRoutine {
  private final OpenClLauncher launcher;
  private final int wg;
  private final F32SoftmaxKernel softmax;
  private final F32NormKernel norm;
  private final F32ActivationKernel activation;

  /** @param wg work-group size, a power of two within the device's limit */
  OpenClElementwise(OpenClLauncher launcher, int wg) {
    this.launcher = launcher;
    this.wg = wg;
    this.softmax = launcher.own(new F32SoftmaxKernel(launcher.device(), wg));
    this.norm = launcher.own(new F32NormKernel(launcher.device(), wg));
    this.activation = launcher.own(new F32ActivationKernel(launcher.device()));
  }

  /** Rows per launch of the one-work-group-per-row kernels, so that rows·wg fits an int. */
  private int rowChunk() {
    return Integer.MAX_VALUE / wg;
  }

  @Override
  public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    F32SoftmaxKernel g = softmax;
    synchronized (g) {
      try {
        int chunk = rowChunk();
        for (int r0 = 0; r0 < m; r0 += chunk) {
          int rows = Math.min(chunk, m - r0);
          g.bind(n, alpha, x, off + r0 * ld, ld, mask, maskOff + r0 * ldMask, ldMask);
          launcher.launch(g, launcher.groups(rows, wg), "softmaxRows");
        }
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta, int betaOff,
      float eps) {
    norm(false, m, n, x, off, ld, gamma, gammaOff, beta, betaOff, eps, "layerNorm");
  }

  @Override
  public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps) {
    norm(true, m, n, x, off, ld, gamma, gammaOff, null, 0, eps, "rmsNorm");
  }

  private void norm(boolean rms, int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta,
      int betaOff, float eps, String routine) {
    F32NormKernel g = norm;
    synchronized (g) {
      try {
        int chunk = rowChunk();
        for (int r0 = 0; r0 < m; r0 += chunk) {
          int rows = Math.min(chunk, m - r0);
          g.bind(rms, n, x, off + r0 * ld, ld, gamma, gammaOff, beta, betaOff, eps);
          launcher.launch(g, launcher.groups(rows, wg), routine);
        }
      } finally {
        g.unbind();
      }
    }
  }

  @Override
  public void sgelu(int m, int n, float[] x, int off, int ld) {
    activation(F32ActivationKernel.GELU, m, n, x, off, ld, null, 0, 0, "gelu");
  }

  @Override
  public void ssilu(int m, int n, float[] x, int off, int ld) {
    activation(F32ActivationKernel.SILU, m, n, x, off, ld, null, 0, 0, "silu");
  }

  @Override
  public void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp) {
    activation(F32ActivationKernel.SWIGLU, m, n, gate, gateOff, ldGate, up, upOff, ldUp, "swiglu");
  }

  private void activation(int op, int m, int n, float[] x, int off, int ld, float[] up, int upOff, int ldUp,
      String routine) {
    F32ActivationKernel g = activation;
    synchronized (g) {
      g.bind(op, m, n, x, off, ld, up, upOff, ldUp);
      try {
        launcher.launch(g, launcher.range2(OpenClLauncher.roundUp(n, wg), m, wg, 1), routine);
      } finally {
        g.unbind();
      }
    }
  }
}
