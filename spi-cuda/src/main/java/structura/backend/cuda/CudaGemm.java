package structura.backend.cuda;

import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.GemmRoutine;

/**
 * GEMM and strided batched GEMM on host arrays through cuBLAS: each call stages the spans of A,
 * B and C in pinned memory, uploads them in one copy, runs {@code cublas?gemm} (or
 * {@code ?gemmStridedBatched}) with the row-major mapping of {@link RowMajorToCublas}, and copies
 * the span of C back. C is uploaded too, unless {@code beta == 0} and C is contiguous: its gaps
 * (when {@code ldc > n}) must come back unchanged, and cuBLAS does not read C when beta is 0, so
 * NaN in C does not propagate. Thread-safe through the context's lock.
 */
final class CudaGemm implements GemmRoutine, BatchedGemmRoutine {
  private final CudaContext cx;

  CudaGemm(CudaContext cx) {
    this.cx = cx;
  }

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    batched(false, transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    batched(true, transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, int strideA, float[] b, int bOff, int ldb, int strideB, float beta, float[] c, int cOff, int ldc,
      int strideC, int batch) {
    batched(false, transA, transB, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff, ldc,
        strideC, batch);
  }

  @Override
  public void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB, double beta, double[] c, int cOff,
      int ldc, int strideC, int batch) {
    batched(true, transA, transB, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff, ldc,
        strideC, batch);
  }

  private void batched(boolean f64, boolean transA, boolean transB, int m, int n, int k, double alpha, Object a,
      int aOff, int lda, int strideA, Object b, int bOff, int ldb, int strideB, double beta, Object c, int cOff, int ldc,
      int strideC, int batch) {
    int aLen = Spans.batched(Spans.matrix(transA ? k : m, transA ? m : k, lda), strideA, batch);
    int bLen = Spans.batched(Spans.matrix(transB ? n : k, transB ? k : n, ldb), strideB, batch);
    int cLen = Spans.batched(Spans.matrix(m, n, ldc), strideC, batch);
    boolean cContiguous = ldc == n && (batch == 1 || strideC == m * n);
    long elem = f64 ? Double.BYTES : Float.BYTES;
    cx.lockedRun(() -> {
      HostStaging s = cx.staging;
      s.begin();
      long oa = s.put(a, aOff, aLen);
      long ob = s.put(b, bOff, bLen);
      boolean uploadC = beta != 0 || !cContiguous;
      long oc = uploadC ? s.put(c, cOff, cLen) : -1;
      s.upload();
      if (!uploadC) {
        oc = s.scratch(cLen * elem);
      }
      RowMajorToCublas.Gemm g = RowMajorToCublas.gemm(transA, transB, m, n, k);
      if (batch == 1) {
        cx.blas.gemm(f64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), alpha,
            s.address(ob), ldb, s.address(oa), lda, beta, s.address(oc), ldc);
      } else {
        cx.blas.gemmStridedBatched(f64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(),
            alpha, s.address(ob), ldb, strideB, s.address(oa), lda, strideA, beta, s.address(oc), ldc, strideC, batch);
      }
      s.download(oc, c, cOff, cLen);
    });
  }
}
