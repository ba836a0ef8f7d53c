package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Single-precision tiled GEMM, strided-batched, with an optional symmetric (Gram) mode:
 * {@code C_p = alpha·op(A_p)·op(B_p) + beta·C_p} for {@code p = getGlobalId(2)}.
 *
 * <p><b>Launch.</b> A 3-D range {@code (⌈n/ts⌉·ts, ⌈m/ts⌉·ts, batch)} with work-groups
 * {@code (ts, ts, 1)}: work-item (x, y) of group (gx, gy) owns C element
 * {@code (gy·ts + y, gx·ts + x)}. Dimension 0 runs along rows of C, so neighbouring work-items
 * touch neighbouring addresses of C and of the tiles they load (coalesced on a GPU).
 *
 * <p><b>Tiling.</b> Each k-step the group stages a ts×ts tile of op(A) and of op(B) in local
 * memory; every operand element is read from global memory ⌈n/ts⌉ (A) or ⌈m/ts⌉ (B) times
 * instead of n or m times. A transposed operand is read along its stored rows (contiguous in
 * the work-item index) and written transposed into the tile, so loads stay coalesced for all
 * four transpose combinations. Out-of-range tile entries are zero, which keeps the inner loop
 * free of bounds checks.
 *
 * <p><b>Symmetric mode</b> ({@code symmetric = 1}, m = n): groups strictly below the diagonal
 * exit at once (a uniform exit, so no barrier is skipped by part of a group); work-item (i, j)
 * with i ≤ j writes the same value to (i, j) and (j, i), which makes the result bit-exactly
 * symmetric.
 *
 * <p><b>Cost.</b> 2·m·n·k flops per product; local memory 2·ts²·4 bytes per group.
 */
public final class SgemmKernel extends PinnedKernel {
  /** Tile edge; the work-group is ts×ts. */
  public final int ts;
  @Local final float[] tileA;
  @Local final float[] tileB;

  /** Operands; set per launch. */
  public float[] a;
  /** Operands; set per launch. */
  public float[] b;
  /** Output; set per launch. */
  public float[] c;
  /** Scalars, row-major layout as in {@code GemmRoutine}; set per launch. */
  public float alpha;
  /** Scalars; set per launch. */
  public float beta;
  /** 1 when A / B is transposed. */
  public int transA;
  /** 1 when B is transposed. */
  public int transB;
  /** 1 for the Gram mode described above. */
  public int symmetric;
  /** Shape. */
  public int m;
  /** Shape. */
  public int n;
  /** Shape. */
  public int k;
  /** Layout of A. */
  public int aOff;
  /** Layout of A. */
  public int lda;
  /** Layout of A. */
  public int strideA;
  /** Layout of B. */
  public int bOff;
  /** Layout of B. */
  public int ldb;
  /** Layout of B. */
  public int strideB;
  /** Layout of C. */
  public int cOff;
  /** Layout of C. */
  public int ldc;
  /** Layout of C. */
  public int strideC;

  /**
   * @param device the pinned OpenCL device
   * @param ts tile edge; ts² must not exceed the device's work-group limit
   */
  public SgemmKernel(Device device, int ts) {
    super(device);
    this.ts = ts;
    this.tileA = new float[ts * ts];
    this.tileB = new float[ts * ts];
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
    int aBase = aOff + p * strideA;
    int bBase = bOff + p * strideB;
    int cBase = cOff + p * strideC;
    int row = gy * ts + ty;
    int col = gx * ts + tx;
    float acc = 0f;
    for (int t0 = 0; t0 < k; t0 += ts) {
      float av = 0f;
      if (transA == 0) {
        int r = gy * ts + ty;
        int q = t0 + tx;
        if (r < m && q < k) {
          av = a[aBase + r * lda + q];
        }
        tileA[ty * ts + tx] = av;
      } else {
        int q = t0 + ty;
        int r = gy * ts + tx;
        if (r < m && q < k) {
          av = a[aBase + q * lda + r];
        }
        tileA[tx * ts + ty] = av;
      }
      float bv = 0f;
      if (transB == 0) {
        int q = t0 + ty;
        int s = gx * ts + tx;
        if (q < k && s < n) {
          bv = b[bBase + q * ldb + s];
        }
        tileB[ty * ts + tx] = bv;
      } else {
        int s = gx * ts + ty;
        int q = t0 + tx;
        if (q < k && s < n) {
          bv = b[bBase + s * ldb + q];
        }
        tileB[tx * ts + ty] = bv;
      }
      localBarrier();
      for (int e = 0; e < ts; e++) {
        acc += tileA[ty * ts + e] * tileB[e * ts + tx];
      }
      localBarrier();
    }
    if (row < m && col < n && (symmetric == 0 || row <= col)) {
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
