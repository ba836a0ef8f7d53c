package structura.backend.cuda;

import structura.api.backend.GemvRoutine;

/**
 * GEMV on host arrays through {@code cublas?gemv}: the spans of A, x and y are staged and
 * uploaded in one copy, y's span comes back. y is always uploaded so that the entries between
 * strided elements come back unchanged; cuBLAS does not read y when beta is 0. Thread-safe
 * through the context's lock.
 */
final class CudaGemv implements GemvRoutine {
  private final CudaContext cx;

  CudaGemv(CudaContext cx) {
    this.cx = cx;
  }

  @Override
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      int incX, float beta, float[] y, int yOff, int incY) {
    gemv(false, transA, m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
  }

  @Override
  public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      int incX, double beta, double[] y, int yOff, int incY) {
    gemv(true, transA, m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
  }

  private void gemv(boolean f64, boolean transA, int m, int n, double alpha, Object a, int aOff, int lda, Object x,
      int xOff, int incX, double beta, Object y, int yOff, int incY) {
    int aLen = Spans.matrix(m, n, lda);
    int xLen = Spans.vector(transA ? m : n, incX);
    int yLen = Spans.vector(transA ? n : m, incY);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long oa = s.put(a, aOff, aLen);
      long ox = s.put(x, xOff, xLen);
      long oy = s.put(y, yOff, yLen);
      s.upload();
      RowMajorToCublas.Gemv g = RowMajorToCublas.gemv(transA, m, n);
      cx.blas.gemv(f64, cx.blasHandle, cx.scalars, g.op(), g.rows(), g.cols(), alpha, s.address(oa), lda,
          s.address(ox), incX, beta, s.address(oy), incY);
      s.download(oy, y, yOff, yLen);
    });
  }
}
