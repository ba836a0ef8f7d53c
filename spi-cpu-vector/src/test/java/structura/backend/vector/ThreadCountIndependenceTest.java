package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.testkit.BackendSuite;

/**
 * Results do not depend on the thread count. The kernels partition work so that every output
 * element is accumulated in the same order whichever worker computes it, so 1, 2 and 3 threads
 * must give bit-identical results (stronger than the "up to reassociation" the SPI allows).
 * Small cache blocks make moderate sizes span many blocks and many tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadCountIndependenceTest {
  private Compute one;
  private Compute two;
  private Compute three;

  @BeforeAll
  void open() {
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    one = open(1);
    two = open(2);
    three = open(3);
  }

  private static Compute open(int threads) {
    BackendConfig.Builder b = BackendConfig.builder().strict(true).threads(threads);
    for (String p : new String[] {"f32", "f64"}) {
      b.property("structura.vector." + p + ".mc", "18").property("structura.vector." + p + ".kc", "40")
          .property("structura.vector." + p + ".nc", "64");
    }
    return Compute.of(VectorBackendConformanceTest.vector().open(b.build()), true);
  }

  @AfterAll
  void close() {
    for (Compute c : new Compute[] {one, two, three}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static Matrix random(DType dtype, int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, r.nextDouble(-1, 1));
      }
    }
    return m;
  }

  private static double[] values(Matrix m) {
    double[] v = new double[m.rows() * m.cols()];
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        v[i * m.cols() + j] = m.get(i, j);
      }
    }
    return v;
  }

  @ParameterizedTest(name = "{0} {1}{2}")
  @CsvSource({"F32,N,N", "F32,T,N", "F32,N,T", "F32,T,T", "F64,N,N", "F64,T,T"})
  void gemmIsBitIdenticalForOneTwoAndThreeThreads(DType dtype, Transpose ta, Transpose tb) {
    gemmIsBitIdentical(dtype, ta, tb, 131, 157, 97);
  }

  /**
   * A small C from a long depth: split along k into chunks (4 here: depth 1025 each rounded up to
   * whole KC = 40 blocks, 1040, the last one 980).
   */
  @ParameterizedTest(name = "{0} {1}{2}")
  @CsvSource({"F32,N,N", "F32,T,N", "F32,N,T", "F32,T,T", "F64,N,T", "F64,T,N"})
  void depthSplitGemmIsBitIdenticalForOneTwoAndThreeThreads(DType dtype, Transpose ta, Transpose tb) {
    assertEquals(4, new F32Gemm(null, 18, 40, 64).depthChunks(23, 19, 4100), "the shape must take the split path");
    gemmIsBitIdentical(dtype, ta, tb, 23, 19, 4100);
  }

  private void gemmIsBitIdentical(DType dtype, Transpose ta, Transpose tb, int m, int n, int k) {
    Matrix a = ta.transposed() ? random(dtype, k, m, 1) : random(dtype, m, k, 1);
    Matrix b = tb.transposed() ? random(dtype, n, k, 2) : random(dtype, k, n, 2);
    Matrix c0 = random(dtype, m, n, 3);
    double[] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix out = c0.copy();
      c.gemm(ta, tb, 0.75, a, b, 0.5, out);
      double[] got = values(out);
      if (expected == null) {
        expected = got;
      } else {
        assertArrayEquals(expected, got, 0.0, "gemm " + dtype + " " + ta + tb + " with " + c.backend().describe());
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"F32,CAUCHY", "F32,LAPLACE", "F64,CAUCHY", "F64,LAPLACE"})
  // kinds without exp/log1p: those are SVML in C2 code and Math.exp per lane before, so their
  // last bit depends on the JIT tier, not on the thread count (documented in F32PairwiseKernel)
  void kernelMultiplyIsBitIdenticalForOneTwoAndThreeThreads(DType dtype, structura.api.backend.RadialKernel.Kind kind) {
    // 301 targets: row blocks and 4-target groups with ragged ends; 1500 sources: several tiles
    Matrix x = random(dtype, 301, 3, 5);
    Matrix y = random(dtype, 1500, 3, 6);
    Matrix v = random(dtype, 1500, 3, 7);
    structura.api.backend.RadialKernel kernel = structura.api.backend.RadialKernel.of(kind, 1.5);
    double[] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix o = Matrix.zeros(dtype, 301, 3);
      c.kernelMultiply(kernel, x, y, v, 0.0, o);
      double[] got = values(o);
      if (expected == null) {
        expected = got;
      } else {
        assertArrayEquals(expected, got, 0.0, "kernelMultiply " + dtype + " " + kind + " with " + c.backend().describe());
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"F64,CAUCHY", "F64,LAPLACE", "F32,CAUCHY", "F32,LAPLACE"})
  // the symmetric path (one point set as targets and sources): per-group column sums are
  // combined in group order, and the groups depend on n and k only
  void symmetricKernelMultiplyIsBitIdenticalForOneTwoAndThreeThreads(DType dtype,
      structura.api.backend.RadialKernel.Kind kind) {
    Matrix x = random(dtype, 1501, 3, 5);
    Matrix v = random(dtype, 1501, 2, 7);
    structura.api.backend.RadialKernel kernel = structura.api.backend.RadialKernel.of(kind, 1.5);
    double[] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix o = Matrix.zeros(dtype, 1501, 2);
      c.kernelMultiply(kernel, x, x, v, 0.0, o);
      double[] got = values(o);
      if (expected == null) {
        expected = got;
      } else {
        assertArrayEquals(expected, got, 0.0, "symmetric kernelMultiply " + dtype + " " + kind + " with " + c.backend().describe());
      }
    }
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({"F32,F32,T", "F32,F32,N", "F64,F64,T", "F32,F64,T", "F32,F64,N"})
  void gramIsBitIdenticalForOneTwoAndThreeThreads(DType in, DType out, Transpose t) {
    gramIsBitIdentical(in, out, t, 149, 123);
    gramIsBitIdentical(in, out, t, 21, 4100);  // split along k (from k = 2048)
  }

  private void gramIsBitIdentical(DType in, DType out, Transpose t, int n, int k) {
    Matrix a = t.transposed() ? random(in, k, n, 4) : random(in, n, k, 4);
    double[] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix g = Matrix.zeros(out, n, n);
      c.gram(t, 1.0, a, 0.0, g);
      double[] got = values(g);
      if (expected == null) {
        expected = got;
      } else {
        assertArrayEquals(expected, got, 0.0, "gram " + in + "->" + out + " " + t);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"F32,N", "F32,T", "F64,N", "F64,T"})
  void gemvIsBitIdenticalForOneTwoAndThreeThreads(DType dtype, Transpose t) {
    int m = 517;
    int n = 389;
    Matrix a = random(dtype, m, n, 5);
    Matrix x = random(dtype, t.transposed() ? m : n, 1, 6);
    Matrix y0 = random(dtype, t.transposed() ? n : m, 1, 7);
    double[] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix y = y0.copy();
      c.gemv(t, 1.5, a, x, 0.25, y);
      double[] got = values(y);
      if (expected == null) {
        expected = got;
      } else {
        assertArrayEquals(expected, got, 0.0, "gemv " + dtype + " " + t);
      }
    }
  }

  @Test
  void dotAndAxpyAreBitIdenticalForOneTwoAndThreeThreads() {
    int n = 9 * F32Vectors.CHUNK + 13;  // several chunks, so the parallel path runs
    for (DType dtype : DType.values()) {
      Matrix x = random(dtype, 1, n, 8);
      Matrix y0 = random(dtype, 1, n, 9);
      double dot1 = one.dot(x, y0);
      assertEquals(dot1, two.dot(x, y0), 0.0, "dot " + dtype);
      assertEquals(dot1, three.dot(x, y0), 0.0, "dot " + dtype);
      Matrix y1 = y0.copy();
      Matrix y2 = y0.copy();
      one.axpy(-0.5, x, y1);
      two.axpy(-0.5, x, y2);
      assertArrayEquals(values(y1), values(y2), 0.0, "axpy " + dtype);
    }
  }

  @Test
  void batchedGemmIsBitIdenticalForOneAndTwoThreads() {
    int batch = 7;
    int m = 37;
    int n = 41;
    int k = 29;
    Matrix a = random(DType.F32, batch * m, k, 10);
    Matrix b = random(DType.F32, batch * k, n, 11);
    Matrix c1 = Matrix.zeros(DType.F32, batch * m, n);
    Matrix c2 = Matrix.zeros(DType.F32, batch * m, n);
    one.batchedGemm(Transpose.N, Transpose.N, batch, 1, a.view(0, 0, m, k), m * k, b.view(0, 0, k, n), k * n,
        0, c1.view(0, 0, m, n), m * n);
    two.batchedGemm(Transpose.N, Transpose.N, batch, 1, a.view(0, 0, m, k), m * k, b.view(0, 0, k, n), k * n,
        0, c2.view(0, 0, m, n), m * n);
    double[] v1 = values(c1);
    assertArrayEquals(v1, values(c2), 0.0, "batched gemm");
    assertTrue(java.util.Arrays.stream(v1).anyMatch(v -> v != 0), "the batch wrote something");
  }

  /**
   * The elementwise routines on 300 × 257 (above the parallel threshold, with a vector tail in
   * every row and a row block split over tasks) give the same bits on 1, 2 and 3 threads.
   */
  @Test
  void elementwiseRoutinesAreBitIdenticalForOneTwoAndThreeThreads() {
    int m = 300;
    int n = 257;
    assertTrue((long) m * n >= F32Elementwise.PARALLEL_MIN_ELEMENTS, "the shape must take the parallel path");
    Matrix x = random(DType.F32, m, n, 71);
    Matrix up = random(DType.F32, m, n, 72);
    Matrix mask = random(DType.F32, m, n, 73);
    Matrix gamma = random(DType.F32, 1, n, 74);
    Matrix beta = random(DType.F32, 1, n, 75);
    double[][] expected = null;
    for (Compute c : new Compute[] {one, two, three}) {
      Matrix[] outs = new Matrix[8];
      for (int k = 0; k < outs.length; k++) {
        outs[k] = x.copy();
      }
      c.softmaxRows(0.7, outs[0], mask);
      c.gelu(outs[1]);
      c.silu(outs[2]);
      c.swiglu(outs[3], up);
      c.layerNorm(outs[4], gamma, beta, 1e-5);
      c.rmsNorm(outs[5], gamma, 1e-6);
      c.biasGelu(outs[6], beta);
      c.addLayerNorm(outs[7], beta, up, gamma, beta, 1e-5);
      double[][] got = new double[outs.length][];
      for (int k = 0; k < outs.length; k++) {
        got[k] = values(outs[k]);
      }
      if (expected == null) {
        expected = got;
      } else {
        for (int k = 0; k < outs.length; k++) {
          assertArrayEquals(expected[k], got[k], 0.0, "elementwise op " + k + " with " + c.backend().describe());
        }
      }
    }
    assertTrue(java.util.Arrays.stream(expected[0]).allMatch(v -> v > 0 && v < 1), "softmax wrote probabilities");
  }

  /**
   * Attention (32-token sequences, fused under the test's KC of 40, and 45-token ones, composed
   * above it) gives the same bits on 1, 2 and 3 threads: multi-head, grouped-query and causal,
   * with padded keys.
   */
  @Test
  void attentionIsBitIdenticalForOneTwoAndThreeThreads() {
    for (int len : new int[] {32, 45}) {
      for (int kvHeads : new int[] {6, 2}) {
        for (boolean causal : new boolean[] {false, true}) {
          int batch = 3;
          int heads = 6;
          int dh = 16;
          int n = batch * len;
          Matrix q = random(DType.F32, n, heads * dh, 81);
          Matrix k = random(DType.F32, n, kvHeads * dh, 82);
          Matrix v = random(DType.F32, n, kvHeads * dh, 83);
          Matrix mask = Matrix.zeros(DType.F32, batch, len);
          for (int j = len - 5; j < len; j++) {
            mask.set(1, j, -Float.MAX_VALUE);
          }
          double[] expected = null;
          for (Compute c : new Compute[] {one, two, three}) {
            Matrix o = Matrix.zeros(DType.F32, n, heads * dh);
            c.attention(batch, heads, kvHeads, 0.25, causal, q, k, v, mask, o);
            double[] got = values(o);
            if (expected == null) {
              expected = got;
              assertTrue(java.util.Arrays.stream(got).anyMatch(x -> x != 0), "attention wrote something");
            } else {
              assertArrayEquals(expected, got, 0.0, "attention len " + len + " kvHeads " + kvHeads + " causal " + causal
                  + " with " + c.backend().describe());
            }
          }
        }
      }
    }
  }
}
