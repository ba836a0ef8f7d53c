package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.StructuraException;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentRoutines;

/**
 * {@link ResidentRoutines} on the GPU: buffers are {@code cuMemAlloc} memory, BLAS runs in cuBLAS
 * on them (row-major mapped as in {@link RowMajorToCublas}), kernel products and the transformer
 * operations run our PTX kernels ({@link DeviceKernels}). Everything is queued on the backend's
 * one stream, in call order, and returns without waiting except {@link #download}, {@link #dot}
 * and {@link #synchronize}.
 *
 * <p>Every argument is checked on the host before anything is queued: buffers belong to this
 * instance and are open (A001), dtypes agree (A003), sizes are positive and leading dimensions
 * cover their rows (A002), every view lies in its buffer and every gather index in its table
 * (A005). Device failures are {@code STRUCTURA-B004} with the driver's or cuBLAS's message.
 *
 * <p>Host-to-device copies go from short-lived pageable memory: the driver copies pageable memory
 * into its own staging before the call returns, so the source may be freed at once while the copy
 * stays ordered on the stream. {@link #gemmBatched} uploads its pointer arrays, and
 * {@link #gatherRows} its indices, into one grown device scratch area; stream order makes reusing
 * it safe, and pointer arrays equal to the ones already there are not uploaded again. Each call takes the backend's lock (shared with the host routines).
 */
final class CudaResident implements ResidentRoutines {
  private final CudaContext cx;
  private final DeviceKernels kernels;
  private final String kernelsMissing;
  private long scratch;
  private long scratchBytes;
  /** The pointer arrays the scratch area holds, or null when it holds something else. */
  private long[] scratchPointers;

  CudaResident(CudaContext cx, DeviceKernels kernels, String kernelsMissing) {
    this.cx = cx;
    this.kernels = kernels;
    this.kernelsMissing = kernelsMissing;
  }

  // ---- memory --------------------------------------------------------------------------------

  @Override
  public DeviceBuffer allocate(DType dtype, long length) {
    if (dtype != DType.F32 && dtype != DType.F64) {
      throw invalid(ErrorCode.DTYPE_MISMATCH, "a device buffer holds F32 or F64, not " + dtype + ".");
    }
    if (length < 1) {
      throw invalid(ErrorCode.DIMENSION_MISMATCH, "a device buffer needs at least one element, not " + length + ".");
    }
    long bytes = Math.multiplyExact(length, (long) dtype.bytes());
    return cx.locked(() -> {
      long p = cx.driver.memAlloc(bytes);
      cx.driver.memsetD8Async(p, (byte) 0, bytes, cx.stream);
      return new CudaBuffer(this, p, dtype, length);
    });
  }

  /** Frees a buffer's memory once the stream has finished with it. */
  void free(long pointer) {
    cx.lockedIfOpen(() -> {
      cx.synchronize();
      cx.driver.memFree(pointer);
    });
  }

