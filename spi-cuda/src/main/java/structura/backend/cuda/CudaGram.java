package structura.backend.cuda;

import structura.api.backend.GramRoutine;

/**
 * Gram / SYRK on host arrays through {@code cublas?syrk}: cuBLAS writes one triangle (our
 * row-major upper one, see {@link RowMajorToCublas#syrk}), and the other is copied from it on the
 * host after the download, so C is exactly symmetric as the SPI requires. {@code sdsyrk} widens
 * A to F64 on the device ({@link DeviceKernels#widenToF64}) and runs {@code cublasDsyrk}: the
 * products and sums are then F64 as specified; without the kernels A is widened on the host
 * while staging (same result, twice the transfer). Thread-safe through the context's lock.
 */
final class CudaGram implements GramRoutine {
  private final CudaContext cx;
  /** Null when the PTX kernels are not available. */
  private final DeviceKernels kernels;

  CudaGram(CudaContext cx, DeviceKernels kernels) {
    this.cx = cx;
    this.kernels = kernels;
  }

  @Override
  public void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda, float beta, float[] c,
      int cOff, int ldc) {
    syrk(false, false, trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    mirror(n, c, cOff, ldc);
  }

  @Override
  public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda, double beta, double[] c,
      int cOff, int ldc) {
    syrk(true, false, trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    mirror(n, c, cOff, ldc);
  }

  @Override
  public void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda, double beta, double[] c,
      int cOff, int ldc) {
    syrk(true, true, trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    mirror(n, c, cOff, ldc);
  }

  private void syrk(boolean f64, boolean widen, boolean trans, int n, int k, double alpha, Object a, int aOff, int lda,
      double beta, Object c, int cOff, int ldc) {
    int rows = trans ? k : n;
    int cols = trans ? n : k;
    int aLen = Spans.matrix(rows, cols, lda);
    int cLen = Spans.matrix(n, n, ldc);
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      boolean onDevice = widen && kernels != null;
      long oa = widen && !onDevice ? s.putWidened((float[]) a, aOff, aLen) : s.put(a, aOff, aLen);
      long oc = s.put(c, cOff, cLen);
      s.upload();
      int ldA = lda;
      if (onDevice) {
        long wide = s.scratch((long) rows * cols * Double.BYTES);
        kernels.widenToF64(rows, cols, s.address(oa), lda, s.address(wide), cols);
        oa = wide;
        ldA = cols;
      }
      RowMajorToCublas.Syrk m = RowMajorToCublas.syrk(trans);
      cx.blas.syrk(f64, cx.blasHandle, cx.scalars, m.uplo(), m.trans(), n, k, alpha, s.address(oa), ldA, beta,
          s.address(oc), ldc);
      s.download(oc, c, cOff, cLen);
    });
  }

  /** Copies the upper triangle (i ≤ j) into the lower one, bit for bit. */
  private static void mirror(int n, Object c, int off, int ldc) {
    if (c instanceof float[] f) {
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          f[off + i * ldc + j] = f[off + j * ldc + i];
        }
      }
    } else {
      double[] d = (double[]) c;
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          d[off + i * ldc + j] = d[off + j * ldc + i];
        }
      }
    }
  }
}
