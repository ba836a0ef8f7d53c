package structura.api.internal.reference;

import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;

/**
 * Obviously correct loops for every SPI routine. Sums run in index order in the operand's
 * precision (F32 accumulates in float, like a BLAS), so that the reference is a faithful
 * stand-in for a straightforward implementation, not a more accurate one. Speed is not a goal.
 */
final class ReferenceRoutines implements GemmRoutine, GemvRoutine, BatchedGemmRoutine, GramRoutine, Level1Routine {

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          sum += aip * bpj;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ci];
      }
    }
  }

  @Override
  public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          sum += aip * bpj;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ci];
      }
    }
  }

  @Override
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
    int rows = transA ? n : m;
    int inner = transA ? m : n;
    for (int i = 0; i < rows; i++) {
      float sum = 0;
      for (int p = 0; p < inner; p++) {
        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        sum += aip * x[xOff + p * incX];
      }
      int yi = yOff + i * incY;
      y[yi] = beta == 0 ? alpha * sum : alpha * sum + beta * y[yi];
    }
  }

  @Override
  public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY) {
    int rows = transA ? n : m;
    int inner = transA ? m : n;
    for (int i = 0; i < rows; i++) {
      double sum = 0;
      for (int p = 0; p < inner; p++) {
        double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        sum += aip * x[xOff + p * incX];
      }
      int yi = yOff + i * incY;
      y[yi] = beta == 0 ? alpha * sum : alpha * sum + beta * y[yi];
    }
  }

  @Override
  public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
    for (int p = 0; p < batch; p++) {
      sgemm(transA, transB, m, n, k, alpha, a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb,
          beta, c, cOff + p * strideC, ldc);
    }
  }

  @Override
  public void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch) {
    for (int p = 0; p < batch; p++) {
      dgemm(transA, transB, m, n, k, alpha, a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb,
          beta, c, cOff + p * strideC, ldc);
    }
  }

  @Override
  public void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        float sum = 0;
        for (int p = 0; p < k; p++) {
          sum += trans
              ? a[aOff + p * lda + i] * a[aOff + p * lda + j]
              : a[aOff + i * lda + p] * a[aOff + j * lda + p];
        }
        int ij = cOff + i * ldc + j;
        float v = beta == 0 ? alpha * sum : alpha * sum + beta * c[ij];
        c[ij] = v;
        c[cOff + j * ldc + i] = v;
      }
    }
  }

  @Override
  public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += trans
              ? a[aOff + p * lda + i] * a[aOff + p * lda + j]
              : a[aOff + i * lda + p] * a[aOff + j * lda + p];
        }
        int ij = cOff + i * ldc + j;
        double v = beta == 0 ? alpha * sum : alpha * sum + beta * c[ij];
        c[ij] = v;
        c[cOff + j * ldc + i] = v;
      }
    }
  }

  @Override
  public void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          sum += trans
              ? (double) a[aOff + p * lda + i] * a[aOff + p * lda + j]
              : (double) a[aOff + i * lda + p] * a[aOff + j * lda + p];
        }
        int ij = cOff + i * ldc + j;
        double v = beta == 0 ? alpha * sum : alpha * sum + beta * c[ij];
        c[ij] = v;
        c[cOff + j * ldc + i] = v;
      }
    }
  }

  @Override
  public float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    float sum = 0;
    for (int i = 0; i < n; i++) {
      sum += x[xOff + i * incX] * y[yOff + i * incY];
    }
    return sum;
  }

  @Override
  public double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += x[xOff + i * incX] * y[yOff + i * incY];
    }
    return sum;
  }

  @Override
  public void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    for (int i = 0; i < n; i++) {
      y[yOff + i * incY] += alpha * x[xOff + i * incX];
    }
  }

  @Override
  public void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    for (int i = 0; i < n; i++) {
      y[yOff + i * incY] += alpha * x[xOff + i * incX];
    }
  }

  @Override
  public void sscal(int n, float alpha, float[] x, int xOff, int incX) {
    for (int i = 0; i < n; i++) {
      x[xOff + i * incX] *= alpha;
    }
  }

  @Override
  public void dscal(int n, double alpha, double[] x, int xOff, int incX) {
    for (int i = 0; i < n; i++) {
      x[xOff + i * incX] *= alpha;
    }
  }
}
