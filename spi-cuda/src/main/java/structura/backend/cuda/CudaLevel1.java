package structura.backend.cuda;

import structura.api.backend.Level1Routine;

/**
 * Dot, axpy and scal on host arrays through cuBLAS, staging the strided spans. For axpy, x and y
 * are either the same view (staged once, so the update sees itself as the host routine does) or
 * disjoint. Worth it only for long vectors: each call pays two copies and a launch.
 * Thread-safe through the context's lock.
 */
final class CudaLevel1 implements Level1Routine {
  private final CudaContext cx;

  CudaLevel1(CudaContext cx) {
    this.cx = cx;
  }

  @Override
  public float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    return (float) dot(false, n, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    return dot(true, n, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    axpy(false, n, alpha, x, xOff, incX, y, yOff, incY, x == y && xOff == yOff && incX == incY);
  }

  @Override
  public void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    axpy(true, n, alpha, x, xOff, incX, y, yOff, incY, x == y && xOff == yOff && incX == incY);
  }

  @Override
  public void sscal(int n, float alpha, float[] x, int xOff, int incX) {
    scal(false, n, alpha, x, xOff, incX);
  }

  @Override
  public void dscal(int n, double alpha, double[] x, int xOff, int incX) {
    scal(true, n, alpha, x, xOff, incX);
  }

  private double dot(boolean f64, int n, Object x, int xOff, int incX, Object y, int yOff, int incY) {
    return cx.locked(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, xOff, Spans.vector(n, incX));
      long oy = s.put(y, yOff, Spans.vector(n, incY));
      s.upload();
      return cx.blas.dot(f64, cx.blasHandle, cx.scalars, n, s.address(ox), incX, s.address(oy), incY);
    });
  }

  private void axpy(boolean f64, int n, double alpha, Object x, int xOff, int incX, Object y, int yOff, int incY,
      boolean same) {
    int yLen = Spans.vector(n, incY);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long oy = s.put(y, yOff, yLen);
      long ox = same ? oy : s.put(x, xOff, Spans.vector(n, incX));
      s.upload();
      cx.blas.axpy(f64, cx.blasHandle, cx.scalars, n, alpha, s.address(ox), incX, s.address(oy), incY);
      s.download(oy, y, yOff, yLen);
    });
  }

  private void scal(boolean f64, int n, double alpha, Object x, int xOff, int incX) {
    int xLen = Spans.vector(n, incX);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long ox = s.put(x, xOff, xLen);
      s.upload();
      cx.blas.scal(f64, cx.blasHandle, cx.scalars, n, alpha, s.address(ox), incX);
      s.download(ox, x, xOff, xLen);
    });
  }
}
