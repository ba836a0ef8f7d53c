package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.DeviceBuffer;
import structura.api.backend.RadialKernel;
import structura.api.backend.ResidentChecks;
import structura.api.backend.ResidentRoutines;

/**
 * {@link ResidentRoutines} on the GPU: buffers are {@code cuMemAlloc} memory, BLAS runs in cuBLAS
 * on them (row-major mapped as in {@link RowMajorToCublas}), kernel products and the transformer
 * operations run our PTX kernels ({@link DeviceKernels}). Everything is queued on the backend's
 * one stream, in call order, and returns without waiting except {@link #download}, {@link #dot}
 * and {@link #synchronize}.
 *
 * <p>Every argument is checked on the host before anything is queued: buffers belong to this
 * instance and are open, then {@link ResidentChecks} (shared with every implementation) checks
 * sizes, dtypes, bounds, overlaps and gather indices with their codes. Device failures are {@code STRUCTURA-B004} with the driver's or cuBLAS's message.
 *
 * <p>Host-to-device copies go from short-lived pageable memory: the driver copies pageable memory
 * into its own staging before the call returns, so the source may be freed at once while the copy
 * stays ordered on the stream. {@link #gemmBatched}'s pointer arrays and {@link #gatherRows}'s
 * indices come from a {@link DeviceArrayCache} (uploaded once per distinct content); downloads go
 * through one grown page-locked buffer. Each call takes the backend's lock (shared with the host routines).
 */
final class CudaResident implements ResidentRoutines {
  private final CudaContext cx;
  private final DeviceKernels kernels;
  private final String kernelsMissing;
  private final DeviceArrayCache arrays;
  /** Page-locked host memory for downloads (grown, reused): DMA at full speed, no extra allocation. */
  private MemorySegment pinned;

  CudaResident(CudaContext cx, DeviceKernels kernels, String kernelsMissing) {
    this.cx = cx;
    this.kernels = kernels;
    this.kernelsMissing = kernelsMissing;
    this.arrays = new DeviceArrayCache(cx);
  }

  // ---- memory --------------------------------------------------------------------------------

  @Override
  public DeviceBuffer allocate(DType dtype, long length) {
    ResidentChecks.allocate(dtype, length);
    if (length == 0) {
      return new CudaBuffer(this, 0, dtype, 0);  // nothing to allocate; cuMemAlloc refuses 0 bytes
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
    if (pointer == 0) {
      return;
    }
    cx.lockedIfOpen(() -> {
      cx.synchronize();
      cx.driver.memFree(pointer);
    });
  }

  @Override
  public void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int length) {
    CudaBuffer d = own("upload", dst, "dst");
    ResidentChecks.transfer("upload", src.length, srcOff, dst, dstOff, length, DType.F32);
    if (length == 0) {
      return;
    }
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
    CudaBuffer d = own("upload", dst, "dst");
    ResidentChecks.transfer("upload", src.length, srcOff, dst, dstOff, length, DType.F64);
    if (length == 0) {
      return;
    }
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
    CudaBuffer s = own("download", src, "src");
    ResidentChecks.transfer("download", dst.length, dstOff, src, srcOff, length, DType.F32);
    if (length == 0) {
      return;
    }
    cx.lockedRun(() -> {
      MemorySegment host = pinned((long) length * Float.BYTES);
      cx.driver.memcpyDtoHAsync(host, s.at(srcOff), (long) length * Float.BYTES, cx.stream);
      cx.synchronize();
      MemorySegment.copy(host, JAVA_FLOAT, 0, dst, dstOff, length);
    });
  }

  @Override
  public void download(DeviceBuffer src, long srcOff, double[] dst, int dstOff, int length) {
    CudaBuffer s = own("download", src, "src");
    ResidentChecks.transfer("download", dst.length, dstOff, src, srcOff, length, DType.F64);
    if (length == 0) {
      return;
    }
    cx.lockedRun(() -> {
      MemorySegment host = pinned((long) length * Double.BYTES);
      cx.driver.memcpyDtoHAsync(host, s.at(srcOff), (long) length * Double.BYTES, cx.stream);
      cx.synchronize();
      MemorySegment.copy(host, JAVA_DOUBLE, 0, dst, dstOff, length);
    });
  }

