package structura.api.internal.reference;

import java.util.Arrays;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentChecks;
import structura.api.backend.ResidentRoutines;

/**
 * {@link ResidentRoutines} on host memory: an F32 buffer is a {@code float[]}, an F64 buffer a
 * {@code double[]}, and every operation runs the reference backend's host routine on the arrays
 * ({@link ReferenceRoutines}, {@link ReferenceElementwise}, {@link ReferencePairwiseKernel}), so
 * results are bit-identical to the host path on the reference backend. Work runs synchronously;
 * {@link #synchronize()} has nothing to wait for. It is the oracle of
 * {@code ResidentConformanceSuite} and lets resident code (the resident transformer pass, the
 * resident kernel CG) run and be tested without a device.
 *
 * <p>Buffers hold at most {@code Integer.MAX_VALUE} elements (a Java array). Arguments are
 * validated by {@link ResidentChecks}; buffers of another instance are rejected with
 * {@code STRUCTURA-A003}, closed ones with {@code STRUCTURA-A001}. Not thread-safe, as the
 * interface says (the arrays are shared mutable state).
 */
public final class ReferenceResident implements ResidentRoutines {
  private static final ReferenceRoutines BLAS = new ReferenceRoutines();
  private static final ReferenceElementwise ELEMENTWISE = ReferenceElementwise.INSTANCE;
  private static final ReferencePairwiseKernel KERNEL = ReferencePairwiseKernel.INSTANCE;

  /** A host array posing as device memory. */
  private static final class HostBuffer implements DeviceBuffer {
    private final ReferenceResident owner;
    private final DType dtype;
    private float[] f32;
    private double[] f64;
    private final long length;

    HostBuffer(ReferenceResident owner, DType dtype, int length) {
      this.owner = owner;
      this.dtype = dtype;
      this.length = length;
      if (dtype == DType.F32) {
        f32 = new float[length];
      } else {
        f64 = new double[length];
      }
    }

    @Override
    public DType dtype() {
      return dtype;
    }

    @Override
    public long length() {
      return length;
    }

    boolean isClosed() {
      return f32 == null && f64 == null;
    }

    @Override
    public void close() {
      f32 = null;
      f64 = null;
    }

    @Override
    public String toString() {
      return "HostBuffer[" + dtype + " x " + length + (isClosed() ? ", closed" : "") + "]";
    }
  }

  // ---- buffers -------------------------------------------------------------------------------

  private HostBuffer own(String op, String name, DeviceBuffer b) {
    if (!(b instanceof HostBuffer h) || h.owner != this) {
      throw ResidentChecks.foreign(op, name);
    }
    if (h.isClosed()) {
      throw ResidentChecks.closed(op, name);
    }
    return h;
  }

  private float[] f(String op, String name, DeviceBuffer b) {
    return own(op, name, b).f32;
  }

  private double[] d(String op, String name, DeviceBuffer b) {
    return own(op, name, b).f64;
  }

  /** Offsets are within an int-sized array once the checks passed. */
  private static int i(long off) {
    return Math.toIntExact(off);
  }

