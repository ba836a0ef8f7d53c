package structura.api.internal.reference;

import structura.api.backend.PairwiseKernelRoutine;
import structura.api.backend.RadialKernel;

/**
 * Kernel-matrix products as plain loops: for each target row, each source's squared distance
 * and kernel value in double precision ({@link RadialKernel#ofSquaredDistance}), accumulated in
 * double and rounded once into O. F32 inputs are widened, so the F32 result is the F64 result
 * rounded. Single-threaded; O(k) scratch.
 */
final class ReferencePairwiseKernel implements PairwiseKernelRoutine {
  static final ReferencePairwiseKernel INSTANCE = new ReferencePairwiseKernel();

  private ReferencePairwiseKernel() {}

  @Override
  public void skernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      float[] x, int xOff, int ldx, float[] y, int yOff, int ldy,
      float[] v, int vOff, int ldv, float beta, float[] o, int oOff, int ldo) {
    double[] acc = new double[k];
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(acc, 0);
      int xi = xOff + i * ldx;
      for (int j = 0; j < n; j++) {
        int yj = yOff + j * ldy;
        double r2 = 0;
        for (int t = 0; t < d; t++) {
          double diff = (double) x[xi + t] - y[yj + t];
          r2 += diff * diff;
        }
        double kij = kernel.ofSquaredDistance(r2);
        int vj = vOff + j * ldv;
        for (int c = 0; c < k; c++) {
          acc[c] += kij * v[vj + c];
        }
      }
      int oi = oOff + i * ldo;
      for (int c = 0; c < k; c++) {
        o[oi + c] = (float) (beta == 0 ? acc[c] : acc[c] + (double) beta * o[oi + c]);
      }
    }
  }

  @Override
  public void dkernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      double[] x, int xOff, int ldx, double[] y, int yOff, int ldy,
      double[] v, int vOff, int ldv, double beta, double[] o, int oOff, int ldo) {
    double[] acc = new double[k];
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(acc, 0);
      int xi = xOff + i * ldx;
      for (int j = 0; j < n; j++) {
        int yj = yOff + j * ldy;
        double r2 = 0;
        for (int t = 0; t < d; t++) {
          double diff = x[xi + t] - y[yj + t];
          r2 += diff * diff;
        }
        double kij = kernel.ofSquaredDistance(r2);
        int vj = vOff + j * ldv;
        for (int c = 0; c < k; c++) {
          acc[c] += kij * v[vj + c];
        }
      }
      int oi = oOff + i * ldo;
      for (int c = 0; c < k; c++) {
        o[oi + c] = beta == 0 ? acc[c] : acc[c] + beta * o[oi + c];
      }
    }
  }
}
