package structura.backend.cuda;

import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.ElementwiseRoutine;
import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RadialKernel;

/**
 * The routines that run our own PTX kernels ({@link DeviceKernels}) on host arrays: the
 * transformer elementwise family (F32) and kernel-matrix products (F32, F64). Operands are staged
 * as spans like the cuBLAS routines; the output's span is uploaded too so that the entries
 * between its rows come back unchanged. Without the kernels (a jar built without PTX) every call
 * fails with {@code STRUCTURA-B004} and the reason. Thread-safe through the context's lock.
 */
final class CudaKernelRoutines implements ElementwiseRoutine, PairwiseKernelRoutine {
  private final CudaContext cx;
  private final DeviceKernels kernels;
  private final String missing;

  /** @param kernels null when unavailable, with {@code missing} saying why */
  CudaKernelRoutines(CudaContext cx, DeviceKernels kernels, String missing) {
    this.cx = cx;
    this.kernels = kernels;
    this.missing = missing;
  }

  private DeviceKernels kernels() {
    if (kernels == null) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA kernels are not available: " + missing + ".",
          "Use a structura-backend-cuda jar built with the CUDA kernels (PTX), or --backend vector for these routines.");
    }
    return kernels;
  }

  @Override
  public void ssoftmaxRows(int m, int n, float alpha, float[] x, int off, int ld, float[] mask, int maskOff, int ldMask) {
    DeviceKernels k = kernels();
    int xLen = Spans.matrix(m, n, ld);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, off, xLen);
      long om = mask == null ? -1 : s.put(mask, maskOff, ldMask == 0 ? n : Spans.matrix(m, n, ldMask));
      s.upload();
      k.softmaxRows(m, n, alpha, s.address(ox), ld, om < 0 ? 0 : s.address(om), ldMask);
      s.download(ox, x, off, xLen);
    });
  }

  @Override
  public void sgelu(int m, int n, float[] x, int off, int ld) {
    inPlace(m, n, x, off, ld, false);
  }

  @Override
  public void ssilu(int m, int n, float[] x, int off, int ld) {
    inPlace(m, n, x, off, ld, true);
  }

  private void inPlace(int m, int n, float[] x, int off, int ld, boolean silu) {
    DeviceKernels k = kernels();
    int xLen = Spans.matrix(m, n, ld);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, off, xLen);
      s.upload();
      if (silu) {
        k.silu(m, n, s.address(ox), ld);
      } else {
        k.gelu(m, n, s.address(ox), ld);
      }
      s.download(ox, x, off, xLen);
    });
  }

  @Override
  public void sswiglu(int m, int n, float[] gate, int gateOff, int ldGate, float[] up, int upOff, int ldUp) {
    DeviceKernels k = kernels();
    int gLen = Spans.matrix(m, n, ldGate);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long og = s.put(gate, gateOff, gLen);
      long ou = s.put(up, upOff, Spans.matrix(m, n, ldUp));
      s.upload();
      k.swiglu(m, n, s.address(og), ldGate, s.address(ou), ldUp);
      s.download(og, gate, gateOff, gLen);
    });
  }

  @Override
  public void slayerNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float[] beta,
      int betaOff, float eps) {
    DeviceKernels k = kernels();
    int xLen = Spans.matrix(m, n, ld);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, off, xLen);
      long og = s.put(gamma, gammaOff, n);
      long ob = beta == null ? -1 : s.put(beta, betaOff, n);
      s.upload();
      k.layerNorm(m, n, s.address(ox), ld, s.address(og), ob < 0 ? 0 : s.address(ob), eps);
      s.download(ox, x, off, xLen);
    });
  }

  @Override
  public void srmsNorm(int m, int n, float[] x, int off, int ld, float[] gamma, int gammaOff, float eps) {
    DeviceKernels k = kernels();
    int xLen = Spans.matrix(m, n, ld);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, off, xLen);
      long og = s.put(gamma, gammaOff, n);
      s.upload();
      k.rmsNorm(m, n, s.address(ox), ld, s.address(og), eps);
      s.download(ox, x, off, xLen);
    });
  }

  @Override
  public void skernelMultiply(RadialKernel kernel, int m, int n, int d, int k, float[] x, int xOff, int ldx, float[] y,
      int yOff, int ldy, float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo) {
    kernelMultiply(false, kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
  }

  @Override
  public void dkernelMultiply(RadialKernel kernel, int m, int n, int d, int k, double[] x, int xOff, int ldx,
      double[] y, int yOff, int ldy, double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo) {
    kernelMultiply(true, kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
  }

  private void kernelMultiply(boolean f64, RadialKernel kernel, int m, int n, int d, int k, Object x, int xOff, int ldx,
      Object y, int yOff, int ldy, Object v, int vOff, int ldv, double beta, Object o, int oOff, int ldo) {
    DeviceKernels dk = kernels();
    int oLen = Spans.matrix(m, k, ldo);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, xOff, Spans.matrix(m, d, ldx));
      long oy = s.put(y, yOff, Spans.matrix(n, d, ldy));
      long ov = s.put(v, vOff, Spans.matrix(n, k, ldv));
      long oo = s.put(o, oOff, oLen);
      s.upload();
      if (f64) {
        dk.kernelMultiplyF64(kernel, m, n, d, k, s.address(ox), ldx, s.address(oy), ldy, s.address(ov), ldv, beta,
            s.address(oo), ldo);
      } else {
        dk.kernelMultiplyF32(kernel, m, n, d, k, s.address(ox), ldx, s.address(oy), ldy, s.address(ov), ldv,
            (float) beta, s.address(oo), ldo);
      }
      s.download(oo, o, oOff, oLen);
    });
  }
}