  @Override
  public DeviceBuffer allocate(DType dtype, long length) {
    ResidentChecks.allocate(dtype, length);
    if (length > Integer.MAX_VALUE - 8) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "allocate: " + length + " elements exceed a reference (host array) buffer's limit of 2^31 - 9.",
          "Use a device backend for larger buffers, or split the data.");
    }
    return new HostBuffer(this, dtype, (int) length);
  }

  @Override
  public void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int length) {
    ResidentChecks.transfer("upload", src.length, srcOff, dst, dstOff, length, DType.F32);
    System.arraycopy(src, srcOff, f("upload", "dst", dst), i(dstOff), length);
  }

  @Override
  public void upload(double[] src, int srcOff, DeviceBuffer dst, long dstOff, int length) {
    ResidentChecks.transfer("upload", src.length, srcOff, dst, dstOff, length, DType.F64);
    System.arraycopy(src, srcOff, d("upload", "dst", dst), i(dstOff), length);
  }

  @Override
  public void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int length) {
    ResidentChecks.transfer("download", dst.length, dstOff, src, srcOff, length, DType.F32);
    System.arraycopy(f("download", "src", src), i(srcOff), dst, dstOff, length);
  }

  @Override
  public void download(DeviceBuffer src, long srcOff, double[] dst, int dstOff, int length) {
    ResidentChecks.transfer("download", dst.length, dstOff, src, srcOff, length, DType.F64);
    System.arraycopy(d("download", "src", src), i(srcOff), dst, dstOff, length);
  }

  @Override
  public void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long length) {
    ResidentChecks.copy(src, srcOff, dst, dstOff, length);
    HostBuffer s = own("copy", "src", src);
    HostBuffer t = own("copy", "dst", dst);
    if (s.dtype == DType.F32) {
      System.arraycopy(s.f32, i(srcOff), t.f32, i(dstOff), i(length));
    } else {
      System.arraycopy(s.f64, i(srcOff), t.f64, i(dstOff), i(length));
    }
  }

  @Override
  public void synchronize() {
    // work runs synchronously
  }

  // ---- BLAS ----------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long aOff, int lda, DeviceBuffer b, long bOff, int ldb,
      double beta, DeviceBuffer c, long cOff, int ldc) {
    DType t = ResidentChecks.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    owned("gemm", a, b, c);
    gemmBlock(t, transA, transB, m, n, k, alpha, a, i(aOff), lda, b, i(bOff), ldb, beta, c, i(cOff), ldc);
  }

  /** One validated GEMM, with the BLAS conventions for empty sizes and alpha = 0 (C = beta·C, never read when beta = 0). */
  private void gemmBlock(DType t, boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, int aOff, int lda, DeviceBuffer b, int bOff, int ldb, double beta, DeviceBuffer c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0 || k == 0) {
      scaleBlock(t, m, n, beta, c, cOff, ldc);
      return;
    }
    if (t == DType.F32) {
      BLAS.sgemm(transA, transB, m, n, k, (float) alpha, f("gemm", "A", a), aOff, lda, f("gemm", "B", b), bOff, ldb,
          (float) beta, f("gemm", "C", c), cOff, ldc);
    } else {
      BLAS.dgemm(transA, transB, m, n, k, alpha, d("gemm", "A", a), aOff, lda, d("gemm", "B", b), bOff, ldb,
          beta, d("gemm", "C", c), cOff, ldc);
    }
  }

  private void scaleBlock(DType t, int m, int n, double beta, DeviceBuffer c, int cOff, int ldc) {
    for (int r = 0; r < m; r++) {
      int from = cOff + r * ldc;
      if (t == DType.F32) {
        float[] x = f("gemm", "C", c);
        if (beta == 0) {
          Arrays.fill(x, from, from + n, 0f);
        } else {
          BLAS.sscal(n, (float) beta, x, from, 1);
        }
      } else {
        double[] x = d("gemm", "C", c);
        if (beta == 0) {
          Arrays.fill(x, from, from + n, 0.0);
        } else {
          BLAS.dscal(n, beta, x, from, 1);
        }
      }
    }
  }

  @Override
  public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB,
      double beta, DeviceBuffer c, long cOff, int ldc, long strideC, int batch) {
    DType t = ResidentChecks.gemmStridedBatched(transA, transB, m, n, k, a, aOff, lda, strideA, b, bOff, ldb, strideB,
        c, cOff, ldc, strideC, batch);
    owned("gemmStridedBatched", a, b, c);
    for (int p = 0; p < batch; p++) {
      gemmBlock(t, transA, transB, m, n, k, alpha, a, i(aOff + p * strideA), lda, b, i(bOff + p * strideB), ldb,
          beta, c, i(cOff + p * strideC), ldc);
    }
  }

  @Override
  public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
      DeviceBuffer a, long[] aOffsets, int lda, DeviceBuffer b, long[] bOffsets, int ldb,
      double beta, DeviceBuffer c, long[] cOffsets, int ldc) {
    DType t = ResidentChecks.gemmBatched(transA, transB, m, n, k, a, aOffsets, lda, b, bOffsets, ldb, c, cOffsets, ldc);
    owned("gemmBatched", a, b, c);
    for (int p = 0; p < cOffsets.length; p++) {
      gemmBlock(t, transA, transB, m, n, k, alpha, a, i(aOffsets[p]), lda, b, i(bOffsets[p]), ldb, beta, c, i(cOffsets[p]), ldc);
    }
  }

  @Override
  public void gemv(boolean transA, int m, int n, double alpha, DeviceBuffer a, long aOff, int lda,
      DeviceBuffer x, long xOff, double beta, DeviceBuffer y, long yOff) {
    DType t = ResidentChecks.gemv(transA, m, n, a, aOff, lda, x, xOff, y, yOff);
    owned("gemv", a, x, y);
    int yn = transA ? n : m;
    if (yn == 0) {
      return;
    }
    if (alpha == 0 || (transA ? m : n) == 0) {
      scaleBlock(t, 1, yn, beta, y, i(yOff), yn);
      return;
    }
    if (t == DType.F32) {
      BLAS.sgemv(transA, m, n, (float) alpha, f("gemv", "A", a), i(aOff), lda, f("gemv", "x", x), i(xOff), 1,
          (float) beta, f("gemv", "y", y), i(yOff), 1);
    } else {
      BLAS.dgemv(transA, m, n, alpha, d("gemv", "A", a), i(aOff), lda, d("gemv", "x", x), i(xOff), 1,
          beta, d("gemv", "y", y), i(yOff), 1);
    }
  }

  @Override
  public double dot(int n, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    DType t = ResidentChecks.vectors("dot", n, x, xOff, y, yOff);
    owned("dot", x, y);
    if (n == 0) {
      return 0;
    }
    return t == DType.F32
        ? BLAS.sdot(n, f("dot", "x", x), i(xOff), 1, f("dot", "y", y), i(yOff), 1)
        : BLAS.ddot(n, d("dot", "x", x), i(xOff), 1, d("dot", "y", y), i(yOff), 1);
  }

  @Override
  public void axpy(int n, double alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    DType t = ResidentChecks.vectors("axpy", n, x, xOff, y, yOff);
    owned("axpy", x, y);
    if (n == 0 || alpha == 0) {
      return;
    }
    if (t == DType.F32) {
      BLAS.saxpy(n, (float) alpha, f("axpy", "x", x), i(xOff), 1, f("axpy", "y", y), i(yOff), 1);
    } else {
      BLAS.daxpy(n, alpha, d("axpy", "x", x), i(xOff), 1, d("axpy", "y", y), i(yOff), 1);
    }
  }

  @Override
  public void scal(int n, double alpha, DeviceBuffer x, long xOff) {
    DType t = ResidentChecks.scal(n, x, xOff);
    owned("scal", x);
    if (n == 0) {
      return;
    }
    if (t == DType.F32) {
      BLAS.sscal(n, (float) alpha, f("scal", "x", x), i(xOff), 1);
    } else {
      BLAS.dscal(n, alpha, d("scal", "x", x), i(xOff), 1);
    }
  }

  // ---- kernel matrices -----------------------------------------------------------------------

  @Override
  public void kernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      DeviceBuffer x, long xOff, int ldx, DeviceBuffer y, long yOff, int ldy,
      DeviceBuffer v, long vOff, int ldv, double beta, DeviceBuffer o, long oOff, int ldo) {
    DType t = ResidentChecks.kernelMultiply(kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, o, oOff, ldo);
    owned("kernelMultiply", x, y, v, o);
    if (m == 0 || k == 0) {
      return;
    }
    if (n == 0) {
      scaleBlock(t, m, k, beta, o, i(oOff), ldo);
      return;
    }
    String op = "kernelMultiply";
    if (t == DType.F32) {
      KERNEL.skernelMultiply(kernel, m, n, d, k, f(op, "X", x), i(xOff), ldx, f(op, "Y", y), i(yOff), ldy,
          f(op, "V", v), i(vOff), ldv, (float) beta, f(op, "O", o), i(oOff), ldo);
    } else {
      KERNEL.dkernelMultiply(kernel, m, n, d, k, d(op, "X", x), i(xOff), ldx, d(op, "Y", y), i(yOff), ldy,
          d(op, "V", v), i(vOff), ldv, beta, d(op, "O", o), i(oOff), ldo);
    }
  }

  // ---- transformer operations ----------------------------------------------------------------

  @Override
  public void addRowVector(int m, int n, DeviceBuffer v, long vOff, DeviceBuffer x, long xOff, int ld) {
    ResidentChecks.addRowVector(m, n, v, vOff, x, xOff, ld);
    float[] vv = f("addRowVector", "v", v);
    float[] xx = f("addRowVector", "x", x);
    for (int r = 0; r < m; r++) {
      BLAS.saxpy(n, 1f, vv, i(vOff), 1, xx, i(xOff) + r * ld, 1);
    }
  }

  @Override
  public void gatherRows(int width, DeviceBuffer table, long tableOff, int ldTable, int tableRows, int[] indices,
      DeviceBuffer out, long outOff, int ldOut, boolean accumulate) {
    ResidentChecks.gatherRows(width, table, tableOff, ldTable, tableRows, indices, out, outOff, ldOut);
    float[] t = f("gatherRows", "table", table);
    float[] o = f("gatherRows", "out", out);
    for (int r = 0; r < indices.length; r++) {
      int src = i(tableOff) + indices[r] * ldTable;
      int dst = i(outOff) + r * ldOut;
      if (accumulate) {
        BLAS.saxpy(width, 1f, t, src, 1, o, dst, 1);
      } else {
        System.arraycopy(t, src, o, dst, width);
      }
    }
  }

  @Override
  public void attentionSoftmax(int batch, int heads, int queries, int keys, double alpha,
      DeviceBuffer scores, long off, DeviceBuffer keyMask, long maskOff, boolean causal) {
    ResidentChecks.attentionSoftmax(batch, heads, queries, keys, scores, off, keyMask, maskOff, causal);
    float[] s = f("attentionSoftmax", "scores", scores);
    float[] mask = keyMask == null ? null : f("attentionSoftmax", "keyMask", keyMask);
    if (keys == 0) {
      return;
    }
    float[] rowMask = new float[keys];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        long block = off + (long) (b * heads + h) * queries * keys;
        if (!causal) {
          // all queries of (b, h) share the key mask row: one broadcast softmax, as the host pass does
          ELEMENTWISE.ssoftmaxRows(queries, keys, (float) alpha, s, i(block), keys, mask,
              mask == null ? 0 : i(maskOff) + b * keys, 0);
          continue;
        }
        for (int t = 0; t < queries; t++) {
          for (int j = 0; j < keys; j++) {
            // causality as the host pass builds it: the most negative float replaces the key mask
            rowMask[j] = j > t ? -Float.MAX_VALUE : mask == null ? 0f : mask[i(maskOff) + b * keys + j];
          }
          ELEMENTWISE.ssoftmaxRows(1, keys, (float) alpha, s, i(block) + t * keys, keys, rowMask, 0, 0);
        }
      }
    }
  }

  @Override
  public void gelu(int m, int n, DeviceBuffer x, long off, int ld) {
    ResidentChecks.rows("gelu", m, n, x, off, ld);
    float[] xx = f("gelu", "x", x);
    if (m > 0 && n > 0) {
      ELEMENTWISE.sgelu(m, n, xx, i(off), ld);
    }
  }

  @Override
  public void silu(int m, int n, DeviceBuffer x, long off, int ld) {
    ResidentChecks.rows("silu", m, n, x, off, ld);
    float[] xx = f("silu", "x", x);
    if (m > 0 && n > 0) {
      ELEMENTWISE.ssilu(m, n, xx, i(off), ld);
    }
  }

  @Override
  public void swiglu(int m, int n, DeviceBuffer gate, long gateOff, int ldGate, DeviceBuffer up, long upOff, int ldUp) {
    ResidentChecks.swiglu(m, n, gate, gateOff, ldGate, up, upOff, ldUp);
    float[] g = f("swiglu", "gate", gate);
    float[] u = f("swiglu", "up", up);
    if (m > 0 && n > 0) {
      ELEMENTWISE.sswiglu(m, n, g, i(gateOff), ldGate, u, i(upOff), ldUp);
    }
  }

  @Override
  public void layerNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff,
      DeviceBuffer beta, long betaOff, double eps) {
    ResidentChecks.norm("layerNorm", m, n, x, off, ld, gamma, gammaOff, beta, betaOff, eps);
    float[] xx = f("layerNorm", "x", x);
    float[] g = f("layerNorm", "gamma", gamma);
    // no beta is a beta of zeros (the host routine always adds one)
    float[] bb = beta == null ? new float[n] : f("layerNorm", "beta", beta);
    if (m > 0 && n > 0) {
      ELEMENTWISE.slayerNorm(m, n, xx, i(off), ld, g, i(gammaOff), bb, beta == null ? 0 : i(betaOff), (float) eps);
    }
  }

  @Override
  public void rmsNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff, double eps) {
    ResidentChecks.norm("rmsNorm", m, n, x, off, ld, gamma, gammaOff, null, 0, eps);
    float[] xx = f("rmsNorm", "x", x);
    float[] g = f("rmsNorm", "gamma", gamma);
    if (m > 0 && n > 0) {
      ELEMENTWISE.srmsNorm(m, n, xx, i(off), ld, g, i(gammaOff), (float) eps);
    }
  }

  private void owned(String op, DeviceBuffer... buffers) {
    for (int k = 0; k < buffers.length; k++) {
      own(op, "#" + (k + 1), buffers[k]);
    }
  }
}
