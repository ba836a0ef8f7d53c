package structura.backend.opencl.kernels;

import com.aparapi.device.Device;

/**
 * Gram matrix of single-precision data accumulated in double precision (sdsyrk):
 * {@code C = alpha·AᵀA + beta·C} ({@code trans = 1}, A stored k×n) or
 * {@code C = alpha·AAᵀ + beta·C} ({@code trans = 0}, A stored n×k), C n×n in double.
 *
 * <p>The structure is that of {@link F32GemmKernel} in symmetric mode with op(B) = op(A)ᵀ: ts×ts
 * work-groups over the upper triangle of C, tiles of A staged in local memory as floats (half
 * the local memory and bandwidth of double tiles), and each product formed in double, where
 * the product of two floats is exact. Work-item (i, j), i ≤ j, writes (i, j) and (j, i), so C
 * is bit-exactly symmetric. Requires a device with fp64.
 *
 * <p><b>Cost.</b> n²·k flops in double (half of a full product); local memory 2·ts²·4 bytes.
 */
public final class F32GramInF64Kernel extends PinnedKernel {
  /** Tile edge; the work-group is ts×ts. */
  public final int ts;
  @Local final float[] tileA;
  @Local final float[] tileB;

  /** Data; set per launch. */
  float[] a;
  /** Output; set per launch. */
  double[] c;
  /** Scalar. */
  double alpha;
  /** Scalar. */
  double beta;
  /** 1 for AᵀA (A stored k×n), 0 for AAᵀ (A stored n×k). */
  int trans;
  /** Order of C. */
  int n;
  /** Accumulation length. */
  int k;
  /** Layout. */
  int aOff;
  /** Layout. */
  int lda;
  /** Layout. */
  int cOff;
  /** Layout. */
  int ldc;

  /**
   * @param device the pinned OpenCL device (with fp64)
   * @param ts tile edge; ts² must not exceed the device's work-group limit
   */
  public F32GramInF64Kernel(Device device, int ts) {
    super(device);
    this.ts = ts;
    this.tileA = new float[ts * ts];
    this.tileB = new float[ts * ts];
  }

  /**
   * Binds the operands of one launch: {@code C = alpha·AᵀA + beta·C} ({@code trans}, A k×n) or
   * {@code C = alpha·AAᵀ + beta·C} (A n×k), C n×n. The caller holds this kernel's monitor from
   * here to {@link #unbind()}.
   */
  public void bind(boolean trans, int n, int k, double alpha, float[] a, int aOff, int lda,
      double beta, double[] c, int cOff, int ldc) {
    this.trans = trans ? 1 : 0;
    this.n = n;
    this.k = k;
    this.alpha = alpha;
    this.a = a;
    this.aOff = aOff;
    this.lda = lda;
    this.beta = beta;
    this.c = c;
    this.cOff = cOff;
    this.ldc = ldc;
  }

  /** Drops the caller's arrays, so that the kernel does not keep them alive between calls. */
  public void unbind() {
    a = null;
    c = null;
  }

  @Override
  public void run() {
    int tx = getLocalId(0);
    int ty = getLocalId(1);
    int gx = getGroupId(0);
    int gy = getGroupId(1);
    if (gy > gx) {
      return;
    }
    int row = gy * ts + ty;
    int col = gx * ts + tx;
    double acc = 0.0;
    for (int t0 = 0; t0 < k; t0 += ts) {
      float av = 0f;
      float bv = 0f;
      if (trans == 0) {
        // op(A) = A (n×k): tile rows gy·ts.., read along stored rows
        int r = gy * ts + ty;
        int q = t0 + tx;
        if (r < n && q < k) {
          av = a[aOff + r * lda + q];
        }
        tileA[ty * ts + tx] = av;
        // op(B) = Aᵀ: stored rows gx·ts.., written transposed
        int s = gx * ts + ty;
        int q2 = t0 + tx;
        if (s < n && q2 < k) {
          bv = a[aOff + s * lda + q2];
        }
        tileB[tx * ts + ty] = bv;
      } else {
        // op(A) = Aᵀ (A stored k×n): stored rows t0.., written transposed
        int q = t0 + ty;
        int r = gy * ts + tx;
        if (r < n && q < k) {
          av = a[aOff + q * lda + r];
        }
        tileA[tx * ts + ty] = av;
        // op(B) = A: stored rows t0.., contiguous in tx
        int s = gx * ts + tx;
        if (s < n && q < k) {
          bv = a[aOff + q * lda + s];
        }
        tileB[ty * ts + tx] = bv;
      }
      localBarrier();
      for (int e = 0; e < ts; e++) {
        acc += (double) tileA[ty * ts + e] * (double) tileB[e * ts + tx];
      }
      localBarrier();
    }
    if (row < n && col < n && row <= col) {
      int ci = cOff + row * ldc + col;
      double v = alpha * acc;
      if (beta != 0.0) {
        v = v + beta * c[ci];
      }
      c[ci] = v;
      c[cOff + col * ldc + row] = v;
    }
  }
}