  @Override
  public void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long length) {
    CudaBuffer s = own("copy", src, "src");
    CudaBuffer d = own("copy", dst, "dst");
    ResidentChecks.copy(src, srcOff, dst, dstOff, length);
    if (length == 0) {
      return;
    }
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
    own("gemm", a, "A");
    own("gemm", b, "B");
    own("gemm", c, "C");
    ResidentChecks.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    gemmStridedBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
  }

  @Override
  public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, double alpha, DeviceBuffer a,
      long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB, double beta, DeviceBuffer c,
      long cOff, int ldc, long strideC, int batch) {
    CudaBuffer ba = own("gemmStridedBatched", a, "A");
    CudaBuffer bb = own("gemmStridedBatched", b, "B");
    CudaBuffer bc = own("gemmStridedBatched", c, "C");
    DType t = ResidentChecks.gemmStridedBatched(transA, transB, m, n, k, a, aOff, lda, strideA, b, bOff, ldb, strideB,
        c, cOff, ldc, strideC, batch);
    if (m == 0 || n == 0 || batch == 0) {
      return;
    }
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
    CudaBuffer ba = own("gemmBatched", a, "A");
    CudaBuffer bb = own("gemmBatched", b, "B");
    CudaBuffer bc = own("gemmBatched", c, "C");
    DType t = ResidentChecks.gemmBatched(transA, transB, m, n, k, a, aOffsets, lda, b, bOffsets, ldb, c, cOffsets, ldc);
    int batch = cOffsets.length;
    if (m == 0 || n == 0 || batch == 0) {
      return;
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
      long first = arrays.of(pointers);  // the same head blocks on every layer: uploaded once
      cx.blas.gemmBatched(t == DType.F64, cx.blasHandle, cx.scalars, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(),
          alpha, first, ldb, first + (long) batch * Long.BYTES, lda, beta, first + 2L * batch * Long.BYTES, ldc, batch);
    });
  }

  @Override
  public void gemv(boolean transA, int m, int n, double alpha, DeviceBuffer a, long aOff, int lda, DeviceBuffer x,
      long xOff, double beta, DeviceBuffer y, long yOff) {
    CudaBuffer ba = own("gemv", a, "A");
    CudaBuffer bx = own("gemv", x, "x");
    CudaBuffer by = own("gemv", y, "y");
    DType t = ResidentChecks.gemv(transA, m, n, a, aOff, lda, x, xOff, y, yOff);
    if ((transA ? n : m) == 0) {
      return;
    }
    RowMajorToCublas.Gemv g = RowMajorToCublas.gemv(transA, m, n);
    cx.lockedRun(() -> cx.blas.gemv(t == DType.F64, cx.blasHandle, cx.scalars, g.op(), g.rows(), g.cols(), alpha,
        ba.at(aOff), lda, bx.at(xOff), 1, beta, by.at(yOff), 1));
  }

  @Override
  public double dot(int n, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    CudaBuffer bx = own("dot", x, "x");
    CudaBuffer by = own("dot", y, "y");
    DType t = ResidentChecks.vectors("dot", n, x, xOff, y, yOff);
    if (n == 0) {
      return 0;
    }
    return cx.locked(() -> cx.blas.dot(t == DType.F64, cx.blasHandle, cx.scalars, n, bx.at(xOff), 1, by.at(yOff), 1));
  }

  @Override
  public void axpy(int n, double alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    CudaBuffer bx = own("axpy", x, "x");
    CudaBuffer by = own("axpy", y, "y");
    DType t = ResidentChecks.vectors("axpy", n, x, xOff, y, yOff);
    if (n == 0) {
      return;
    }
    cx.lockedRun(() -> cx.blas.axpy(t == DType.F64, cx.blasHandle, cx.scalars, n, alpha, bx.at(xOff), 1, by.at(yOff), 1));
  }

  @Override
  public void scal(int n, double alpha, DeviceBuffer x, long xOff) {
    CudaBuffer bx = own("scal", x, "x");
    ResidentChecks.scal(n, x, xOff);
    if (n == 0) {
      return;
    }
    cx.lockedRun(() -> cx.blas.scal(bx.dtype() == DType.F64, cx.blasHandle, cx.scalars, n, alpha, bx.at(xOff), 1));
  }

  // ---- kernel matrices -----------------------------------------------------------------------

  @Override
  public void kernelMultiply(RadialKernel kernel, int m, int n, int d, int k, DeviceBuffer x, long xOff, int ldx,
      DeviceBuffer y, long yOff, int ldy, DeviceBuffer v, long vOff, int ldv, double beta, DeviceBuffer o, long oOff,
      int ldo) {
    CudaBuffer bx = own("kernelMultiply", x, "X");
    CudaBuffer by = own("kernelMultiply", y, "Y");
    CudaBuffer bv = own("kernelMultiply", v, "V");
    CudaBuffer bo = own("kernelMultiply", o, "O");
    DType t = ResidentChecks.kernelMultiply(kernel, m, n, d, k, x, xOff, ldx, y, yOff, ldy, v, vOff, ldv, o, oOff, ldo);
    if (m == 0 || k == 0) {
      return;
    }
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
    CudaBuffer bv = own("addRowVector", v, "v");
    CudaBuffer bx = own("addRowVector", x, "x");
    ResidentChecks.addRowVector(m, n, v, vOff, x, xOff, ld);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.addRowVector(m, n, bv.at(vOff), bx.at(xOff), ld));
  }

  @Override
  public void gatherRows(int width, DeviceBuffer table, long tableOff, int ldTable, int tableRows, int[] indices,
      DeviceBuffer out, long outOff, int ldOut, boolean accumulate) {
    CudaBuffer bt = own("gatherRows", table, "table");
    CudaBuffer bo = own("gatherRows", out, "out");
    ResidentChecks.gatherRows(width, table, tableOff, ldTable, tableRows, indices, out, outOff, ldOut);
    int rows = indices.length;
    if (rows == 0 || width == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> {
      long idx = arrays.of(indices);  // positions and token types repeat on every batch
      dk.gatherRows(rows, width, bt.at(tableOff), ldTable, idx, bo.at(outOff), ldOut, accumulate);
    });
  }

  @Override
  public void attentionSoftmax(int batch, int heads, int queries, int keys, double alpha, DeviceBuffer scores, long off,
      DeviceBuffer keyMask, long maskOff, boolean causal) {
    CudaBuffer bs = own("attentionSoftmax", scores, "scores");
    CudaBuffer bm = keyMask == null ? null : own("attentionSoftmax", keyMask, "keyMask");
    ResidentChecks.attentionSoftmax(batch, heads, queries, keys, scores, off, keyMask, maskOff, causal);
    if ((long) batch * heads * queries * keys == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.attentionSoftmax(batch, heads, queries, keys, (float) alpha, bs.at(off),
        bm == null ? 0 : bm.at(maskOff), causal));
  }

  @Override
  public void gelu(int m, int n, DeviceBuffer x, long off, int ld) {
    CudaBuffer bx = own("gelu", x, "x");
    ResidentChecks.rows("gelu", m, n, x, off, ld);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.gelu(m, n, bx.at(off), ld));
  }

  @Override
  public void silu(int m, int n, DeviceBuffer x, long off, int ld) {
    CudaBuffer bx = own("silu", x, "x");
    ResidentChecks.rows("silu", m, n, x, off, ld);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.silu(m, n, bx.at(off), ld));
  }

  @Override
  public void swiglu(int m, int n, DeviceBuffer gate, long gateOff, int ldGate, DeviceBuffer up, long upOff, int ldUp) {
    CudaBuffer bg = own("swiglu", gate, "gate");
    CudaBuffer bu = own("swiglu", up, "up");
    ResidentChecks.swiglu(m, n, gate, gateOff, ldGate, up, upOff, ldUp);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.swiglu(m, n, bg.at(gateOff), ldGate, bu.at(upOff), ldUp));
  }

  @Override
  public void layerNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff,
      DeviceBuffer beta, long betaOff, double eps) {
    CudaBuffer bx = own("layerNorm", x, "x");
    CudaBuffer bg = own("layerNorm", gamma, "gamma");
    CudaBuffer bb = beta == null ? null : own("layerNorm", beta, "beta");
    ResidentChecks.norm("layerNorm", m, n, x, off, ld, gamma, gammaOff, beta, betaOff, eps);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.layerNorm(m, n, bx.at(off), ld, bg.at(gammaOff), bb == null ? 0 : bb.at(betaOff), (float) eps));
  }

  @Override
  public void rmsNorm(int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff, double eps) {
    CudaBuffer bx = own("rmsNorm", x, "x");
    CudaBuffer bg = own("rmsNorm", gamma, "gamma");
    ResidentChecks.norm("rmsNorm", m, n, x, off, ld, gamma, gammaOff, null, 0, eps);
    if (m == 0 || n == 0) {
      return;
    }
    DeviceKernels dk = kernels();
    cx.lockedRun(() -> dk.rmsNorm(m, n, bx.at(off), ld, bg.at(gammaOff), (float) eps));
  }

  // ---- scratch and lifetime ------------------------------------------------------------------

  /** The pinned download buffer, grown to at least {@code bytes}; called under the lock after the stream drained. */
  private MemorySegment pinned(long bytes) {
    if (pinned == null || pinned.byteSize() < bytes) {
      if (pinned != null) {
        cx.driver.memFreeHost(pinned);
        pinned = null;
      }
      pinned = cx.driver.memAllocHost(Math.max(1L << 20, Long.highestOneBit(Math.max(1, bytes - 1)) << 1));
    }
    return pinned;
  }

  /** Frees the cached arrays and the pinned buffer; called by the backend's close, with the lock held and the context current. */
  void close() {
    cx.synchronize();
    arrays.close();
    if (pinned != null) {
      cx.driver.memFreeHost(pinned);
      pinned = null;
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

  /** This instance's open buffer; the shape checks are {@link ResidentChecks}'s, shared with every implementation. */
  private CudaBuffer own(String op, DeviceBuffer b, String name) {
    if (b == null) {
      ResidentChecks.buffer(op, name, null, null);
    }
    if (!(b instanceof CudaBuffer cb) || cb.owner != this) {
      throw ResidentChecks.foreign(op, name);
    }
    if (cb.closed()) {
      throw ResidentChecks.closed(op, name);
    }
    return cb;
  }
}
