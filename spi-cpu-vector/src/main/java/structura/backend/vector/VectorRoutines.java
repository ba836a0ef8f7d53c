package structura.backend.vector;

import structura.api.backend.BatchedGemmRoutine;
import structura.api.backend.GemmRoutine;
import structura.api.backend.GemvRoutine;
import structura.api.backend.GramRoutine;
import structura.api.backend.Level1Routine;

/**
 * Every SPI routine family of the {@code vector} backend, for F32 and F64, delegating to the
 * packed GEMM engines ({@link F32Gemm}, {@link F64Gemm}) and the GEMV and level-1 kernels
 * ({@link F32Vectors}, {@link F64Vectors}). Arguments arrive validated by
 * {@link structura.api.backend.Compute}.
 *
 * <ul>
 *   <li>Gram / syrk: the GEMM engine restricted to register tiles touching the lower triangle
 *       (about half the work of a full product: n(n+1)k flops instead of 2n²k, up to the
 *       diagonal tiles), then the strict lower triangle is copied onto the upper one, so the
 *       result is exactly symmetric.</li>
 *   <li>sdsyrk (F32 in, F64 accumulation): A is widened to double one K block at a time
 *       (KC rows or columns, so at most KC·n doubles of scratch), each block added with dsyrk.</li>
 *   <li>Batched GEMM: many products run in parallel, one product per task on one thread (a B
 *       shared by the batch, stride 0, packed once for all items); few large products run one
 *       after another, each multithreaded.</li>
 * </ul>
 */
final class VectorRoutines implements GemmRoutine, GemvRoutine, BatchedGemmRoutine, GramRoutine, Level1Routine {
  private final Parallel parallel;
  private final F32Gemm f32Gemm;
  private final F64Gemm f64Gemm;
  private final F32Vectors f32Vectors;
  private final F64Vectors f64Vectors;
  private final int dkc;

