package structura.backend.vector;

import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RadialKernel;

/** The vector backend's {@link PairwiseKernelRoutine}: {@link F32PairwiseKernel} for F32, {@link F64PairwiseKernel} for F64. */
final class VectorPairwiseKernel implements PairwiseKernelRoutine {
  private final F32PairwiseKernel single;
  private final F64PairwiseKernel dbl;

  VectorPairwiseKernel(Parallel parallel) {
    this.single = new F32PairwiseKernel(parallel);
    this.dbl = new F64PairwiseKernel(parallel);
  }

  @Override
  public void skernelMultiply(RadialKernel kernel, int m, int n, int d, int k, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy,
      float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo) {
    single.multiply(kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
  }

  @Override
  public void dkernelMultiply(RadialKernel kernel, int m, int n, int d, int k, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy,
      double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo) {
    dbl.multiply(kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, beta, o, oOff, ldo);
  }
}
