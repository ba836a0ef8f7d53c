package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The row-major → column-major mapping, checked without a GPU: the mapped call is run by a tiny
 * column-major BLAS written here exactly as cuBLAS documents its semantics, and compared with a
 * row-major computation done directly from the SPI's definition.
 */
class RowMajorToCublasTest {
  @ParameterizedTest
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void gemmMappingComputesTheRowMajorProduct(boolean transA, boolean transB) {
    int m = 3;
    int n = 5;
    int k = 4;
    int lda = (transA ? m : k) + 2;
    int ldb = (transB ? k : n) + 1;
    int ldc = n + 3;
    SplittableRandom rnd = new SplittableRandom(17);
    double[] a = random(rnd, (transA ? k : m) * lda);
    double[] b = random(rnd, (transB ? n : k) * ldb);
    double[] c = random(rnd, m * ldc);
    double[] expected = c.clone();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
        }
        expected[i * ldc + j] = 2 * s + 0.5 * c[i * ldc + j];
      }
    }

    RowMajorToCublas.Gemm g = RowMajorToCublas.gemm(transA, transB, m, n, k);
    columnMajorGemm(g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), 2, b, ldb, a, lda, 0.5, c, ldc);

    assertArrayClose(expected, c);
  }

  @ParameterizedTest
  @CsvSource({"false", "true"})
  void gemvMappingComputesTheRowMajorProduct(boolean transA) {
    int m = 4;
    int n = 3;
    int lda = n + 2;
    SplittableRandom rnd = new SplittableRandom(5);
    double[] a = random(rnd, m * lda);
    double[] x = random(rnd, transA ? m : n);
    double[] y = random(rnd, transA ? n : m);
    double[] expected = y.clone();
    for (int i = 0; i < expected.length; i++) {
      double s = 0;
      for (int p = 0; p < x.length; p++) {
        s += (transA ? a[p * lda + i] : a[i * lda + p]) * x[p];
      }
      expected[i] = 3 * s - y[i];
    }

    RowMajorToCublas.Gemv g = RowMajorToCublas.gemv(transA, m, n);
    // cuBLAS gemv on a rows × cols column-major matrix: y = alpha·op(A)·x + beta·y
    double[] result = y.clone();
    int outLen = g.op() == CuBlas.OP_N ? g.rows() : g.cols();
    int inLen = g.op() == CuBlas.OP_N ? g.cols() : g.rows();
    for (int i = 0; i < outLen; i++) {
      double s = 0;
      for (int p = 0; p < inLen; p++) {
        s += (g.op() == CuBlas.OP_N ? a[i + p * lda] : a[p + i * lda]) * x[p];
      }
      result[i] = 3 * s - y[i];
    }
    assertArrayClose(expected, result);
  }

  @ParameterizedTest
  @CsvSource({"false", "true"})
  void syrkMappingFillsTheRowMajorUpperTriangle(boolean trans) {
    int n = 4;
    int k = 3;
    int lda = (trans ? n : k) + 1;
    int ldc = n + 2;
    SplittableRandom rnd = new SplittableRandom(9);
    double[] a = random(rnd, (trans ? k : n) * lda);
    double[] c = new double[n * ldc];
    RowMajorToCublas.Syrk s = RowMajorToCublas.syrk(trans);
    // cuBLAS syrk, column-major: C = alpha·op(A)·op(A)ᵀ with op(A) n × k, only the `uplo` triangle
    for (int col = 0; col < n; col++) {
      for (int row = 0; row < n; row++) {
        boolean stored = s.uplo() == CuBlas.FILL_LOWER ? row >= col : row <= col;
        if (!stored) {
          continue;
        }
        double sum = 0;
        for (int p = 0; p < k; p++) {
          double ar = s.trans() == CuBlas.OP_N ? a[row + p * lda] : a[p + row * lda];
          double ac = s.trans() == CuBlas.OP_N ? a[col + p * lda] : a[p + col * lda];
          sum += ar * ac;
        }
        c[row + col * ldc] = sum;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {  // row-major upper triangle, i ≤ j
        double expected = 0;
        for (int p = 0; p < k; p++) {
          expected += trans ? a[p * lda + i] * a[p * lda + j] : a[i * lda + p] * a[j * lda + p];
        }
        assertEquals(expected, c[i * ldc + j], 1e-12, "(" + i + ", " + j + ")");
      }
    }
  }

  /** Column-major GEMM as cuBLAS defines it: C = alpha·op(A)·op(B) + beta·C. */
  private static void columnMajorGemm(int opA, int opB, int m, int n, int k, double alpha, double[] a, int lda,
      double[] b, int ldb, double beta, double[] c, int ldc) {
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double av = opA == CuBlas.OP_N ? a[i + p * lda] : a[p + i * lda];
          double bv = opB == CuBlas.OP_N ? b[p + j * ldb] : b[j + p * ldb];
          s += av * bv;
        }
        c[i + j * ldc] = alpha * s + beta * c[i + j * ldc];
      }
    }
  }

  private static double[] random(SplittableRandom rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextDouble(-1, 1);
    }
    return v;
  }

  private static void assertArrayClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12, "index " + i);
    }
  }
}