  VectorRoutines(Parallel parallel, F32Gemm f32Gemm, F64Gemm f64Gemm, int dkc) {
    this.parallel = parallel;
    this.f32Gemm = f32Gemm;
    this.f64Gemm = f64Gemm;
    this.f32Vectors = new F32Vectors(parallel);
    this.f64Vectors = new F64Vectors(parallel);
    this.dkc = dkc;
  }

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    f32Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, false, true);
  }

  @Override
  public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    f64Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, false, true);
  }

  @Override
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
    f32Vectors.gemv(transA, m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
  }

  @Override
  public void dgemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, int incX, double beta, double[] y, int yOff, int incY) {
    f64Vectors.gemv(transA, m, n, alpha, a, aOff, lda, x, xOff, incX, beta, y, yOff, incY);
  }

  /** Whether a batch should be spread over threads item by item rather than item-parallel. */
  private boolean acrossBatch(int batch, int m, int n, int k) {
    // One product per task once there are at least two per thread, or when each is too small
    // to be worth splitting. Either way each C_p gets the same bits (see F32Gemm determinism).
    return batch >= 2 * parallel.threads() || (long) m * n * k < (1L << 20);
  }

  @Override
  public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
    if (acrossBatch(batch, m, n, k)) {
      boolean multithreaded = (long) batch * m * n * k >= (1L << 16);
      if (strideB == 0 && batch > 1 && f32Gemm.gemmSharedB(transA, transB, m, n, k, alpha, a, aOff, lda, strideA,
          b, bOff, ldb, beta, c, cOff, ldc, strideC, batch, multithreaded)) {
        return;  // one packed B for the batch (see F32Gemm.gemmSharedB)
      }
      parallel.forEach(batch, multithreaded, p -> f32Gemm.gemm(transA, transB, m, n, k, alpha,
          a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb, beta, c, cOff + p * strideC, ldc, false, false));
    } else {
      for (int p = 0; p < batch; p++) {
        f32Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb,
            beta, c, cOff + p * strideC, ldc, false, true);
      }
    }
  }

  @Override
  public void dgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb, int strideB,
      double beta, double[] c, int cOff, int ldc, int strideC, int batch) {
    if (acrossBatch(batch, m, n, k)) {
      boolean multithreaded = (long) batch * m * n * k >= (1L << 16);
      if (strideB == 0 && batch > 1 && f64Gemm.gemmSharedB(transA, transB, m, n, k, alpha, a, aOff, lda, strideA,
          b, bOff, ldb, beta, c, cOff, ldc, strideC, batch, multithreaded)) {
        return;  // one packed B for the batch (see F32Gemm.gemmSharedB)
      }
      parallel.forEach(batch, multithreaded, p -> f64Gemm.gemm(transA, transB, m, n, k, alpha,
          a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb, beta, c, cOff + p * strideC, ldc, false, false));
    } else {
      for (int p = 0; p < batch; p++) {
        f64Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff + p * strideA, lda, b, bOff + p * strideB, ldb,
            beta, c, cOff + p * strideC, ldc, false, true);
      }
    }
  }

  @Override
  public void ssyrk(boolean trans, int n, int k, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc) {
    // trans: C = AᵀA with A k×n, i.e. op(A) = Aᵀ, op(B) = A; otherwise C = AAᵀ.
    f32Gemm.gemm(trans, !trans, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc, true, true);
    mirror(n, c, cOff, ldc);
  }

  @Override
  public void dsyrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    f64Gemm.gemm(trans, !trans, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc, true, true);
    mirror(n, c, cOff, ldc);
  }

  @Override
  public void sdsyrk(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    int block = Math.min(dkc, k);
    double[] wide = new double[block * n];
    for (int p0 = 0; p0 < k; p0 += block) {
      int kb = Math.min(block, k - p0);
      if (trans) {
        // rows p0..p0+kb of the k×n matrix A, as a kb×n block with ld n
        for (int p = 0; p < kb; p++) {
          int src = aOff + (p0 + p) * lda;
          int dst = p * n;
          for (int j = 0; j < n; j++) {
            wide[dst + j] = a[src + j];
          }
        }
        f64Gemm.gemm(true, false, n, n, kb, alpha, wide, 0, n, wide, 0, n, p0 == 0 ? beta : 1.0, c, cOff, ldc, true, true);
      } else {
        // columns p0..p0+kb of the n×k matrix A, as an n×kb block with ld kb
        for (int i = 0; i < n; i++) {
          int src = aOff + i * lda + p0;
          int dst = i * kb;
          for (int p = 0; p < kb; p++) {
            wide[dst + p] = a[src + p];
          }
        }
        f64Gemm.gemm(false, true, n, n, kb, alpha, wide, 0, kb, wide, 0, kb, p0 == 0 ? beta : 1.0, c, cOff, ldc, true, true);
      }
    }
    mirror(n, c, cOff, ldc);
  }

  /** Rows and columns of the square blocks in which {@link #mirror} copies. */
  private static final int MIRROR_BLOCK = 32;

  /**
   * Copies the strict lower triangle onto the upper one, making C bit-exactly symmetric. In
   * {@value #MIRROR_BLOCK}-square blocks, so that the strided side of the transpose touches the
   * same few cache lines per block instead of one line per element (n = 1536: 13–17 ms element by
   * element, 6.5–8 ms in blocks, measured on the Zen 1 host).
   */
  private static void mirror(int n, float[] c, int cOff, int ldc) {
    for (int i0 = 0; i0 < n; i0 += MIRROR_BLOCK) {
      int i1 = Math.min(n, i0 + MIRROR_BLOCK);
      for (int j0 = 0; j0 <= i0; j0 += MIRROR_BLOCK) {
        for (int i = i0; i < i1; i++) {
          int jEnd = Math.min(i, j0 + MIRROR_BLOCK);
          for (int j = j0; j < jEnd; j++) {
            c[cOff + j * ldc + i] = c[cOff + i * ldc + j];
          }
        }
      }
    }
  }

  /** {@link #mirror(int, float[], int, int)} in double precision. */
  private static void mirror(int n, double[] c, int cOff, int ldc) {
    for (int i0 = 0; i0 < n; i0 += MIRROR_BLOCK) {
      int i1 = Math.min(n, i0 + MIRROR_BLOCK);
      for (int j0 = 0; j0 <= i0; j0 += MIRROR_BLOCK) {
        for (int i = i0; i < i1; i++) {
          int jEnd = Math.min(i, j0 + MIRROR_BLOCK);
          for (int j = j0; j < jEnd; j++) {
            c[cOff + j * ldc + i] = c[cOff + i * ldc + j];
          }
        }
      }
    }
  }

  @Override
  public float sdot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    return f32Vectors.dot(n, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public double ddot(int n, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    return f64Vectors.dot(n, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public void saxpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
    f32Vectors.axpy(n, alpha, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public void daxpy(int n, double alpha, double[] x, int xOff, int incX, double[] y, int yOff, int incY) {
    f64Vectors.axpy(n, alpha, x, xOff, incX, y, yOff, incY);
  }

  @Override
  public void sscal(int n, float alpha, float[] x, int xOff, int incX) {
    f32Vectors.scal(n, alpha, x, xOff, incX);
  }

  @Override
  public void dscal(int n, double alpha, double[] x, int xOff, int incX) {
    f64Vectors.scal(n, alpha, x, xOff, incX);
  }
}
