package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision tiled GEMM, strided-batched, with an optional symmetric (Gram) mode:
 * {@code C_p = alpha·op(A_p)·op(B_p) + beta·C_p} for {@code p = getGlobalId(2)}.
 *
 * <p><b>Launch.</b> A 3-D range {@code (⌈n/ts⌉·ts, ⌈m/ts⌉·ts/4, batch)} with work-groups
 * {@code (ts, ts/4, 1)}: group (gx, gy) owns the ts×ts block of C at {@code (gy·ts, gx·ts)},
 * and work-item (x, y) owns its four elements {@code (y + r·ts/4, x)}, r = 0..3, kept in four
 * registers (register blocking: each op(B) value read from local memory feeds four
 * multiply-adds). Dimension 0 runs along rows of C, so neighbouring work-items touch
 * neighbouring addresses of C and of the tiles they load (coalesced on a GPU). ts must be a
 * multiple of 4.
 *
 * <p><b>Tiling.</b> Each k-step the group stages a ts×ts tile of op(A) and of op(B) in local
 * memory; every operand element is read from global memory ⌈n/ts⌉ (A) or ⌈m/ts⌉ (B) times
 * instead of n or m times. A transposed operand is read along its stored rows (contiguous in
 * the work-item index) and written transposed into the tile, so loads stay coalesced for all
 * four transpose combinations. Out-of-range tile entries are zero, which keeps the inner loop
 * free of bounds checks.
 *
 * <p><b>Symmetric mode</b> ({@code symmetric = 1}, m = n): groups strictly below the diagonal
 * exit at once (a uniform exit, so no barrier is skipped by part of a group); the work-item
 * owning (i, j), i ≤ j, writes the same value to (i, j) and (j, i), which makes the result bit-exactly
 * symmetric.
 *
 * <p><b>Cost.</b> 2·m·n·k flops per product; local memory 2·ts²·4 bytes per group.
 *
 * <p>{@link F64GemmKernel} is generated from this file by {@code F64SourceGenerator}.
 */
public final class F32GemmKernel extends PinnedKernel {
  /** Tile edge; the work-group is ts×(ts/4). */
  public final int ts;
  @Local final float[] tileA;
  @Local final float[] tileB;

  /** Operands; set per launch. */
  float[] a;
  /** Operands; set per launch. */
  float[] b;
  /** Output; set per launch. */
  float[] c;
  /** Scalars, row-major layout as in {@code GemmRoutine}; set per launch. */
  float alpha;
  /** Scalars; set per launch. */
  float beta;
  /** 1 when A / B is transposed. */
  int transA;
  /** 1 when B is transposed. */
  int transB;
  /** 1 for the Gram mode described above. */
  int symmetric;
  /** Shape. */
  int m;
  /** Shape. */
  int n;
  /** Shape. */
  int k;
  /** Layout of A. */
  int aOff;
  /** Layout of A. */
  int lda;
  /** Layout of A. */
  int strideA;
  /** Layout of B. */
  int bOff;
  /** Layout of B. */
  int ldb;
  /** Layout of B. */
  int strideB;
  /** Layout of C. */
  int cOff;
  /** Layout of C. */
  int ldc;
  /** Layout of C. */
  int strideC;

  /**
   * @param device the pinned OpenCL device
   * @param ts tile edge, a multiple of 4; ts²/4 must not exceed the device's work-group limit
   */
  public F32GemmKernel(Device device, int ts) {
    super(device);
    this.ts = ts;
    this.tileA = new float[ts * ts];
    this.tileB = new float[ts * ts];
  }