  @Override
  public void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int length) {
    CudaBuffer d = open(dst, "dst");
    dtype(DType.F32, d, "dst");
    hostRange(src.length, srcOff, length, "src");
    range(d, dstOff, length, "dst");
    cx.lockedRun(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment host = arena.allocate(JAVA_FLOAT, Math.max(1, length));
        MemorySegment.copy(src, srcOff, host, JAVA_FLOAT, 0, length);
        cx.driver.memcpyHtoDAsync(d.at(dstOff), host, (long) length * Float.BYTES, cx.stream);
      }
    });
  }

  @Override
  public void upload(double[] src, int srcOff, DeviceBuffer dst, long dstOff, int length) {
    CudaBuffer d = open(dst, "dst");
    dtype(DType.F64, d, "dst");
    hostRange(src.length, srcOff, length, "src");
    range(d, dstOff, length, "dst");
    cx.lockedRun(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment host = arena.allocate(JAVA_DOUBLE, Math.max(1, length));
        MemorySegment.copy(src, srcOff, host, JAVA_DOUBLE, 0, length);
        cx.driver.memcpyHtoDAsync(d.at(dstOff), host, (long) length * Double.BYTES, cx.stream);
      }
    });
  }

  @Override
  public void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int length) {
    CudaBuffer s = open(src, "src");
    dtype(DType.F32, s, "src");
    range(s, srcOff, length, "src");
    hostRange(dst.length, dstOff, length, "dst");
    cx.lockedRun(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment host = arena.allocate(JAVA_FLOAT, Math.max(1, length));
        cx.driver.memcpyDtoHAsync(host, s.at(srcOff), (long) length * Float.BYTES, cx.stream);
        cx.synchronize();
        MemorySegment.copy(host, JAVA_FLOAT, 0, dst, dstOff, length);
      }
    });
  }

  @Override
  public void download(DeviceBuffer src, long srcOff, double[] dst, int dstOff, int length) {
    CudaBuffer s = open(src, "src");
    dtype(DType.F64, s, "src");
    range(s, srcOff, length, "src");
    hostRange(dst.length, dstOff, length, "dst");
    cx.lockedRun(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment host = arena.allocate(JAVA_DOUBLE, Math.max(1, length));
        cx.driver.memcpyDtoHAsync(host, s.at(srcOff), (long) length * Double.BYTES, cx.stream);
        cx.synchronize();
        MemorySegment.copy(host, JAVA_DOUBLE, 0, dst, dstOff, length);
      }
    });
  }

  @Override
  public void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long length) {
    CudaBuffer s = open(src, "src");
    CudaBuffer d = open(dst, "dst");
    dtype(s.dtype(), d, "dst");
    range(s, srcOff, length, "src");
    range(d, dstOff, length, "dst");
    cx.lockedRun(() -> cx.driver.memcpyDtoDAsync(d.at(dstOff), s.at(srcOff), length * s.dtype().bytes(), cx.stream));
  }

  @Override
  public void synchronize() {
    cx.lockedRun(cx::synchronize);
  }

  // ---- BLAS ----------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceBuffer a, long aOff, int lda,
      DeviceBuffer b, long bOff, int ldb, double beta, DeviceBuffer c, long cOff, int ldc) {
    gemmStridedBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceBuffer a,
      long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB, double beta, DeviceBuffer c,
      long cOff, int ldc, long strideC, int batch) {
    positive(m, n, k, batch);
    CudaBuffer ba = open(a, "A");
    CudaBuffer bb = open(b, "B");
    CudaBuffer bc = open(c, "C");
    DType t = sameDtype(ba, bb, bc);
    if (strideA < 0 || strideB < 0 || strideC < 0 || (batch > 1 && strideC == 0)) {
      throw invalid(ErrorCode.INVALID_ARGUMENT, "strides must be ≥ 0, and C's positive for a batch > 1.");
    }
    long aSpan = matrix(transA ? k : m, transA ? m : k, lda, "lda");
    long bSpan = matrix(transB ? n : k, transB ? k : n, ldb, "ldb");
    long cSpan = matrix(m, n, ldc, "ldc");
    range(ba, aOff, (batch - 1) * strideA + aSpan, "A");
    range(bb, bOff, (batch - 1) * strideB + bSpan, "B");
    range(bc, cOff, (batch - 1) * strideC + cSpan, "C");
    boolean f64 = t == DType.F64;
    RowMajorToCublas.Gemm g = RowMajorToCublas.gemm(transA, transB, m, n, k);
    cx.lockedRun(() -> {
      if (batch == 1) {
        cx.blas.gemm(f64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), alpha, bb.at(bOff),
            ldb, ba.at(aOff), lda, beta, bc.at(cOff), ldc);
      } else {
        cx.blas.gemmStridedBatched(f64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(),
            alpha, bb.at(bOff), ldb, strideB, ba.at(aOff), lda, strideA, beta, bc.at(cOff), ldc, strideC, batch);
      }
    });
  }

  @Override
  public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceBuffer a,
      long[] aOffsets, int lda, DeviceBuffer b, long[] bOffsets, int ldb, double beta, DeviceBuffer c, long[] cOffsets,
      int ldc) {
    int batch = aOffsets.length;
    if (bOffsets.length != batch || cOffsets.length != batch) {
      throw invalid(ErrorCode.DIMENSION_MISMATCH, "the offset arrays differ in length: A " + batch + ", B "
          + bOffsets.length + ", C " + cOffsets.length + ".");
    }
    positive(m, n, k, Math.max(batch, 1));
    CudaBuffer ba = open(a, "A");
    CudaBuffer bb = open(b, "B");
    CudaBuffer bc = open(c, "C");
    DType t = sameDtype(ba, bb, bc);
    long aSpan = matrix(transA ? k : m, transA ? m : k, lda, "lda");
    long bSpan = matrix(transB ? n : k, transB ? k : n, ldb, "ldb");
    long cSpan = matrix(m, n, ldc, "ldc");
    for (int i = 0; i < batch; i++) {
      range(ba, aOffsets[i], aSpan, "A[" + i + "]");
      range(bb, bOffsets[i], bSpan, "B[" + i + "]");
      range(bc, cOffsets[i], cSpan, "C[" + i + "]");
    }
    RowMajorToCublas.Gemm g = RowMajorToCublas.gemm(transA, transB, m, n, k);
    // cuBLAS's first operand is our B: its pointer array goes first
    long[] pointers = new long[3 * batch];
    for (int i = 0; i < batch; i++) {
      pointers[i] = bb.at(bOffsets[i]);
      pointers[batch + i] = ba.at(aOffsets[i]);
      pointers[2 * batch + i] = bc.at(cOffsets[i]);
    }
    cx.lockedRun(() -> {
      long first;
      if (Arrays.equals(pointers, scratchPointers)) {
        first = scratch;  // the same head blocks as the last call (every layer of a forward pass): already there
      } else {
        first = uploadScratch((long) pointers.length * Long.BYTES,
            host -> MemorySegment.copy(pointers, 0, host, JAVA_LONG, 0, pointers.length));
        scratchPointers = pointers;
      }
      cx.blas.gemmBatched(t == DType.F64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(),
          alpha, first, ldb, first + (long) batch * Long.BYTES, lda, beta, first + 2L * batch * Long.BYTES, ldc, batch);
    });
  }

  @Override
  public void gemv(boolean transA, int m, int n, double alpha, DeviceBuffer a, long aOff, int lda, DeviceBuffer x,
      long xOff, double beta, DeviceBuffer y, long yOff) {
    positive(m, n, 1, 1);
    CudaBuffer ba = open(a, "A");
    CudaBuffer bx = open(x, "x");
    CudaBuffer by = open(y, "y");
    DType t = sameDtype(ba, bx, by);
    range(ba, aOff, matrix(m, n, lda, "lda"), "A");
    range(bx, xOff, transA ? m : n, "x");
    range(by, yOff, transA ? n : m, "y");
    RowMajorToCublas.Gemv g = RowMajorToCublas.gemv(transA, m, n);
    cx.lockedRun(() -> cx.blas.gemv(t == DType.F64, cx.blasHandle, cx.scalars, g.op(), g.rows(), g.cols(), alpha,
        ba.at(aOff), lda, bx.at(xOff), 1, beta, by.at(yOff), 1));
  }

  @Override
  public double dot(int n, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    positive(n, 1, 1, 1);
    CudaBuffer bx = open(x, "x");
    CudaBuffer by = open(y, "y");
    DType t = sameDtype(bx, by);
    range(bx, xOff, n, "x");
    range(by, yOff, n, "y");
    return cx.locked(() -> cx.blas.dot(t == DType.F64, cx.blasHandle, cx.scalars, n, bx.at(xOff), 1, by.at(yOff), 1));
  }

  @Override
  public void axpy(int n, double alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    positive(n, 1, 1, 1);
    CudaBuffer bx = open(x, "x");
    CudaBuffer by = open(y, "y");
    DType t = sameDtype(bx, by);
    range(bx, xOff, n, "x");
    range(by, yOff, n, "y");
    cx.lockedRun(() -> cx.blas.axpy(t == DType.F64, cx.blasHandle, cx.scalars, n, alpha, bx.at(xOff), 1, by.at(yOff), 1));
  }

  @Override
  public void scal(int n, double alpha, DeviceBuffer x, long xOff) {
    positive(n, 1, 1, 1);
    CudaBuffer bx = open(x, "x");
    range(bx, xOff, n, "x");
    cx.lockedRun(() -> cx.blas.scal(bx.dtype() == DType.F64, cx.blasHandle, cx.scalars, n, alpha, bx.at(xOff), 1));
  }

  // ---- kernel matrices -----------------------------------------------------------------------

  @Override
  public void kernelMultiply(RadialKernel kernel, int m, int n, int d, int k, DeviceBuffer x, long xOff, int ldx,
      DeviceBuffer y, long yOff, int ldy, DeviceBuffer v, long vOff, int ldv, double beta, DeviceBuffer o, long oOff,
      int ldo) {
    positive(m, n, d, k);
    CudaBuffer bx = open(x, "X");
    CudaBuffer by = open(y, "Y");
    CudaBuffer bv = open(v, "V");
    CudaBuffer bo = open(o, "O");
    DType t = sameDtype(bx, by, bv, bo);
    range(bx, xOff, matrix(m, d, ldx, "ldx"), "X");
    range(by, yOff, matrix(n, d, ldy, "ldy"), "Y");
    range(bv, vOff, matrix(n, k, ldv, "ldv"), "V");
    range(bo, oOff, matrix(m, k, ldo, "ldo"), "O");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> {
      if (t == DType.F64) {
        dk.kernelMultiplyF64(kernel, m, n, d, k, bx.at(xOff), ldx, by.at(yOff), ldy, bv.at(vOff), ldv, beta,
            bo.at(oOff), ldo);
      } else {
        dk.kernelMultiplyF32(kernel, m, n, d, k, bx.at(xOff), ldx, by.at(yOff), ldy, bv.at(vOff), ldv, (float) beta,
            bo.at(oOff), ldo);
      }
    });
  }

  // ---- transformer operations (F32) ----------------------------------------------------------

  @Override
  public void addRowVector(int m, int n, DeviceBuffer v, long vOff, DeviceBuffer x, long xOff, int ld) {
    positive(m, n, 1, 1);
    CudaBuffer bv = f32(v, "v");
    CudaBuffer bx = f32(x, "x");
    range(bv, vOff, n, "v");
    range(bx, xOff, matrix(m, n, ld, "ld"), "x");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.addRowVector(m, n, bv.at(vOff), bx.at(xOff), ld));
  }

  @Override
  public void gatherRows(int width, DeviceBuffer table, long tableOff, int ldTable, int tableRows, int[] indices,
      DeviceBuffer out, long outOff, int ldOut, boolean accumulate) {
    int rows = indices.length;
    positive(width, tableRows, Math.max(rows, 1), 1);
    CudaBuffer bt = f32(table, "table");
    CudaBuffer bo = f32(out, "out");
    range(bt, tableOff, matrix(tableRows, width, ldTable, "ldTable"), "table");
    if (rows == 0) {
      return;
    }
    range(bo, outOff, matrix(rows, width, ldOut, "ldOut"), "out");
    for (int i = 0; i < rows; i++) {
      if (indices[i] < 0 || indices[i] >= tableRows) {
        throw invalid(ErrorCode.OUT_OF_BOUNDS, "gather index " + indices[i] + " at position " + i
            + " is outside the table's " + tableRows + " rows.");
      }
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> {
      long idx = uploadScratch((long) rows * Integer.BYTES, host -> MemorySegment.copy(indices, 0, host, JAVA_INT, 0, rows));
      dk.gatherRows(rows, width, bt.at(tableOff), ldTable, idx, bo.at(outOff), ldOut, accumulate);
    });
  }

  @Override
  public void attentionSoftmax(int batch, int heads, int queries, int keys, double alpha, DeviceBuffer scores, long off,
      DeviceBuffer keyMask, long maskOff, boolean causal) {
    positive(batch, heads, queries, keys);
    CudaBuffer bs = f32(scores, "scores");
    range(bs, off, (long) batch * heads * queries * keys, "scores");
    CudaBuffer bm = keyMask == null ? null : f32(keyMask, "keyMask");
    if (bm != null) {
      range(bm, maskOff, (long) batch * keys, "keyMask");
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.attentionSoftmax(batch, heads, queries, keys, (float) alpha, bs.at(off),
        bm == null ? 0 : bm.at(maskOff), causal));
  }

  @Override
  public void gelu(int m, int n, DeviceBuffer x, long off, int ld) {
    positive(m, n, 1, 1);
    CudaBuffer bx = f32(x, "x");
    range(bx, off, matrix(m, n, ld, "ld"), "x");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.gelu(m, n, bx.at(off), ld));
  }

  @Override
  public void silu(int m, int n, DeviceBuffer x, long off, int ld) {
    positive(m, n, 1, 1);
    CudaBuffer bx = f32(x, "x");
    range(bx, off, matrix(m, n, ld, "ld"), "x");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.silu(m, n, bx.at(off), ld));
  }

  @Override
  public void swiglu(int m, int n, DeviceBuffer gate, long gateOff, int ldGate, DeviceBuffer up, long upOff, int ldUp) {
    positive(m, n, 1, 1);
    CudaBuffer bg = f32(gate, "gate");
    CudaBuffer bu = f32(up, "up");
    range(bg, gateOff, matrix(m, n, ldGate, "ldGate"), "gate");
    range(bu, upOff, matrix(m, n, ldUp, "ldUp"), "up");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.swiglu(m, n, bg.at(gateOff), ldGate, bu.at(upOff), ldUp));
  }

  @Override
  public void layerNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff,
      DeviceBuffer beta, long betaOff, double eps) {
    positive(m, n, 1, 1);
    CudaBuffer bx = f32(x, "x");
    CudaBuffer bg = f32(gamma, "gamma");
    CudaBuffer bb = beta == null ? null : f32(beta, "beta");
    range(bx, off, matrix(m, n, ld, "ld"), "x");
    range(bg, gammaOff, n, "gamma");
    if (bb != null) {
      range(bb, betaOff, n, "beta");
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.layerNorm(m, n, bx.at(off), ld, bg.at(gammaOff), bb == null ? 0 : bb.at(betaOff), (float) eps));
  }

  @Override
  public void rmsNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff, double eps) {
    positive(m, n, 1, 1);
    CudaBuffer bx = f32(x, "x");
    CudaBuffer bg = f32(gamma, "gamma");
    range(bx, off, matrix(m, n, ld, "ld"), "x");
    range(bg, gammaOff, n, "gamma");
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.rmsNorm(m, n, bx.at(off), ld, bg.at(gammaOff), (float) eps));
  }

  // ---- scratch and lifetime ------------------------------------------------------------------

  /** Fills {@code bytes} of pageable host memory and copies it to the device scratch area; returns its address. */
  private long uploadScratch(long bytes, java.util.function.Consumer<MemorySegment> fill) {
    scratchPointers = null;
    if (bytes > scratchBytes) {
      cx.synchronize();  // queued work may still read the old area
      if (scratchBytes > 0) {
        cx.driver.memFree(scratch);
        scratchBytes = 0;
      }
      long size = Math.max(4096, Long.highestOneBit(bytes - 1) << 1);
      scratch = cx.driver.memAlloc(size);
      scratchBytes = size;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment host = arena.allocate(bytes, 8);
      fill.accept(host);
      cx.driver.memcpyHtoDAsync(scratch, host, bytes, cx.stream);
    }
    return scratch;
  }

  /** Frees the scratch area; called by the backend's close, with the lock held and the context current. */
  void close() {
    if (scratchBytes > 0) {
      cx.synchronize();
      cx.driver.memFree(scratch);
      scratchBytes = 0;
      scratchPointers = null;
    }
  }

  // ---- validation (host side, before anything is queued) --------------------------------------

  private DeviceKernels kernels() {
    if (kernels == null) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "CUDA kernels are not available: " + kernelsMissing + ".",
          "Use a structura-backend-cuda jar built with the CUDA kernels (PTX).");
    }
    return kernels;
  }

  private CudaBuffer open(DeviceBuffer b, String name) {
    if (!(b instanceof CudaBuffer cb) || cb.owner != this) {
      throw invalid(ErrorCode.INVALID_ARGUMENT, name + " (" + b + ") was not allocated by this CUDA backend's resident routines.");
    }
    if (cb.closed()) {
      throw invalid(ErrorCode.INVALID_ARGUMENT, name + " is closed.");
    }
    return cb;
  }

  private CudaBuffer f32(DeviceBuffer b, String name) {
    CudaBuffer cb = open(b, name);
    dtype(DType.F32, cb, name);
    return cb;
  }

  private static void dtype(DType expected, CudaBuffer b, String name) {
    if (b.dtype() != expected) {
      throw invalid(ErrorCode.DTYPE_MISMATCH, name + " is " + b.dtype() + ", expected " + expected + ".");
    }
  }

  private static DType sameDtype(CudaBuffer... buffers) {
    DType t = buffers[0].dtype();
    for (CudaBuffer b : buffers) {
      if (b.dtype() != t) {
        throw invalid(ErrorCode.DTYPE_MISMATCH, "operands mix " + t + " and " + b.dtype() + "; one call uses one dtype.");
      }
    }
    return t;
  }

  private static void positive(int a, int b, int c, int d) {
    if (a < 1 || b < 1 || c < 1 || d < 1) {
      throw invalid(ErrorCode.DIMENSION_MISMATCH, "sizes must be ≥ 1, got " + a + ", " + b + ", " + c + ", " + d + ".");
    }
  }

  /** The span of a row-major view, checking {@code ld ≥ cols}. */
  private static long matrix(int rows, int cols, int ld, String name) {
    if (ld < cols) {
      throw invalid(ErrorCode.DIMENSION_MISMATCH, name + " = " + ld + " is smaller than the " + cols + " columns it strides over.");
    }
    return (long) (rows - 1) * ld + cols;
  }

  private static void range(CudaBuffer b, long off, long length, String name) {
    if (off < 0 || length < 0 || off > b.length() - length) {
      throw invalid(ErrorCode.OUT_OF_BOUNDS, name + ": elements [" + off + ", " + (off + length) + ") lie outside its buffer of "
          + b.length() + ".");
    }
  }

  private static void hostRange(int arrayLength, int off, int length, String name) {
    if (off < 0 || length < 0 || off > arrayLength - length) {
      throw invalid(ErrorCode.OUT_OF_BOUNDS, name + ": elements [" + off + ", " + ((long) off + length)
          + ") lie outside its array of " + arrayLength + ".");
    }
  }

  private static InvalidArgumentException invalid(ErrorCode code, String detail) {
    return new InvalidArgumentException(code, detail, "Check the shapes, offsets and buffers passed to the resident routine.");
  }
}
