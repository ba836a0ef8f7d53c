package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.ResidentRoutines;
import structura.testkit.BackendSuite;

/**
 * The resident BLAS routines of the {@code cuda} backend on the GPU against row-major loops
 * written from the definitions (offsets, padded leading dimensions, both dtypes), and the host
 * validation that runs before anything is queued. Skips with the probe's reason without a GPU.
 * (The testkit's {@code ResidentConformanceSuite} will cover the full contract once merged.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaResidentTest {
  private Backend backend;
  private ResidentRoutines res;

  @BeforeAll
  void open() {
    CudaBackendProvider provider = new CudaBackendProvider();
    BackendSuite.requireAvailable(provider);
    backend = provider.open(BackendConfig.builder().strict(true).build());
    res = backend.resident().orElseThrow();
  }

  @AfterAll
  void close() {
    if (backend != null) {
      backend.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"F32,false,false", "F32,true,false", "F32,false,true", "F64,true,true", "F64,false,false"})
  void gemmMatchesTheDefinition(DType dtype, boolean transA, boolean transB) {
    int m = 7;
    int n = 5;
    int k = 9;
    int lda = (transA ? m : k) + 3;
    int ldb = (transB ? k : n) + 1;
    int ldc = n + 2;
    int off = 4;
    SplittableRandom rnd = new SplittableRandom(3);
    double[] a = random(rnd, off + (transA ? k : m) * lda);
    double[] b = random(rnd, off + (transB ? n : k) * ldb);
    double[] c = random(rnd, off + m * ldc);
    double[] expected = c.clone();
    gemmRef(transA, transB, m, n, k, 1.5, a, off, lda, b, off, ldb, -0.5, expected, off, ldc);
    try (DeviceBuffer da = put(dtype, a); DeviceBuffer db = put(dtype, b); DeviceBuffer dc = put(dtype, c)) {
      res.gemm(transA, transB, m, n, k, 1.5, da, off, lda, db, off, ldb, -0.5, dc, off, ldc);
      assertClose(dtype, expected, get(dc));
    }
  }

  @Test
  void stridedAndPointerBatchedGemmMatchTheDefinition() {
    int m = 4;
    int n = 3;
    int k = 5;
    int batch = 3;
    SplittableRandom rnd = new SplittableRandom(4);
    double[] a = random(rnd, batch * m * k);
    double[] b = random(rnd, k * n);  // shared: stride 0
    double[] c = new double[batch * m * n];
    double[] expected = c.clone();
    for (int p = 0; p < batch; p++) {
      gemmRef(false, false, m, n, k, 1, a, p * m * k, k, b, 0, n, 0, expected, p * m * n, n);
    }
    try (DeviceBuffer da = put(DType.F64, a); DeviceBuffer db = put(DType.F64, b); DeviceBuffer dc = put(DType.F64, c)) {
      res.gemmStridedBatched(false, false, m, n, k, 1, da, 0, k, m * k, db, 0, n, 0, 0, dc, 0, n, m * n, batch);
      assertClose(DType.F64, expected, get(dc));
    }
    // the same products in reverse order through pointer arrays, F32
    long[] ao = {2L * m * k, m * k, 0};
    long[] bo = {0, 0, 0};
    long[] co = {0, m * n, 2L * m * n};
    double[] expected2 = new double[batch * m * n];
    for (int p = 0; p < batch; p++) {
      gemmRef(false, false, m, n, k, 1, a, (int) ao[p], k, b, 0, n, 0, expected2, (int) co[p], n);
    }
    try (DeviceBuffer da = put(DType.F32, a); DeviceBuffer db = put(DType.F32, b); DeviceBuffer dc = put(DType.F32, c)) {
      res.gemmBatched(false, false, m, n, k, 1, da, ao, k, db, bo, n, 0, dc, co, n);
      assertClose(DType.F32, expected2, get(dc));
    }
  }

  @ParameterizedTest
  @CsvSource({"F32,false", "F64,true"})
  void gemvAndLevel1MatchTheDefinition(DType dtype, boolean trans) {
    int m = 6;
    int n = 4;
    int lda = n + 1;
    SplittableRandom rnd = new SplittableRandom(5);
    double[] a = random(rnd, m * lda);
    double[] x = random(rnd, trans ? m : n);
    double[] y = random(rnd, trans ? n : m);
    double[] expected = y.clone();
    for (int i = 0; i < expected.length; i++) {
      double s = 0;
      for (int p = 0; p < x.length; p++) {
        s += (trans ? a[p * lda + i] : a[i * lda + p]) * x[p];
      }
      expected[i] = 2 * s + 0.25 * y[i];
    }
    try (DeviceBuffer da = put(dtype, a); DeviceBuffer dx = put(dtype, x); DeviceBuffer dy = put(dtype, y)) {
      res.gemv(trans, m, n, 2, da, 0, lda, dx, 0, 0.25, dy, 0);
      double[] got = get(dy);
      assertClose(dtype, expected, got);
      double dot = 0;
      for (int i = 0; i < got.length; i++) {
        dot += got[i] * got[i];
      }
      assertEquals(dot, res.dot(got.length, dy, 0, dy, 0), tol(dtype) * dot);
      res.scal(got.length, -2, dy, 0);
      res.axpy(got.length, 3, dy, 0, dy, 0);  // y ← 3y + y = -8·got
      double[] scaled = get(dy);
      for (int i = 0; i < got.length; i++) {
        assertEquals(-8 * got[i], scaled[i], tol(dtype) * 8 * Math.abs(got[i]) + 1e-30);
      }
    }
  }

  @Test
  void allocationIsZeroedAndCopyMovesARange() {
    try (DeviceBuffer a = res.allocate(DType.F64, 10); DeviceBuffer b = res.allocate(DType.F64, 10)) {
      assertClose(DType.F64, new double[10], get(a));
      res.upload(new double[] {1, 2, 3}, 0, a, 2, 3);
      res.copy(a, 2, b, 5, 3);
      assertClose(DType.F64, new double[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 0}, get(b));
    }
  }

  @Test
  void argumentsAreCheckedBeforeAnythingIsQueued() {
    try (DeviceBuffer f = res.allocate(DType.F32, 16); DeviceBuffer d = res.allocate(DType.F64, 16)) {
      StructuraException mixed = assertThrows(StructuraException.class,
          () -> res.gemm(false, false, 2, 2, 2, 1, f, 0, 2, d, 0, 2, 0, f, 8, 2));
      assertEquals(ErrorCode.DTYPE_MISMATCH, mixed.code());
      StructuraException outside = assertThrows(StructuraException.class,
          () -> res.gemm(false, false, 4, 4, 4, 1, f, 0, 4, f, 0, 4, 0, f, 4, 4));
      assertEquals(ErrorCode.OUT_OF_BOUNDS, outside.code());
      StructuraException index = assertThrows(StructuraException.class,
          () -> res.gatherRows(2, f, 0, 2, 4, new int[] {0, 4}, f, 8, 2, false));
      assertEquals(ErrorCode.OUT_OF_BOUNDS, index.code());
      assertTrue(index.getMessage().contains("index 4"), index.getMessage());
      f.close();
      assertThrows(StructuraException.class, () -> res.scal(1, 2, f, 0));
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private DeviceBuffer put(DType dtype, double[] v) {
    DeviceBuffer b = res.allocate(dtype, v.length);
    if (dtype == DType.F64) {
      res.upload(v, 0, b, 0, v.length);
    } else {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      res.upload(f, 0, b, 0, v.length);
    }
    return b;
  }

  private double[] get(DeviceBuffer b) {
    int n = (int) b.length();
    double[] out = new double[n];
    if (b.dtype() == DType.F64) {
      res.download(b, 0, out, 0, n);
    } else {
      float[] f = new float[n];
      res.download(b, 0, f, 0, n);
      for (int i = 0; i < n; i++) {
        out[i] = f[i];
      }
    }
    return out;
  }

  private static void gemmRef(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
        }
        c[cOff + i * ldc + j] = alpha * s + beta * c[cOff + i * ldc + j];
      }
    }
  }

  private static double tol(DType dtype) {
    return dtype == DType.F64 ? 1e-12 : 1e-5;
  }

  private static void assertClose(DType dtype, double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol(dtype) * (1 + Math.abs(expected[i])) * 10, "index " + i);
    }
  }

  private static double[] random(SplittableRandom rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextDouble(-1, 1);
    }
    return v;
  }
}