  /**
   * Binds the operands of one launch: {@code C_p = alpha·op(A_p)·op(B_p) + beta·C_p} for p below
   * the launch's batch, op(A) m×k and op(B) k×n, row-major, product p's operands at
   * {@code off + p·stride}. {@code symmetric} selects the Gram mode (m = n, B = A). The caller
   * holds this kernel's monitor from here to {@link #unbind()}.
   */
  public void bind(boolean transA, boolean transB, boolean symmetric, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
      float beta, float[] c, int cOff, int ldc, int strideC) {
    this.transA = transA ? 1 : 0;
    this.transB = transB ? 1 : 0;
    this.symmetric = symmetric ? 1 : 0;
    this.m = m;
    this.n = n;
    this.k = k;
    this.alpha = alpha;
    this.a = a;
    this.aOff = aOff;
    this.lda = lda;
    this.strideA = strideA;
    this.b = b;
    this.bOff = bOff;
    this.ldb = ldb;
    this.strideB = strideB;
    this.beta = beta;
    this.c = c;
    this.cOff = cOff;
    this.ldc = ldc;
    this.strideC = strideC;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    a = null;
    b = null;
    c = null;
  }

  @Override
  public void run() {
    int tx = getLocalId(0);
    int ty = getLocalId(1);
    int gx = getGroupId(0);
    int gy = getGroupId(1);
    int p = getGlobalId(2);
    if (symmetric == 1 && gy > gx) {
      return;
    }
    int rts = ts / 4;
    int aBase = aOff + p * strideA;
    int bBase = bOff + p * strideB;
    int cBase = cOff + p * strideC;
    int col = gx * ts + tx;
    float acc0 = 0f;
    float acc1 = 0f;
    float acc2 = 0f;
    float acc3 = 0f;
    for (int t0 = 0; t0 < k; t0 += ts) {
      // Each work-item stages four elements of each tile, rows ty, ty + rts, ty + 2rts, ty + 3rts.
      for (int r = 0; r < 4; r++) {
        int ly = ty + r * rts;
        float av = 0f;
        if (transA == 0) {
          int ar = gy * ts + ly;
          int aq = t0 + tx;
          if (ar < m && aq < k) {
            av = a[aBase + ar * lda + aq];
          }
          tileA[ly * ts + tx] = av;
        } else {
          int aq = t0 + ly;
          int ar = gy * ts + tx;
          if (ar < m && aq < k) {
            av = a[aBase + aq * lda + ar];
          }
          tileA[tx * ts + ly] = av;
        }
        float bv = 0f;
        if (transB == 0) {
          int bq = t0 + ly;
          int bs = gx * ts + tx;
          if (bq < k && bs < n) {
            bv = b[bBase + bq * ldb + bs];
          }
          tileB[ly * ts + tx] = bv;
        } else {
          int bs = gx * ts + ly;
          int bq = t0 + tx;
          if (bq < k && bs < n) {
            bv = b[bBase + bs * ldb + bq];
          }
          tileB[tx * ts + ly] = bv;
        }
      }
      localBarrier();
      for (int e = 0; e < ts; e++) {
        // one load of op(B) serves four multiply-adds: the point of the register blocking
        float bv = tileB[e * ts + tx];
        acc0 += tileA[ty * ts + e] * bv;
        acc1 += tileA[(ty + rts) * ts + e] * bv;
        acc2 += tileA[(ty + 2 * rts) * ts + e] * bv;
        acc3 += tileA[(ty + 3 * rts) * ts + e] * bv;
      }
      localBarrier();
    }
    if (col < n) {
      store(gy * ts + ty, col, cBase, acc0);
      store(gy * ts + ty + rts, col, cBase, acc1);
      store(gy * ts + ty + 2 * rts, col, cBase, acc2);
      store(gy * ts + ty + 3 * rts, col, cBase, acc3);
    }
  }

  /** Writes alpha·acc + beta·C at (row, col), and its mirror in symmetric mode. */
  private void store(int row, int col, int cBase, float acc) {
    if (row < m && (symmetric == 0 || row <= col)) {
      int ci = cBase + row * ldc + col;
      float v = alpha * acc;
      if (beta != 0f) {
        // beta = 0 must not read C: it may hold NaN or Inf by contract
        v = v + beta * c[ci];
      }
      c[ci] = v;
      if (symmetric == 1) {
        c[cBase + col * ldc + row] = v;
      }
    }
  }
}
